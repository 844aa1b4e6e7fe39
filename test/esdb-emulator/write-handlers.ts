import type { IStreamsServer } from '@eventstore/db-client/generated/streams_grpc_pb.js';
import type {
  AppendReq,
  BatchAppendReq,
  BatchAppendResp,
} from '@eventstore/db-client/generated/streams_pb.js';
import type { UUID } from '@eventstore/db-client/generated/shared_pb.js';

import { WrongExpectedVersionFault } from './emulated-log.js';
import type {
  EmulatedLog,
  ExpectedState,
  ProposedEvent,
  WriteResult,
} from './emulated-log.js';
import { emptyPb, sharedPb, streamsPb } from './generated.js';
import {
  appendWrongExpectedVersion,
  batchAppendStatus,
  statusOf,
} from './wire-errors.js';
import {
  batchExpectedOf,
  expectedOf,
  proposedEvent,
  streamIdentifier,
  streamName,
  uuidText,
} from './wire-messages.js';

type WriteHandlers = Pick<
  IStreamsServer,
  'append' | 'batchAppend' | 'delete' | 'tombstone'
>;

interface PendingBatch {
  readonly correlationId: UUID | undefined;
  readonly options: BatchAppendReq.Options | undefined;
  readonly events: ProposedEvent[];
}

/** Streams.Append, BatchAppend, Delete and Tombstone over one log. */
export function writeHandlers(log: EmulatedLog): WriteHandlers {
  return {
    append: (call, callback) => {
      const request: { options?: AppendReq.Options; events: ProposedEvent[] } =
        { events: [] };
      let fault: unknown;
      call.on('data', (message: AppendReq) => {
        request.options = message.getOptions() ?? request.options;
        const proposed = message.getProposedMessage();
        try {
          if (proposed) request.events.push(proposedEvent(proposed));
        } catch (error: unknown) {
          fault ??= error;
        }
      });
      call.on('end', () => {
        if (fault !== undefined) {
          callback(statusOf(fault));
          return;
        }
        try {
          callback(null, appendNow(log, request.options, request.events));
        } catch (error: unknown) {
          if (error instanceof WrongExpectedVersionFault) {
            callback(null, appendWrongExpectedVersion(error));
          } else {
            callback(statusOf(error));
          }
        }
      });
    },

    batchAppend: (call) => {
      const pending = new Map<string, PendingBatch>();
      call.on('data', (message: BatchAppendReq) => {
        const key = uuidText(message.getCorrelationId());
        const batch = pending.get(key) ?? {
          correlationId: message.getCorrelationId(),
          options: message.getOptions(),
          events: [],
        };
        pending.set(key, batch);
        let fault: unknown;
        try {
          message.getProposedMessagesList().forEach((proposed) => {
            batch.events.push(proposedEvent(proposed));
          });
        } catch (error: unknown) {
          fault = error;
        }
        if (!message.getIsFinal() && fault === undefined) return;
        pending.delete(key);
        call.write(batchAppendNow(log, batch, fault));
      });
      call.on('end', () => {
        call.end();
      });
    },

    delete: (call, callback) => {
      const options = call.request.getOptions();
      try {
        const name = streamName(options?.getStreamIdentifier());
        const position = log.delete(name, expectedFrom(options));
        const result = new streamsPb.DeleteResp.Position()
          .setCommitPosition(position.toString())
          .setPreparePosition(position.toString());
        callback(null, new streamsPb.DeleteResp().setPosition(result));
      } catch (error: unknown) {
        callback(statusOf(error));
      }
    },

    tombstone: (call, callback) => {
      const options = call.request.getOptions();
      try {
        const name = streamName(options?.getStreamIdentifier());
        const position = log.tombstone(name, expectedFrom(options));
        const result = new streamsPb.TombstoneResp.Position()
          .setCommitPosition(position.toString())
          .setPreparePosition(position.toString());
        callback(null, new streamsPb.TombstoneResp().setPosition(result));
      } catch (error: unknown) {
        callback(statusOf(error));
      }
    },
  };
}

function expectedFrom(
  options: Parameters<typeof expectedOf>[0] | undefined,
): ExpectedState {
  return options ? expectedOf(options) : { kind: 'any' };
}

function appendNow(
  log: EmulatedLog,
  options: AppendReq.Options | undefined,
  events: readonly ProposedEvent[],
): InstanceType<typeof streamsPb.AppendResp> {
  const name = streamName(options?.getStreamIdentifier());
  const written = log.append(name, events, expectedFrom(options));
  return new streamsPb.AppendResp().setSuccess(appendSuccess(written));
}

function batchAppendNow(
  log: EmulatedLog,
  batch: PendingBatch,
  fault: unknown,
): BatchAppendResp {
  const name = streamName(batch.options?.getStreamIdentifier());
  const expected = batchExpectedOf(batch.options);
  const response = echoRequest(batch, name, expected);
  if (fault !== undefined) {
    return response.setError(batchAppendStatus(fault, name));
  }
  try {
    const written = log.append(name, batch.events, expected);
    return response.setSuccess(batchAppendSuccess(written));
  } catch (error: unknown) {
    return response.setError(batchAppendStatus(error, name));
  }
}

function echoRequest(
  batch: PendingBatch,
  name: string,
  expected: ExpectedState,
): BatchAppendResp {
  const response = new streamsPb.BatchAppendResp()
    .setCorrelationId(batch.correlationId)
    .setStreamIdentifier(streamIdentifier(name));
  switch (expected.kind) {
    case 'revision':
      return response.setStreamPosition(expected.revision.toString());
    case 'no_stream':
      return response.setNoStream(new emptyPb.Empty());
    case 'any':
      return response.setAny(new emptyPb.Empty());
    case 'stream_exists':
      return response.setStreamExists(new emptyPb.Empty());
  }
}

function appendSuccess(
  written: WriteResult,
): InstanceType<typeof streamsPb.AppendResp.Success> {
  const success = new streamsPb.AppendResp.Success();
  if (written.revision === -1n) {
    return success
      .setNoStream(new sharedPb.Empty())
      .setNoPosition(new sharedPb.Empty());
  }
  const position = new streamsPb.AppendResp.Position()
    .setCommitPosition(written.position.toString())
    .setPreparePosition(written.position.toString());
  return success
    .setCurrentRevision(written.revision.toString())
    .setPosition(position);
}

function batchAppendSuccess(
  written: WriteResult,
): InstanceType<typeof streamsPb.BatchAppendResp.Success> {
  const success = new streamsPb.BatchAppendResp.Success();
  if (written.revision === -1n) {
    return success
      .setNoStream(new emptyPb.Empty())
      .setNoPosition(new emptyPb.Empty());
  }
  const position = new sharedPb.AllStreamPosition()
    .setCommitPosition(written.position.toString())
    .setPreparePosition(written.position.toString());
  return success
    .setCurrentRevision(written.revision.toString())
    .setPosition(position);
}
