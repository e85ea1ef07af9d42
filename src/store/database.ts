import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import type * as schema from './schema.ts';

/**
 * The drizzle database over either backend (PGlite or node-postgres): write queries against this type only, so
 * the same code runs embedded and on PostgreSQL.
 *
 * @example
 * const rows = await store.db.select().from(mhsSeenMessageIds).limit(10);
 */
export type Database = PgDatabase<RowsResultHKT, typeof schema>;

/** What raw `db.execute(sql…)` gives on both backends: node-postgres `QueryResult` and PGlite `Results` have `rows`. */
export interface RowsResultHKT extends PgQueryResultHKT {
  type: Rows<this['row']>;
}

/** Rows of a raw query. */
export interface Rows<Row> {
  readonly rows: Row[];
}

/** Which engine a store runs on. */
export type DatabaseKind = 'pglite' | 'postgres';

/**
 * An open database connection (or pool) with its close; what {@link openStore} builds a store from.
 *
 * @example
 * const conn = await PgliteConnection.open('/var/lib/gp2gp/db'); await conn.close();
 */
export interface DatabaseConnection {
  readonly kind: DatabaseKind;
  readonly db: Database;
  close(): Promise<void>;
}
