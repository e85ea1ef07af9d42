import { readFile, writeFile } from 'node:fs/promises';
import type { DemoSignIn } from '../practice/demo-accounts.ts';
import { ROLES } from '../practice/roles.ts';

/** The demo's sign-ins and any practice whose accounts exist with passwords nobody here knows. */
export interface DemoSignIns {
  readonly signIns: readonly DemoSignIn[];
  readonly unknown: readonly string[];
}

/**
 * The demo's sign-ins, kept across starts: accounts are made once with random passwords (only their hashes go
 * in the database), so the passwords are kept in a file only the user can read, in the demo's data folder, to be
 * printed again at every start. `create` makes the accounts that are missing and returns them.
 *
 * @example
 * const { signIns } = await demoSignIns('.data/demo/demo-sign-ins.json', ['DEMOE1'], app.createDemoSignIns);
 */
export async function demoSignIns(
  file: string,
  practices: readonly string[],
  create: (practices: readonly string[]) => Promise<DemoSignIn[]>,
): Promise<DemoSignIns> {
  const kept = await readKept(file);
  const made = await create(practices);
  const all = [...kept.filter((k) => !made.some((m) => m.username === k.username)), ...made];
  if (made.length > 0) await writeFile(file, `${JSON.stringify(all, null, 2)}\n`, { mode: 0o600 });
  const ordered = practices.flatMap((ods) =>
    ROLES.flatMap((role) => all.filter((s) => s.practiceOds === ods && s.role === role)),
  );
  const unknown = practices.filter((ods) => !ordered.some((s) => s.practiceOds === ods));
  return { signIns: ordered, unknown };
}

async function readKept(file: string): Promise<DemoSignIn[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
  const parsed: unknown = JSON.parse(text);
  if (!Array.isArray(parsed)) throw new Error(`${file} is not a list of sign-ins (start with --reset)`);
  return parsed.filter(
    (s): s is DemoSignIn =>
      typeof s?.practiceOds === 'string' &&
      ROLES.includes(s.role) &&
      typeof s.username === 'string' &&
      typeof s.password === 'string',
  );
}
