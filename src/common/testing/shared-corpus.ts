import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (two levels above src/common/testing). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** `../shared` beside the repository, where the conformance corpus and MIM schemas live. */
export const SHARED_DIR = resolve(REPO_ROOT, '..', 'shared');

/**
 * Absolute path of a file or folder in ../shared, or undefined (with a message printed once) where it is absent,
 * so tests can skip with a clear reason instead of failing on machines without it.
 *
 * @example
 * const dir = sharedPath('corpus/messages');
 * test('reads the corpus', { skip: dir ? false : SHARED_MISSING }, () => { ... });
 */
export function sharedPath(...parts: string[]): string | undefined {
  const p = join(SHARED_DIR, ...parts);
  return existsSync(p) ? p : undefined;
}

/** Skip reason used when ../shared is not there. */
export const SHARED_MISSING = `../shared is absent (looked in ${SHARED_DIR}): conformance corpus tests skipped`;

/** Files in a ../shared folder whose names match, sorted; empty where the folder is absent. */
export function sharedFiles(folder: string, match: RegExp = /./): string[] {
  const dir = sharedPath(folder);
  if (!dir) return [];
  return readdirSync(dir)
    .filter((f) => match.test(f))
    .sort()
    .map((f) => join(dir, f));
}
