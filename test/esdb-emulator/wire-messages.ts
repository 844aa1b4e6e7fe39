import type {
  StreamIdentifier,
  UUID,
} from '@eventstore/db-client/generated/shared_pb.js';
import type {
  AppendReq,
  BatchAppendReq,
  ReadResp,
} from '@eventstore/db-client/generated/streams_pb.js';

import type {
  ExpectedState,
  LogRecord,
  ProposedEvent,
} from './emulated-log.js';
import { sharedPb, streamsPb } from './generated.js';

/** Event metadata keys a proposed event must carry. */
export const REQUIRED_METADATA = ['type', 'content-type'] as const;

/** A proposed event lacks `type` or `content-type`. */
export class RequiredMetadataFault extends Error {
  constructor() {
    super(`proposed events need ${REQUIRED_METADATA.join(' and ')}`);
  }
}

/** The name of a stream identifier, decoded from its UTF-8 bytes. */
export function streamName(identifier: StreamIdentifier | undefined): string {
  return Buffer.from(identifier?.getStreamName_asU8() ?? []).toString('utf8');
}

export function streamIdentifier(name: string): StreamIdentifier {
  return new sharedPb.StreamIdentifier().setStreamName(
    Buffer.from(name, 'utf8'),
  );
}

/** A UUID message as canonical lower-case text, as the server prints it. */
export function uuidText(uuid: UUID | undefined): string {
  const structured = uuid?.getStructured();
  if (!structured) return (uuid?.getString() ?? '').toLowerCase();
  const bytes = Buffer.alloc(16);
  const signed = (bits: string): bigint => BigInt.asIntN(64, BigInt(bits));
  bytes.writeBigInt64BE(signed(structured.getMostSignificantBits()), 0);
  bytes.writeBigInt64BE(signed(structured.getLeastSignificantBits()), 8);
  const hex = bytes.toString('hex');
  return [
    hex.slice(0, 8),
    hex.slice(8, 12),
    hex.slice(12, 16),
    hex.slice(16, 20),
    hex.slice(20),
  ].join('-');
}

/** A UUID message in the form the reader asked for. */
export function uuidMessage(text: string, structured: boolean): UUID {
  const uuid = new sharedPb.UUID();
  if (!structured) return uuid.setString(text);
  const bytes = Buffer.from(text.replaceAll('-', ''), 'hex');
  const parts = new sharedPb.UUID.Structured()
    .setMostSignificantBits(bytes.readBigInt64BE(0).toString())
    .setLeastSignificantBits(bytes.readBigInt64BE(8).toString());
  return uuid.setStructured(parts);
}

/** The expected state of Append, Delete and Tombstone options. */
export function expectedOf(options: {
  hasRevision(): boolean;
  getRevision(): string;
  hasNoStream(): boolean;
  hasStreamExists(): boolean;
}): ExpectedState {
  if (options.hasRevision()) {
    return { kind: 'revision', revision: BigInt(options.getRevision()) };
  }
  if (options.hasNoStream()) return { kind: 'no_stream' };
  if (options.hasStreamExists()) return { kind: 'stream_exists' };
  return { kind: 'any' };
}

/** The expected state of BatchAppend options. */
export function batchExpectedOf(
  options: BatchAppendReq.Options | undefined,
): ExpectedState {
  if (options?.hasStreamPosition()) {
    return { kind: 'revision', revision: BigInt(options.getStreamPosition()) };
  }
  if (options?.hasNoStream()) return { kind: 'no_stream' };
  if (options?.hasStreamExists()) return { kind: 'stream_exists' };
  return { kind: 'any' };
}

/** A proposed message of Append or BatchAppend as the log stores it. */
export function proposedEvent(
  message: AppendReq.ProposedMessage | BatchAppendReq.ProposedMessage,
): ProposedEvent {
  const metadata = message.getMetadataMap();
  const type = metadata.get('type');
  const contentType = metadata.get('content-type');
  if (type === undefined || contentType === undefined) {
    throw new RequiredMetadataFault();
  }
  return {
    id: uuidText(message.getId()),
    type,
    contentType,
    data: message.getData_asU8(),
    metadata: message.getCustomMetadata_asU8(),
  };
}

/** A read or subscription message carrying one record. */
export function eventMessage(record: LogRecord, structured: boolean): ReadResp {
  const recorded = new streamsPb.ReadResp.ReadEvent.RecordedEvent()
    .setId(uuidMessage(record.id, structured))
    .setStreamIdentifier(streamIdentifier(record.streamId))
    .setStreamRevision(record.revision.toString())
    .setCommitPosition(record.position.toString())
    .setPreparePosition(record.position.toString())
    .setData(record.data)
    .setCustomMetadata(record.metadata);
  recorded
    .getMetadataMap()
    .set('type', record.type)
    .set('content-type', record.contentType)
    .set('created', record.created.toString());
  const event = new streamsPb.ReadResp.ReadEvent()
    .setEvent(recorded)
    .setCommitPosition(record.position.toString());
  return new streamsPb.ReadResp().setEvent(event);
}

export function confirmationMessage(subscriptionId: string): ReadResp {
  return new streamsPb.ReadResp().setConfirmation(
    new streamsPb.ReadResp.SubscriptionConfirmation().setSubscriptionId(
      subscriptionId,
    ),
  );
}

export function caughtUpMessage(): ReadResp {
  return new streamsPb.ReadResp().setCaughtUp(
    new streamsPb.ReadResp.CaughtUp(),
  );
}

export function checkpointMessage(commit: bigint, prepare: bigint): ReadResp {
  return new streamsPb.ReadResp().setCheckpoint(
    new streamsPb.ReadResp.Checkpoint()
      .setCommitPosition(commit.toString())
      .setPreparePosition(prepare.toString()),
  );
}

export function streamNotFoundMessage(name: string): ReadResp {
  return new streamsPb.ReadResp().setStreamNotFound(
    new streamsPb.ReadResp.StreamNotFound().setStreamIdentifier(
      streamIdentifier(name),
    ),
  );
}
