export * from './event-store.port.js';
export { matchesFilter } from './event-filter.js';
export { comparePositions } from './position.js';
export { InMemoryEventStore } from './in-memory/in-memory-event-store.js';
export type {
  InMemoryEventStoreOptions,
  SeedEvent,
} from './in-memory/in-memory-event-store.js';
export { SqliteEventStore } from './sqlite/sqlite-event-store.js';
export type {
  SqliteEventStoreOptions,
  SqliteEventStoreStats,
} from './sqlite/sqlite-event-store.js';
export { SCHEMA_VERSION } from './sqlite/sqlite-database.js';
export type {
  Durability,
  SqliteFileOptions,
} from './sqlite/sqlite-database.js';
export {
  EventSerializer,
  UnreadableEventError,
} from './serialization/event-serializer.js';
export type {
  SerializedEvent,
  StoredEvent,
} from './serialization/stored-event.js';
export {
  MissingUpcasterError,
  ORGANIZATION_UPCASTERS,
  Upcasting,
} from './upcasting/upcasters.js';
export type {
  SchemaOptions,
  SchemaVersionTable,
  Upcaster,
  UpcasterRegistry,
  VersionedData,
} from './upcasting/upcasters.js';
export { UnreadableSnapshotError } from './snapshots/snapshot-store.port.js';
export type {
  Snapshot,
  SnapshotStore,
} from './snapshots/snapshot-store.port.js';
export { InMemorySnapshotStore } from './snapshots/in-memory-snapshot-store.js';
export { SqliteSnapshotStore } from './snapshots/sqlite-snapshot-store.js';
export type { SqliteSnapshotStoreOptions } from './snapshots/sqlite-snapshot-store.js';
export { EventSourcedRepository } from './snapshots/event-sourced-repository.js';
export type {
  EventSourcedRepositoryOptions,
  LoadedState,
  RepositoryLogger,
} from './snapshots/event-sourced-repository.js';
export {
  canonicalJson,
  GENESIS_HASH,
  HASH_KEY,
  hashEvent,
  PREV_HASH_KEY,
  storedHashOf,
  verifyChain,
  withoutChainKeys,
} from './integrity/hash-chain.js';
export type {
  ChainedEvent,
  ChainVerification,
} from './integrity/hash-chain.js';
export {
  publicKeyFingerprint,
  signDigest,
  verifyDigest,
} from './integrity/signed-digest.js';
export type {
  DigestBody,
  DigestEntry,
  DigestVerification,
  SignedDigest,
} from './integrity/signed-digest.js';
export { KEY_BYTES, PersonalDataError } from './erasure/key-store.port.js';
export type { KeyStore } from './erasure/key-store.port.js';
export {
  ENCRYPTED_KEY,
  PersonalDataCipher,
} from './erasure/personal-data-cipher.js';
export type {
  EncryptedValue,
  PersonalDataPolicy,
} from './erasure/personal-data-cipher.js';
export {
  ErasingEventStore,
  ErasingSnapshotStore,
} from './erasure/erasing-event-store.js';
export { InMemoryKeyStore } from './erasure/in-memory-key-store.js';
export { ORGANIZATION_PERSONAL_DATA } from './erasure/organization-personal-data.js';
export { SqliteKeyStore } from './erasure/sqlite-key-store.js';
export { RedisKeyStore } from './erasure/redis-key-store.js';
