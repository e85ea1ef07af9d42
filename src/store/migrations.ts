import { fileURLToPath } from 'node:url';

/** The one migrations folder drizzle-kit writes from `schema.ts`, applied as-is on PGlite and PostgreSQL. */
export const MIGRATIONS_FOLDER = fileURLToPath(new URL('./migrations', import.meta.url));

/**
 * Session advisory lock key held while PostgreSQL migrations run, so adaptor instances starting together
 * migrate one at a time (the others wait, then find nothing to do). Advisory locks are per database.
 */
export const MIGRATION_LOCK_KEY = 0x6770_3267_0001; // "gp2g", 1: within 2^53, sent as a bigint
