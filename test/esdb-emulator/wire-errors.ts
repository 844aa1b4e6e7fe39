import type { Metadata } from '@grpc/grpc-js';
import type { Code } from '@eventstore/db-client/generated/code_pb.js';
import type { Status } from '@eventstore/db-client/generated/status_pb.js';
import type { AppendResp } from '@eventstore/db-client/generated/streams_pb.js';

import {
  MaxAppendSizeFault,
  StreamDeletedFault,
  WrongExpectedVersionFault,
} from './emulated-log.js';
import type { ExpectedState } from './emulated-log.js';
import {
  anyPb,
  codePb,
  emptyPb,
  grpc,
  sharedPb,
  statusPb,
  streamsPb,
} from './generated.js';
import {
  REQUIRED_METADATA,
  RequiredMetadataFault,
  streamIdentifier,
} from './wire-messages.js';

/** A gRPC status with trailers, as a call ends with it. */
export interface WireStatus {
  readonly code: number;
  readonly details: string;
  readonly metadata: Metadata;
}

/**
 * The number the server writes for an expected state in error trailers:
 * the revision itself, or -1 no stream, -2 any, -4 stream exists.
 */
export function expectedVersionNumber(expected: ExpectedState): bigint {
  switch (expected.kind) {
    case 'revision':
      return expected.revision;
    case 'no_stream':
      return -1n;
    case 'any':
      return -2n;
    case 'stream_exists':
      return -4n;
  }
}

/**
 * The status a unary, client-streaming or server-streaming call ends with
 * for a fault: FAILED_PRECONDITION or INVALID_ARGUMENT with the
 * `exception` trailer the client dispatches on.
 */
export function statusOf(fault: unknown): WireStatus {
  if (fault instanceof WrongExpectedVersionFault) {
    return failedPrecondition(
      `Operation failed: wrong expected version for stream ${fault.streamId}`,
      {
        exception: 'wrong-expected-version',
        'stream-name': fault.streamId,
        'expected-version': expectedVersionNumber(fault.expected).toString(),
        'actual-version': fault.current.toString(),
      },
    );
  }
  if (fault instanceof StreamDeletedFault) {
    return failedPrecondition(`Event stream '${fault.streamId}' is deleted.`, {
      exception: 'stream-deleted',
      'stream-name': fault.streamId,
    });
  }
  if (fault instanceof MaxAppendSizeFault) {
    return invalidArgument(
      `Maximum Append Size of ${fault.maxAppendSize} Exceeded.`,
      {
        exception: 'maximum-append-size-exceeded',
        'maximum-append-size': String(fault.maxAppendSize),
      },
    );
  }
  if (fault instanceof RequiredMetadataFault) {
    return invalidArgument(fault.message, {
      exception: 'missing-required-metadata-property',
      'required-metadata-properties': REQUIRED_METADATA.join(','),
    });
  }
  const message = fault instanceof Error ? fault.message : String(fault);
  return { code: grpc.status.UNKNOWN, details: message, metadata: trailers() };
}

/** The in-band `wrong_expected_version` result of Streams.Append. */
export function appendWrongExpectedVersion(
  fault: WrongExpectedVersionFault,
): AppendResp {
  const wrong = new streamsPb.AppendResp.WrongExpectedVersion();
  if (fault.current === -1n) {
    wrong.setCurrentNoStream(new sharedPb.Empty());
    wrong.setNoStream2060(new sharedPb.Empty());
  } else {
    wrong.setCurrentRevision(fault.current.toString());
    wrong.setCurrentRevision2060(Number(fault.current));
  }
  const { expected } = fault;
  switch (expected.kind) {
    case 'revision':
      wrong.setExpectedRevision(expected.revision.toString());
      wrong.setExpectedRevision2060(Number(expected.revision));
      break;
    case 'no_stream':
      wrong.setExpectedNoStream(new sharedPb.Empty());
      break;
    case 'any':
      wrong.setExpectedAny(new sharedPb.Empty());
      wrong.setAny2060(new sharedPb.Empty());
      break;
    case 'stream_exists':
      wrong.setExpectedStreamExists(new sharedPb.Empty());
      wrong.setStreamExists2060(new sharedPb.Empty());
      break;
  }
  return new streamsPb.AppendResp().setWrongExpectedVersion(wrong);
}

/**
 * The `google.rpc.Status` of a failed BatchAppend request, its details
 * packing the `event_store.client.*` message the client unpacks.
 */
export function batchAppendStatus(fault: unknown, stream: string): Status {
  if (fault instanceof WrongExpectedVersionFault) {
    return packed(
      codePb.Code.FAILED_PRECONDITION,
      `Append failed due to WrongExpectedVersion. Stream: ${stream}`,
      'WrongExpectedVersion',
      wrongExpectedVersionDetails(fault).serializeBinary(),
    );
  }
  if (fault instanceof StreamDeletedFault) {
    const details = new sharedPb.StreamDeleted().setStreamIdentifier(
      streamIdentifier(stream),
    );
    return packed(
      codePb.Code.FAILED_PRECONDITION,
      `Event stream '${stream}' is deleted.`,
      'StreamDeleted',
      details.serializeBinary(),
    );
  }
  if (fault instanceof MaxAppendSizeFault) {
    const details = new sharedPb.MaximumAppendSizeExceeded().setMaxappendsize(
      fault.maxAppendSize,
    );
    return packed(
      codePb.Code.INVALID_ARGUMENT,
      `Maximum Append Size of ${fault.maxAppendSize} Exceeded.`,
      'MaximumAppendSizeExceeded',
      details.serializeBinary(),
    );
  }
  const message = fault instanceof Error ? fault.message : String(fault);
  return packed(
    codePb.Code.UNKNOWN,
    message,
    'Unknown',
    new sharedPb.Unknown().serializeBinary(),
  );
}

function wrongExpectedVersionDetails(
  fault: WrongExpectedVersionFault,
): InstanceType<typeof sharedPb.WrongExpectedVersion> {
  const details = new sharedPb.WrongExpectedVersion();
  if (fault.current === -1n) details.setCurrentNoStream(new emptyPb.Empty());
  else details.setCurrentStreamRevision(fault.current.toString());
  const { expected } = fault;
  switch (expected.kind) {
    case 'revision':
      details.setExpectedStreamPosition(expected.revision.toString());
      break;
    case 'no_stream':
      details.setExpectedNoStream(new emptyPb.Empty());
      break;
    case 'any':
      details.setExpectedAny(new emptyPb.Empty());
      break;
    case 'stream_exists':
      details.setExpectedStreamExists(new emptyPb.Empty());
      break;
  }
  return details;
}

function packed(
  code: Code,
  message: string,
  type: string,
  bytes: Uint8Array,
): Status {
  const details = new anyPb.Any();
  details.pack(bytes, `event_store.client.${type}`);
  return new statusPb.Status()
    .setCode(code)
    .setMessage(message)
    .setDetails(details);
}

function failedPrecondition(
  details: string,
  entries: Readonly<Record<string, string>>,
): WireStatus {
  return {
    code: grpc.status.FAILED_PRECONDITION,
    details,
    metadata: trailers(entries),
  };
}

function invalidArgument(
  details: string,
  entries: Readonly<Record<string, string>>,
): WireStatus {
  return {
    code: grpc.status.INVALID_ARGUMENT,
    details,
    metadata: trailers(entries),
  };
}

function trailers(entries: Readonly<Record<string, string>> = {}): Metadata {
  const metadata = new grpc.Metadata();
  Object.entries(entries).forEach(([key, value]) => {
    metadata.set(key, value);
  });
  return metadata;
}
