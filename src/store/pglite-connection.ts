import { PGlite } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';
import { DataFolderLock } from './data-folder-lock.ts';
import type { Database, DatabaseConnection } from './database.ts';
import { MIGRATIONS_FOLDER } from './migrations.ts';
import * as schema from './schema.ts';
import { StoreError } from './store-error.ts';

/**
 * The embedded database: PGlite (PostgreSQL compiled to WASM) in a data folder, migrated on open. One process
 * only: a lock file beside the folder refuses a second opener.
 *
 * @example
 * const conn = await PgliteConnection.open('data/db');
 * await conn.close();
 */
export class PgliteConnection implements DatabaseConnection {
  readonly kind = 'pglite' as const;
  readonly db: Database;
  private readonly client: PGlite;
  private readonly lock: DataFolderLock;

  private constructor(client: PGlite, db: Database, lock: DataFolderLock) {
    this.client = client;
    this.db = db;
    this.lock = lock;
  }

  /** Opens (creating on first use) the database in `dir` and applies pending migrations. */
  static async open(dir: string): Promise<PgliteConnection> {
    const locked = await DataFolderLock.acquire(`${dir}.lock`);
    if (!locked.ok) {
      throw new StoreError('locked', `database folder ${dir} is in use by process ${locked.heldBy}`);
    }
    let client: PGlite | undefined;
    try {
      client = await PGlite.create(dir);
      const db = drizzle({ client, schema });
      await migrate(db, { migrationsFolder: MIGRATIONS_FOLDER }).catch((e: unknown) => {
        throw new StoreError('migration-failed', `migrating ${dir}: ${(e as Error).message}`, { cause: e });
      });
      return new PgliteConnection(client, db, locked.lock);
    } catch (e) {
      await client?.close().catch(() => undefined);
      await locked.lock.release();
      throw e;
    }
  }

  /** Closes the database and releases the folder. */
  async close(): Promise<void> {
    try {
      if (!this.client.closed) await this.client.close();
    } finally {
      await this.lock.release();
    }
  }
}
