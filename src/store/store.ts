import { join, resolve } from 'node:path';
import type { Database, DatabaseConnection, DatabaseKind } from './database.ts';
import { type DatabaseDocumentOptions, DatabaseDocumentStore } from './database-document-store.ts';
import { DatabaseSeenMessageIds, type DatabaseSeenOptions } from './database-seen-message-ids.ts';
import { DiskDocumentStore } from './disk-document-store.ts';
import type { DocumentStore } from './document-store.ts';
import { PgliteConnection } from './pglite-connection.ts';
import { PostgresConnection, type PostgresOptions } from './postgres-connection.ts';

/** Which database to open; absent, `DATABASE_URL` picks PostgreSQL and otherwise PGlite in `DATA_DIR/db`. */
export type DatabaseChoice =
  | { readonly kind: 'pglite'; readonly dir?: string }
  | ({ readonly kind: 'postgres'; readonly url: string } & PostgresOptions);

/**
 * Where documents go: a folder (default `<dataDir>/documents`), or the database itself (chunked, so every
 * process sharing a PostgreSQL reads what any of them wrote).
 */
export type DocumentsChoice =
  | { readonly kind: 'disk'; readonly dir?: string }
  | ({ readonly kind: 'database' } & Omit<DatabaseDocumentOptions, 'maxBytes'>);

/** Options for {@link openStore}; each falls back to the environment, then to a default. */
export interface StoreOptions {
  /** The data folder (default `DATA_DIR`, else `./data`): PGlite in `db/`, attachments in `documents/`. */
  readonly dataDir?: string;
  readonly database?: DatabaseChoice;
  /**
   * Where documents go. Default: in the database on PostgreSQL, in `<dataDir>/documents` on PGlite. Takes
   * precedence over `documentsDir`.
   */
  readonly documents?: DocumentsChoice;
  /** Documents on disk in this folder (shorthand for `documents: { kind: 'disk', dir }`). */
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
 * migrations are applied before it returns. Documents go beside the database: in the data folder for PGlite, in
 * the database for PostgreSQL (unless `documents` or `documentsDir` says otherwise). Throws a `StoreError`
 * (locked, unreachable, migration-failed).
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
  const documentsChoice: DocumentsChoice =
    options.documents ??
    (options.documentsDir === undefined && choice.kind === 'postgres'
      ? { kind: 'database' }
      : { kind: 'disk', dir: options.documentsDir });
  const connection: DatabaseConnection =
    choice.kind === 'postgres'
      ? await PostgresConnection.open(choice.url, choice)
      : await PgliteConnection.open(resolve(choice.dir ?? join(dataDir, 'db')));
  let documents: DocumentStore;
  try {
    const maxBytes = options.maxDocumentBytes;
    documents =
      documentsChoice.kind === 'database'
        ? await DatabaseDocumentStore.open(connection.db, { ...documentsChoice, maxBytes })
        : await DiskDocumentStore.open(documentsChoice.dir ?? join(dataDir, 'documents'), { maxBytes });
  } catch (e) {
    await connection.close();
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
