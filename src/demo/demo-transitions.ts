import { formatNhsNumber } from '../practice/registration-form.ts';
import type { Database } from '../store/index.ts';
import { type EngineEvent, getTransfer } from '../transfer/index.ts';

/**
 * Prints transfer state changes as one line each, e.g.
 * `15:04:05  DEMOE1 ← DEMOT2  999 123 4567  awaiting-extract → ready-to-integrate`. Changes announced before
 * {@link TransitionPrinter.attach} (while the demo starts) are held and printed then, in order.
 *
 * @example
 * const printer = new TransitionPrinter();
 * const demo = await startDemo({ ..., onTransition: (e) => printer.add(e) });
 * printer.attach(demo.store.db, (line) => process.stdout.write(line));
 */
export class TransitionPrinter {
  private held: EngineEvent[] = [];
  private db: Database | undefined;
  private write: ((line: string) => void) | undefined;
  // Lines are looked up one after another so they print in the order the changes happened.
  private printing: Promise<void> = Promise.resolve();

  /** A state change to print. */
  add(event: EngineEvent): void {
    if (!this.db) {
      this.held.push(event);
      return;
    }
    const db = this.db;
    this.printing = this.printing.then(() => this.print(db, event));
  }

  /** Starts printing, beginning with the held changes. */
  attach(db: Database, write: (line: string) => void): void {
    this.db = db;
    this.write = write;
    for (const e of this.held.splice(0)) this.add(e);
  }

  /** Resolves once every change announced so far is printed. */
  flushed(): Promise<void> {
    return this.printing;
  }

  private async print(db: Database, e: EngineEvent): Promise<void> {
    const t = await getTransfer(db, { practiceOds: e.practiceOds, transferId: e.transferId }).catch(
      () => undefined,
    );
    const time = new Date().toTimeString().slice(0, 8);
    const who = t
      ? e.role === 'requesting'
        ? `${e.practiceOds} ← ${t.peerOds}`
        : `${e.practiceOds} → ${t.peerOds}`
      : `${e.practiceOds} ${e.role}`;
    const patient = t ? `  ${formatNhsNumber(t.nhsNumber)}` : '';
    const reason =
      t?.reasonCode && e.to === t.state ? ` (reason ${t.reasonCode}: ${t.reasonText ?? ''})` : '';
    this.write?.(`${time}  ${who}${patient}  ${e.from ?? 'new'} → ${e.to}${reason}\n`);
  }
}
