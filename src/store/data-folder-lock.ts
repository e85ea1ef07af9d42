import { mkdir, open, readFile, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';

/** The outcome of {@link DataFolderLock.acquire}. */
export type LockOutcome =
  | { readonly ok: true; readonly lock: DataFolderLock }
  | { readonly ok: false; readonly heldBy: number };

/**
 * A lock file beside an embedded database folder. PGlite is one process's database: a second process opening
 * the same folder would corrupt it, so the second one must be refused. A lock left by a dead process is taken over.
 *
 * @example
 * const r = await DataFolderLock.acquire('/var/lib/gp2gp/db.lock');
 * if (r.ok) { ...; await r.lock.release(); }
 */
export class DataFolderLock {
  readonly path: string;

  private constructor(path: string) {
    this.path = path;
  }

  /** Takes the lock for this process, or says which live process holds it. */
  static async acquire(path: string): Promise<LockOutcome> {
    await mkdir(dirname(path), { recursive: true });
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        const file = await open(path, 'wx'); // O_EXCL: exactly one creator wins
        await file.writeFile(`${process.pid}\n`);
        await file.close();
        return { ok: true, lock: new DataFolderLock(path) };
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
      const holder = Number.parseInt(await readFile(path, 'utf8').catch(() => ''), 10);
      if (Number.isInteger(holder) && holder > 0 && isAlive(holder)) return { ok: false, heldBy: holder };
      await unlink(path).catch(() => undefined); // stale: its process is gone (or the file was half-written)
    }
    return { ok: false, heldBy: 0 };
  }

  /** Gives the folder up. */
  async release(): Promise<void> {
    await unlink(this.path).catch(() => undefined);
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0); // signal 0 only checks that the process exists
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'; // exists, owned by someone else
  }
}
