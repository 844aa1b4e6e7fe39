import type { Position } from '@org/event-store';
import type { Redis } from 'ioredis';

import type { GenerationStore } from '../projection/projection.port.js';
import { redisCall } from './redis-errors.js';
import { RedisGenerations } from './redis-generations.js';

/**
 * What every Redis read model shares: its numbered generations under
 * `<prefix>organizations:<model>`. A read model adds its queries, its commit
 * and its checksum.
 */
export abstract class RedisGenerationStore implements Omit<
  GenerationStore,
  'checksum'
> {
  protected readonly generations: RedisGenerations;

  protected constructor(
    protected readonly redis: Redis,
    readonly model: string,
    keyPrefix: string,
  ) {
    this.generations = new RedisGenerations(
      redis,
      `${keyPrefix}organizations:${model}`,
    );
  }

  activeGeneration(): Promise<number> {
    return redisCall(() => this.generations.ensureActive());
  }

  createGeneration(): Promise<number> {
    return redisCall(() => this.generations.create());
  }

  activateGeneration(generation: number): Promise<void> {
    return redisCall(() => this.generations.activate(generation));
  }

  dropGeneration(generation: number): Promise<void> {
    return redisCall(() => this.generations.drop(generation));
  }

  inactiveGenerations(): Promise<number[]> {
    return redisCall(() => this.generations.inactive());
  }

  readCheckpoint(generation: number): Promise<Position | null> {
    return redisCall(() => this.generations.checkpoint(generation));
  }
}
