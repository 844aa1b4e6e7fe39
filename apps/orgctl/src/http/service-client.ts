import { open, rename, rm } from 'node:fs/promises';

import type { AcceptedReply } from '@org/contracts';

import { CliError } from '../cli/errors.js';
import { EXIT, exitCodeForStatus } from '../cli/exit-codes.js';
import { asProblem, describeProblem } from '../cli/problem.js';
import type { Connection } from '../config/connection.js';
import {
  isOrganizationView,
  type OrganizationView,
  type PointInTime,
} from '../queries/organization-view.js';

/** Options of {@link ServiceClient}. */
export interface ServiceClientOptions {
  /** Give up on a request after this long. Defaults to 30000 ms. */
  readonly timeoutMs?: number;
  readonly fetch?: typeof fetch;
}

/**
 * The service's HTTP API as orgctl uses it. Every failure becomes a
 * {@link CliError} with the exit code its status means.
 */
export class ServiceClient {
  constructor(
    private readonly connection: Connection,
    private readonly options: ServiceClientOptions = {},
  ) {}

  /**
   * `POST /v1/commands`; resolves with the accepted reply. The envelope's
   * correlation id also goes in the header, so that a refusal quotes it.
   */
  async sendCommand(envelope: {
    readonly correlationId?: string;
  }): Promise<AcceptedReply> {
    const { correlationId } = envelope;
    const headers: Record<string, string> =
      correlationId === undefined ? {} : { 'x-correlation-id': correlationId };
    const body = await this.request('POST', '/v1/commands', envelope, headers);
    return body as AcceptedReply;
  }

  /** The current state and its revision. */
  organization(orgId: string): Promise<OrganizationView> {
    return this.view(`/v1/organizations/${encodeURIComponent(orgId)}`);
  }

  /** The state as it was at a revision or a moment. */
  organizationAt(orgId: string, point: PointInTime): Promise<OrganizationView> {
    const query =
      'revision' in point
        ? `revision=${point.revision}`
        : `at=${encodeURIComponent(point.at)}`;
    const id = encodeURIComponent(orgId);
    return this.view(`/v1/organizations/${id}/state?${query}`);
  }

  /** `GET` of any route of the API, as JSON. */
  get(path: string): Promise<unknown> {
    return this.request('GET', path);
  }

  /** `POST` without a body to any route of the API, as JSON. */
  post(path: string): Promise<unknown> {
    return this.request('POST', path, {});
  }

  /**
   * `GET` of a streamed route into the file `out`: written to
   * `<out>.partial` and renamed once whole, so that a download that breaks
   * off leaves no file that looks complete. The timeout covers the wait
   * for the response, not the transfer. `onChunk` sees each chunk.
   */
  async download(
    path: string,
    out: string,
    onChunk: (chunk: Uint8Array) => void,
  ): Promise<void> {
    const controller = new AbortController();
    const timer = setTimeout(() => {
      controller.abort(new DOMException('no answer', 'TimeoutError'));
    }, this.options.timeoutMs ?? 30_000);
    let response: Response;
    try {
      response = await this.fetch(
        'GET',
        path,
        undefined,
        {},
        controller.signal,
      );
    } finally {
      clearTimeout(timer);
    }
    if (!response.ok || response.body === null) {
      const text = await response.text();
      throw failure(response, parseJson(text), text);
    }
    await saveBody(response.body, out, onChunk).catch((error: unknown) => {
      throw new CliError(
        `the download of ${path} broke off: ${causeOf(error)}`,
        EXIT.unavailable,
      );
    });
  }

  private async view(path: string): Promise<OrganizationView> {
    const body = await this.request('GET', path);
    if (isOrganizationView(body)) return body;
    throw new CliError(
      `the service answered ${path} with an unexpected body`,
      EXIT.unavailable,
      body,
    );
  }

  private async request(
    method: string,
    path: string,
    body?: object,
    extraHeaders: Readonly<Record<string, string>> = {},
  ): Promise<unknown> {
    const response = await this.fetch(method, path, body, extraHeaders);
    const text = await response.text();
    const parsed = parseJson(text);
    if (response.ok && parsed !== undefined) return parsed;
    throw failure(response, parsed, text);
  }

  private async fetch(
    method: string,
    path: string,
    body: object | undefined,
    extraHeaders: Readonly<Record<string, string>>,
    signal = AbortSignal.timeout(this.options.timeoutMs ?? 30_000),
  ): Promise<Response> {
    const { url, token } = this.connection;
    const headers: Record<string, string> = {
      accept: 'application/json',
      ...extraHeaders,
    };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (token !== undefined) headers.authorization = `Bearer ${token}`;
    try {
      return await (this.options.fetch ?? fetch)(`${url}${path}`, {
        method,
        headers,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal,
      });
    } catch (error: unknown) {
      throw unreachable(url, error);
    }
  }
}

async function saveBody(
  body: ReadableStream<Uint8Array>,
  out: string,
  onChunk: (chunk: Uint8Array) => void,
): Promise<void> {
  const partial = `${out}.partial`;
  const file = await open(partial, 'w');
  try {
    const reader = body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      onChunk(value);
      await file.write(value);
    }
  } catch (error: unknown) {
    await file.close();
    await rm(partial, { force: true });
    throw error;
  }
  await file.close();
  await rename(partial, out);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function failure(response: Response, body: unknown, text: string): CliError {
  const { status } = response;
  const problem = asProblem(body);
  const correlationId = response.headers.get('x-correlation-id') ?? undefined;
  const message =
    problem === undefined
      ? `HTTP ${status} without a problem document: ${text.slice(0, 200)}`
      : describeProblem(problem, status, correlationId);
  const exitCode = response.ok ? EXIT.unavailable : exitCodeForStatus(status);
  return new CliError(message, exitCode, body);
}

function unreachable(url: string, error: unknown): CliError {
  const reason =
    error instanceof Error && error.name === 'TimeoutError'
      ? 'no answer in time'
      : causeOf(error);
  return new CliError(
    `cannot reach the service at ${url}: ${reason}`,
    EXIT.unavailable,
  );
}

function causeOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause as { code?: unknown; message?: unknown } | null;
  if (typeof cause?.code === 'string') return cause.code;
  if (typeof cause?.message === 'string') return cause.message;
  return error.message;
}
