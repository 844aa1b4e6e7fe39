import { describe, expect, it } from '@jest/globals';

import { JsonLogger } from './json-logger.js';
import { withRequestContext } from './request-context.js';

function capture(level: ConstructorParameters<typeof JsonLogger>[0]) {
  const lines: Record<string, unknown>[] = [];
  const logger = new JsonLogger(level, (line) =>
    lines.push(JSON.parse(line) as never),
  );
  return { logger, lines };
}

describe('JsonLogger', () => {
  it('writes fields of an object message and the context as JSON', () => {
    const { logger, lines } = capture('log');
    logger.log({ msg: 'listening', port: 3000 }, 'Main');
    expect(lines).toEqual([
      {
        time: expect.any(String),
        level: 'log',
        context: 'Main',
        msg: 'listening',
        port: 3000,
      },
    ]);
  });

  it('drops lines below the configured level', () => {
    const { logger, lines } = capture('warn');
    logger.log('routine');
    logger.debug('detail');
    logger.warn('reconnecting');
    expect(lines.map((l) => l.msg)).toEqual(['reconnecting']);
  });

  it('adds the correlation id of the request being served', () => {
    const { logger, lines } = capture('log');
    withRequestContext({ correlationId: 'corr-77' }, () => {
      logger.log('inside');
    });
    expect(lines[0]).toMatchObject({ msg: 'inside', correlationId: 'corr-77' });
  });

  it('names an error and keeps its stack, once', () => {
    const { logger, lines } = capture('log');
    logger.error(
      { msg: 'unexpected failure' },
      new TypeError('boom'),
      'Filter',
    );
    expect(lines[0]).toMatchObject({
      level: 'error',
      context: 'Filter',
      msg: 'unexpected failure',
      error: 'TypeError',
      stack: expect.stringContaining('boom'),
    });
  });
});
