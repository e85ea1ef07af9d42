import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import type { Database, DatabaseConnection } from './database.ts';
import { MIGRATION_LOCK_KEY, MIGRATIONS_FOLDER } from './migrations.ts';
import * as schema from './schema.ts';
import { StoreError } from './store-error.ts';

/** Options for {@link PostgresConnection.open}. */
export interface PostgresOptions {
  /** Most connections this process holds (default 10). */
  readonly poolSize?: number;
  /** How long to wait for a connection, in ms (default 10 s). */
  readonly connectTimeoutMs?: number;
  /** Told of errors on idle pooled connections (a restarted server); default: a process warning. */
  readonly onIdleError?: (error: Error) => void;
}

/**
 * A real PostgreSQL server through a node-postgres pool: how many stateless adaptor instances share one
 * database. Migrations run on open under an advisory lock, so instances starting at once do not race.
 *
 * @example
 * const conn = await PostgresConnection.open('postgres://gp2gp@db.internal/gp2gp');
 * await conn.close();
 */
export class PostgresConnection implements DatabaseConnection {
  readonly kind = 'postgres' as const;
  readonly db: Database;
  private readonly pool: pg.Pool;

  private constructor(pool: pg.Pool, db: Database) {
    this.pool = pool;
    this.db = db;
  }

  /** Connects, applies pending migrations (one instance at a time) and returns the pooled connection. */
  static async open(url: string, options: PostgresOptions = {}): Promise<PostgresConnection> {
    const connectionTimeoutMillis = options.connectTimeoutMs ?? 10_000;
    await migrateLocked(url, connectionTimeoutMillis);
    const pool = new pg.Pool({ connectionString: url, max: options.poolSize ?? 10, connectionTimeoutMillis });
    // An idle client's error is emitted on the pool; unheard, it would end the process.
    pool.on(
      'error',
      options.onIdleError ?? ((e) => process.emitWarning(`PostgreSQL idle connection: ${e.message}`)),
    );
    return new PostgresConnection(pool, drizzle({ client: pool, schema }));
  }

  /** Waits for queries in flight and closes every pooled connection. */
  async close(): Promise<void> {
    await this.pool.end();
  }
}

/** Applies migrations on a dedicated connection holding the migration advisory lock for the whole run. */
async function migrateLocked(url: string, connectionTimeoutMillis: number): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis });
  try {
    await client.connect();
  } catch (e) {
    throw new StoreError('unreachable', `PostgreSQL at ${redact(url)}: ${(e as Error).message}`, {
      cause: e,
    });
  }
  client.on('error', () => undefined); // reported by the failing query below
  try {
    await client.query('select pg_advisory_lock($1::bigint)', [MIGRATION_LOCK_KEY]);
    await migrate(drizzle({ client, schema }), { migrationsFolder: MIGRATIONS_FOLDER });
  } catch (e) {
    throw new StoreError('migration-failed', `migrating ${redact(url)}: ${(e as Error).message}`, {
      cause: e,
    });
  } finally {
    await client.end().catch(() => undefined); // ending the session releases the advisory lock
  }
}

/** The URL without its password, for messages. */
export function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparsable DATABASE_URL)';
  }
}
