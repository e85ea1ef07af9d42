// The store's public face: the rest of the codebase imports from here.
export type { Database, DatabaseConnection, DatabaseKind } from './database.ts';
export {
  type DatabaseDocumentOptions,
  DatabaseDocumentStore,
  type PruneOptions,
} from './database-document-store.ts';
export { DatabaseSeenMessageIds, type DatabaseSeenOptions } from './database-seen-message-ids.ts';
export { type DiskDocumentOptions, DiskDocumentStore } from './disk-document-store.ts';
export type {
  ByteRange,
  DocumentSource,
  DocumentStore,
  PutOutcome,
  ReadOutcome,
  StoredDocument,
} from './document-store.ts';
export { PgliteConnection } from './pglite-connection.ts';
export { PostgresConnection, type PostgresOptions } from './postgres-connection.ts';
export * as schema from './schema.ts';
export {
  type DatabaseChoice,
  type DocumentsChoice,
  openStore,
  type Store,
  type StoreOptions,
} from './store.ts';
export { StoreError, type StoreErrorCode } from './store-error.ts';
