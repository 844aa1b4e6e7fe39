import { randomUUID } from 'node:crypto';

import type { INestApplication, LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';

import { AppModule, type AppParts } from './app.module.js';
import { setUpOpenApi } from './http/openapi.js';
import { withRequestContext } from './logging/request-context.js';

const CORRELATION_ID = /^[\x21-\x7e]{1,128}$/;

/** Builds the HTTP application from its parts; `listen` is the caller's. */
export async function createApp(
  parts: AppParts,
  logger: LoggerService | false,
): Promise<INestApplication> {
  // The bus, and with it @nestjs/microservices, is loaded only when it is
  // turned on: a tenth of a second of every start otherwise.
  const bus =
    parts.config.BUS === null ? undefined : await import('./bus/bus.js');
  const app = await NestFactory.create<NestExpressApplication>(
    AppModule.with(parts, bus?.BusController),
    {
      logger,
      bodyParser: false,
    },
  );
  app.use(correlate);
  app.useBodyParser('json', {
    limit: parts.config.MAX_BODY_BYTES,
    strict: false,
  });
  app.disable('x-powered-by');
  setUpOpenApi(app);
  app.enableShutdownHooks();
  if (bus !== undefined) {
    bus.connectBus(app, parts.config);
    await app.startAllMicroservices();
  }
  return app;
}

// Every log line of a request carries its correlation id, given by the
// caller or made here, and the response names it.
function correlate(
  request: Request,
  response: Response,
  next: NextFunction,
): void {
  const given = request.headers['x-correlation-id'];
  const correlationId =
    typeof given === 'string' && CORRELATION_ID.test(given)
      ? given
      : randomUUID();
  response.setHeader('x-correlation-id', correlationId);
  withRequestContext({ correlationId }, next);
}
