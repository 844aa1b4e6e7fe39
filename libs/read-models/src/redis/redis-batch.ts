import type { Redis } from 'ioredis';

import { RedisScript } from './redis-script.js';

// Compares the checkpoint, then runs the batch's commands and moves the
// checkpoint, all in one script: Redis runs it without interleaving any
// other command. KEYS[1] is the checkpoint; ARGV[1] the expected one ('' for
// none), ARGV[2] the new one, then per command: name, key index, argument
// count, arguments.
const APPLY = new RedisScript(`
local current = redis.call('GET', KEYS[1])
if current == false then current = '' end
if current ~= ARGV[1] then return 0 end
local i = 3
while i <= #ARGV do
  local count = tonumber(ARGV[i + 2])
  redis.call(ARGV[i], KEYS[tonumber(ARGV[i + 1])],
    unpack(ARGV, i + 3, i + 2 + count))
  i = i + 3 + count
end
redis.call('SET', KEYS[1], ARGV[2])
return 1
`);

/**
 * Commands collected for one atomic write together with a checkpoint.
 *
 * Limitation: Redis does not roll a script back when a command in it fails
 * half way; only commands Redis would refuse for a wrong key type can fail
 * there, and every key here holds one type.
 */
export class RedisBatch {
  private readonly keys: string[] = [];
  private readonly indexes = new Map<string, number>();
  private readonly args: string[] = [];

  constructor(checkpointKey: string) {
    this.indexOf(checkpointKey);
  }

  add(command: string, key: string, ...args: string[]): void {
    this.args.push(
      command,
      String(this.indexOf(key)),
      String(args.length),
      ...args,
    );
  }

  /** Runs the batch; false, with nothing written, when the checkpoint was not `expected`. */
  async commit(
    redis: Redis,
    expected: string | null,
    checkpoint: string,
  ): Promise<boolean> {
    const applied = await APPLY.run(redis, this.keys, [
      expected ?? '',
      checkpoint,
      ...this.args,
    ]);
    return applied === 1;
  }

  private indexOf(key: string): number {
    let index = this.indexes.get(key);
    if (index === undefined) {
      this.keys.push(key);
      index = this.keys.length;
      this.indexes.set(key, index);
    }
    return index;
  }
}
