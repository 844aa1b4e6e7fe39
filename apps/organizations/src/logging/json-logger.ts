import {
  ConsoleLogger,
  type LoggerService,
  type LogLevel,
} from '@nestjs/common';

import { currentCorrelationId } from './request-context.js';

const SEVERITY: Readonly<Record<LogLevel, number>> = {
  verbose: 0,
  debug: 1,
  log: 2,
  warn: 3,
  error: 4,
  fatal: 5,
};

type Write = (line: string) => void;

/**
 * One JSON object per line, with the time, level, context and correlation id.
 * A message may be an object of fields; ids belong in fields, not in text.
 */
export class JsonLogger implements LoggerService {
  constructor(
    private readonly minimum: LogLevel = 'log',
    private readonly write: Write = (line) => process.stdout.write(line),
  ) {}

  log(message: unknown, ...rest: unknown[]): void {
    this.emit('log', message, rest);
  }

  error(message: unknown, ...rest: unknown[]): void {
    this.emit('error', message, rest);
  }

  warn(message: unknown, ...rest: unknown[]): void {
    this.emit('warn', message, rest);
  }

  debug(message: unknown, ...rest: unknown[]): void {
    this.emit('debug', message, rest);
  }

  verbose(message: unknown, ...rest: unknown[]): void {
    this.emit('verbose', message, rest);
  }

  fatal(message: unknown, ...rest: unknown[]): void {
    this.emit('fatal', message, rest);
  }

  private emit(level: LogLevel, message: unknown, rest: unknown[]): void {
    if (SEVERITY[level] < SEVERITY[this.minimum]) return;
    const context =
      typeof rest.at(-1) === 'string' ? (rest.pop() as string) : undefined;
    const line = {
      time: new Date().toISOString(),
      level,
      ...(context === undefined ? {} : { context }),
      ...fields(message),
      ...errorFields(rest),
      correlationId: currentCorrelationId(),
    };
    this.write(`${JSON.stringify(line)}\n`);
  }
}

function fields(message: unknown): Record<string, unknown> {
  if (message instanceof Error)
    return { msg: message.message, ...errorFields([message]) };
  if (typeof message === 'object' && message !== null) return { ...message };
  return { msg: String(message) };
}

function errorFields(rest: readonly unknown[]): Record<string, unknown> {
  const error = rest.find((r): r is Error => r instanceof Error);
  const stack = rest.find((r): r is string => typeof r === 'string');
  if (error !== undefined) return { error: error.name, stack: error.stack };
  return stack === undefined ? {} : { stack };
}

/** JSON lines for machines (the default), or Nest's coloured text for people at a terminal. */
export function createLogger(
  format: 'json' | 'text',
  minimum: LogLevel,
): LoggerService {
  if (format === 'json') return new JsonLogger(minimum);
  const logLevels = (Object.keys(SEVERITY) as LogLevel[]).filter(
    (level) => SEVERITY[level] >= SEVERITY[minimum],
  );
  return new ConsoleLogger({ logLevels });
}
