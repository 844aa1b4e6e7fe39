import {
  BusTimeoutError,
  CommandRefusedError,
  OrganizationsClient,
  type OrganizationsClientOptions,
} from '@org/bus/client';
import type { AcceptedReply, ValidatedEnvelope } from '@org/contracts';

import { CliError } from '../cli/errors.js';
import { EXIT, exitCodeForRefusal } from '../cli/exit-codes.js';

/**
 * Sends one command with the bus client and closes it. Refusals keep their
 * code and exit code; a bus that does not answer is "unavailable".
 */
export async function sendOverBus(
  options: OrganizationsClientOptions,
  envelope: ValidatedEnvelope,
): Promise<AcceptedReply> {
  const client = new OrganizationsClient(options);
  try {
    const {
      type,
      payload,
      commandId,
      orgId,
      expectedRevision,
      reference,
      correlationId,
    } = envelope;
    return await client.command(type, payload as never, {
      commandId,
      ...(orgId === undefined ? {} : { orgId }),
      ...(expectedRevision === undefined ? {} : { expectedRevision }),
      ...(reference === undefined ? {} : { reference }),
      ...(correlationId === undefined ? {} : { correlationId }),
    });
  } catch (error: unknown) {
    throw translated(error);
  } finally {
    await client.close();
  }
}

function translated(error: unknown): unknown {
  if (error instanceof CommandRefusedError) {
    const document = {
      status: 'rejected',
      commandId: error.commandId,
      code: error.code,
      message: error.message,
      details: error.details,
    };
    const details =
      Object.keys(error.details).length === 0
        ? ''
        : `\n  details: ${JSON.stringify(error.details)}`;
    return new CliError(
      `${error.code}: ${error.message}${details}`,
      exitCodeForRefusal(error.code),
      document,
    );
  }
  if (error instanceof BusTimeoutError) {
    return new CliError(
      `no reply over the bus: ${error.message}`,
      EXIT.unavailable,
    );
  }
  return error;
}
