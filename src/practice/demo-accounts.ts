import { randomBytes } from 'node:crypto';
import type { Database } from '../store/index.ts';
import { accountByUsername, createAccount } from './accounts.ts';
import { ROLES, type Role, roleName } from './roles.ts';

/** A demo sign-in, printed for whoever runs the demo. */
export interface DemoSignIn {
  readonly practiceOds: string;
  readonly role: Role;
  readonly username: string;
  readonly password: string;
}

/**
 * One local account per role per practice for the demo, with a fresh random password each (an account that
 * exists already is left as it is and not listed: its password is not known here).
 *
 * @example
 * for (const s of await createDemoSignIns(db, ['TESTA1'], new Date())) console.log(s.username, s.password);
 */
export async function createDemoSignIns(
  db: Database,
  practices: readonly string[],
  now: Date,
): Promise<DemoSignIn[]> {
  const made: DemoSignIn[] = [];
  for (const ods of practices) {
    for (const role of ROLES) {
      const username = `${ods}-${role}`.toLowerCase();
      if (await accountByUsername(db, username)) continue;
      const password = randomBytes(12).toString('base64url');
      const r = await createAccount(
        db,
        { practiceOds: ods, role, username, password, displayName: `${roleName(role)} (${ods})` },
        now,
      );
      if (r.kind === 'created') made.push({ practiceOds: ods, role, username, password });
    }
  }
  return made;
}
