import { join, resolve } from 'node:path';
import type { Database, DatabaseConnection, DatabaseKind } from './database.ts';
import { DatabaseSeenMessageIds, type DatabaseSeenOptions } from './database-seen-message-ids.ts';
import { DiskDocumentStore } from './disk-document-store.ts';
import type { DocumentStore } from './document-store.ts';
import { PgliteConnection } from './pglite-connection.ts';
import { PostgresConnection, type PostgresOptions } from './postgres-connection.ts';

/** Which database to open; absent, `DATABASE_URL` picks PostgreSQL and otherwise PGlite in `DATA_DIR/db`. */
export type DatabaseChoice =
  | { readonly kind: 'pglite'; readonly dir?: string }
  | ({ readonly kind: 'postgres'; readonly url: string } & PostgresOptions);

/** Options for {@link openStore}; each falls back to the environment, then to a default. */
export interface StoreOptions {
  /** The data folder (default `DATA_DIR`, else `./data`): PGlite in `db/`, attachments in `documents/`. */
  readonly dataDir?: string;
  readonly database?: DatabaseChoice;
  /** Where documents go (default `<dataDir>/documents`); shared storage when instances share PostgreSQL. */
  readonly documentsDir?: string;
  /** Largest document accepted, in bytes (default 1 GiB). */
  readonly maxDocumentBytes?: number;
  readonly seenMessageIds?: DatabaseSeenOptions;
  /** Where the defaults are read (default `process.env`). */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/** An open store: the database (migrated), the documents folder and the tables' classes. Close it once. */
export interface Store {
  readonly kind: DatabaseKind;
  readonly db: Database;
  readonly documents: DocumentStore;
  readonly seenMessageIds: DatabaseSeenMessageIds;
  close(): Promise<void>;
}

/**
 * Opens the store: PGlite in the data folder by default, PostgreSQL when `DATABASE_URL` (or `database`) says so;
 * migrations are applied before it returns. Throws a `StoreError` (locked, unreachable, migration-failed).
 *
 * @example
 * const store = await openStore({ dataDir: 'data' });          // or DATABASE_URL=postgres://… in the environment
 * const seen = store.seenMessageIds;
 * await store.close();
 */
export async function openStore(options: StoreOptions = {}): Promise<Store> {
  const env = options.env ?? process.env;
  const dataDir = resolve(options.dataDir ?? env.DATA_DIR ?? 'data');
  const choice: DatabaseChoice =
    options.database ?? (env.DATABASE_URL ? { kind: 'postgres', url: env.DATABASE_URL } : { kind: 'pglite' });
  const documents = await DiskDocumentStore.open(options.documentsDir ?? join(dataDir, 'documents'), {
    maxBytes: options.maxDocumentBytes,
  });
  let connection: DatabaseConnection;
  try {
    connection =
      choice.kind === 'postgres'
        ? await PostgresConnection.open(choice.url, choice)
        : await PgliteConnection.open(resolve(choice.dir ?? join(dataDir, 'db')));
  } catch (e) {
    await documents.close();
    throw e;
  }
  return new OpenStore(
    connection,
    documents,
    new DatabaseSeenMessageIds(connection.db, options.seenMessageIds),
  );
}

/** The {@link Store} {@link openStore} returns. */
class OpenStore implements Store {
  readonly kind: DatabaseKind;
  readonly db: Database;
  readonly documents: DocumentStore;
  readonly seenMessageIds: DatabaseSeenMessageIds;
  private readonly connection: DatabaseConnection;
  private closing: Promise<void> | undefined;

  constructor(
    connection: DatabaseConnection,
    documents: DocumentStore,
    seenMessageIds: DatabaseSeenMessageIds,
  ) {
    this.connection = connection;
    this.kind = connection.kind;
    this.db = connection.db;
    this.documents = documents;
    this.seenMessageIds = seenMessageIds;
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      await this.documents.close();
      await this.connection.close();
    })();
    return this.closing;
  }
}
