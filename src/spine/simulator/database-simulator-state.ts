import { lt } from 'drizzle-orm';
import { type Database, schema } from '../../store/index.ts';
import type { GpRegistration } from '../pds/pds-types.ts';
import type { SimulatorState } from './simulator-state.ts';

const { spineEndpoints, spineLoggedMessages, spinePdsRegistrations } = schema;

/**
 * {@link SimulatorState} in the store's `spine_endpoints`, `spine_pds_registrations` and `spine_logged_messages`
 * tables (PGlite in the data folder, or PostgreSQL): every change is committed before the simulator answers, so
 * a simulator killed mid-run starts again where it stood.
 *
 * @example
 * const store = await openStore({ dataDir });
 * const spine = await SpineSimulator.start({ dataDir, state: new DatabaseSimulatorState(store.db) });
 */
export class DatabaseSimulatorState implements SimulatorState {
  private readonly db: Database;

  constructor(db: Database) {
    this.db = db;
  }

  async endpoints(): Promise<ReadonlyMap<string, string>> {
    const rows = await this.db.select().from(spineEndpoints);
    return new Map(rows.map((r) => [r.ods, r.endpoint]));
  }

  async saveEndpoint(ods: string, endpoint: string, at: Date): Promise<void> {
    await this.db
      .insert(spineEndpoints)
      .values({ ods, endpoint, updatedAt: at })
      .onConflictDoUpdate({ target: spineEndpoints.ods, set: { endpoint, updatedAt: at } });
  }

  async registrations(): Promise<ReadonlyMap<string, readonly GpRegistration[]>> {
    const rows = await this.db.select().from(spinePdsRegistrations);
    return new Map(rows.map((r) => [r.nhsNumber, r.registrations]));
  }

  async saveRegistrations(
    nhsNumber: string,
    version: number,
    registrations: readonly GpRegistration[],
    at: Date,
  ): Promise<boolean> {
    const saved = await this.db
      .insert(spinePdsRegistrations)
      .values({ nhsNumber, version, registrations: [...registrations], updatedAt: at })
      .onConflictDoUpdate({
        target: spinePdsRegistrations.nhsNumber,
        set: { version, registrations: [...registrations], updatedAt: at },
        // only over an older version: of two changes racing from one version, the second saves nothing
        setWhere: lt(spinePdsRegistrations.version, version),
      })
      .returning({ nhsNumber: spinePdsRegistrations.nhsNumber });
    return saved.length === 1;
  }

  async claimLogged(messageId: string, at: Date): Promise<boolean> {
    const inserted = await this.db
      .insert(spineLoggedMessages)
      .values({ messageId: messageId.toUpperCase(), loggedAt: at })
      .onConflictDoNothing()
      .returning({ messageId: spineLoggedMessages.messageId });
    return inserted.length === 1;
  }
}
