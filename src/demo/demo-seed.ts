import { generateRecord, withDocumentUrls } from '../record/synthetic/index.ts';
import type { Store } from '../store/index.ts';
import {
  listTransfers,
  PracticeRecordStore,
  storedDocumentUrl,
  type TransferEngine,
} from '../transfer/index.ts';
import type { DemoMove, DemoNetwork, DemoPatient } from './demo-network.ts';

/** What seeding did: records filed now, and those a previous start had filed. */
export interface SeedOutcome {
  readonly seeded: number;
  readonly alreadyThere: number;
}

/**
 * Files each hosted practice's patients' synthetic records in its practice record store (documents first, then
 * the Bundle pointing at them). A patient whose record the practice holds, or held, is left alone: a second
 * start, or one after an interrupted first, adds only what is missing.
 *
 * @example
 * const { seeded } = await seedRecords(store, demoNetwork(), new Date());
 */
export async function seedRecords(store: Store, network: DemoNetwork, now: Date): Promise<SeedOutcome> {
  const records = new PracticeRecordStore(store.db, store.documents);
  const hosted = new Set(network.practices.filter((p) => p.hosted).map((p) => p.entry.ods));
  let seeded = 0;
  let alreadyThere = 0;
  for (const p of network.patients) {
    if (!hosted.has(p.ods)) continue;
    if (await records.heldBefore(p.ods, p.patient.nhsNumber)) {
      alreadyThere++;
      continue;
    }
    const bundleDocumentId = await records.storeBundle(await recordOf(store, p, network));
    // Filed last: a start interrupted before this line seeds the patient again, never half.
    await records.put({ practiceOds: p.ods, nhsNumber: p.patient.nhsNumber, bundleDocumentId, at: now });
    seeded++;
  }
  return { seeded, alreadyThere };
}

async function recordOf(store: Store, p: DemoPatient, network: DemoNetwork) {
  const practice = network.practices.find((x) => x.entry.ods === p.ods)!;
  const record = generateRecord({
    seed: p.recordSeed,
    practiceOds: p.ods,
    practiceName: practice.entry.name,
    patient: p.patient,
    profile: p.profile,
    documents: { sizes: p.documentSizes },
  });
  const urls = new Map<string, string>();
  for (const doc of record.documents) {
    const put = await store.documents.put(doc.open());
    if (!put.ok) throw new Error(`document ${doc.title} is larger than the store takes`);
    urls.set(doc.id, storedDocumentUrl(put.document.id));
  }
  return withDocumentUrls(record.bundle, (id) => urls.get(id));
}

/** A move and what became of it at this start. */
export interface MoveOutcome {
  readonly move: DemoMove;
  /** `requested` or `not-possible` now; `earlier` when a previous start made it; `refused` with why. */
  readonly kind: 'requested' | 'not-possible' | 'earlier' | 'refused';
  readonly message?: string;
}

/**
 * Registers each moving patient at their new practice, which requests the record (as a registration clerk
 * would through the web app). A move whose new practice has any transfer of the patient already, from a
 * previous start, is not made again.
 *
 * @example
 * for (const m of await startMoves(engine, store, network.moves)) console.log(m.move.nhsNumber, m.kind);
 */
export async function startMoves(
  engine: TransferEngine,
  store: Store,
  moves: readonly DemoMove[],
): Promise<MoveOutcome[]> {
  const out: MoveOutcome[] = [];
  for (const move of moves) {
    const earlier = await listTransfers(store.db, {
      practiceOds: move.to,
      role: 'requesting',
      nhsNumber: move.nhsNumber,
      limit: 1,
    });
    if (earlier.length > 0) {
      out.push({ move, kind: 'earlier' });
      continue;
    }
    const r = await engine.commands.requestRecord({
      practiceOds: move.to,
      nhsNumber: move.nhsNumber,
      actor: 'gp2gp demo',
    });
    out.push(r.kind === 'requested' ? { move, kind: r.kind } : { move, kind: r.kind, message: r.message });
  }
  return out;
}
