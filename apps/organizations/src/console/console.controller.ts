import { Controller, Get, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { DomainError } from '@org/domain';
import type { Response } from 'express';

import { readConsoleAsset } from './console-assets.js';

/**
 * Only this origin's own files run and load; no inline script or style, no
 * framing, and the API is the only place the page talks to.
 */
export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "font-src 'none'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const NOT_INSTALLED =
  'The console is not installed with this build of the service: its files ' +
  'are missing. Build the service with "npm run build", which copies them.\n';

/**
 * The support and compliance console: static files only, without
 * authentication, since they hold no data. The page signs in with a bearer
 * token and reads everything through the `/v1` API, authorized as any
 * other client.
 */
@ApiExcludeController()
@Controller('console')
export class ConsoleController {
  @Get()
  async page(@Res() response: Response): Promise<void> {
    const asset = await readConsoleAsset('index.html');
    secure(response);
    if (asset === null) {
      response.status(503).type('text/plain').send(NOT_INSTALLED);
      return;
    }
    response.type(asset.contentType).send(asset.body);
  }

  @Get(':file')
  async file(
    @Param('file') file: string,
    @Res() response: Response,
  ): Promise<void> {
    const asset = await readConsoleAsset(file);
    if (asset === null) {
      throw new DomainError('NOT_FOUND', 'the console has no such file');
    }
    secure(response);
    response.type(asset.contentType).send(asset.body);
  }
}

function secure(response: Response): void {
  response.setHeader('content-security-policy', CONSOLE_CSP);
  response.setHeader('x-content-type-options', 'nosniff');
  response.setHeader('referrer-policy', 'no-referrer');
  response.setHeader('x-frame-options', 'DENY');
  response.setHeader('cache-control', 'no-cache');
}
