import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { isatty } from 'node:tty';

/** Where orgctl writes, and whether a person is watching it. */
export interface Output {
  write(text: string): void;
  readonly isTTY: boolean;
}

/** Everything orgctl takes from its process, injected so tests need none. */
export interface Io {
  readonly stdout: Output;
  readonly stderr: Output;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly homeDir: string;
  /** A file's text, or `undefined` when it does not exist. */
  readonly readFile: (path: string) => string | undefined;
}

/** The real process: its streams, environment and files. */
export function processIo(): Io {
  return {
    stdout: streamOutput(process.stdout, 1),
    stderr: streamOutput(process.stderr, 2),
    env: process.env,
    homeDir: homedir(),
    readFile: readTextIfPresent,
  };
}

function streamOutput(stream: NodeJS.WriteStream, fd: number): Output {
  return {
    write: (text) => {
      stream.write(text);
    },
    isTTY: isatty(fd),
  };
}

function readTextIfPresent(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (error: unknown) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
