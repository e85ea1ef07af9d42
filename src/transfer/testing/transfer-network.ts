import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { and, eq } from 'drizzle-orm';
import type { Bundle, DocumentReference, FhirResource, List, Patient } from 'fhir/r3.js';
import { ManualClock } from '../../common/clock.ts';
import { syntheticBundle } from '../../record/to-hl7/testing/synthetic-bundle.ts';
import type { PdsPatientRecord, PracticeDirectoryEntry } from '../../spine/index.ts';
import { SpineSimulator, samplePractice } from '../../spine/index.ts';
import { type DatabaseChoice, openStore, type Store, schema } from '../../store/index.ts';
import { type EngineOptions, TransferEngine } from '../engine.ts';
import type { EngineSettings } from '../engine-settings.ts';
import type { LargeMessagePolicy } from '../large-message/index.ts';
import { storedDocumentUrl } from '../records/practice-record-store.ts';
import type { TransferRow } from '../transfer-row.ts';
import type { TransferState } from '../transfer-state.ts';

/** Options for {@link startTransferNetwork}. */
export interface TransferNetworkOptions {
  /** SDS entries (default: three live English practices, TESTA1, TESTB2 and TESTC3). */
  readonly practices?: readonly PracticeDirectoryEntry[];
  readonly patients?: readonly PdsPatientRecord[];
  /** Which practices the engine hosts (default: every practice). */
  readonly hosted?: readonly string[];
  /** PGlite in a temporary folder (default) or a PostgreSQL URL. */
  readonly database?: DatabaseChoice;
  readonly settings?: Partial<EngineSettings>;
  readonly largeMessages?: LargeMessagePolicy;
  readonly clock?: ManualClock;
  /** Where sending practices' records come from (default: the built-in store). */
  readonly records?: EngineOptions['records'];
}

/** A Spine simulator and one engine hosting practices on it, over real HTTPS with mutual TLS. */
export interface TransferNetwork {
  readonly spine: SpineSimulator;
  readonly store: Store;
  readonly engine: TransferEngine;
  readonly clock: ManualClock;
  readonly dataDir: string;
  /** Files a record (with documents of the given sizes) as the practice's own; returns the documents' hashes. */
  seedRecord(ods: string, nhsNumber: string, documentSizes?: readonly number[]): Promise<SeededRecord>;
  /**
   * Lets the engine work until nothing is left to do (every message delivered and applied, every due timer
   * fired), then checks the transfer is in `state`: one engine hosts every practice, so a quiet engine means
   * the network has nothing more in flight.
   */
  settleTo(transferId: string, state: TransferState): Promise<TransferRow>;
  /** Settles, then finds the practice's transfer in a role for a patient. */
  transferOf(ods: string, role: 'requesting' | 'sending', nhsNumber: string): Promise<TransferRow>;
  stop(): Promise<void>;
}

/** A seeded record: its Bundle and the SHA-256 of each document, by file title. */
export interface SeededRecord {
  readonly bundle: Bundle;
  readonly documentHashes: ReadonlyMap<string, string>;
}

/** The default practices: three live English ones that can all take large messages. */
export function testPractices(): PracticeDirectoryEntry[] {
  return [samplePractice('TESTA1', 1), samplePractice('TESTB2', 2), samplePractice('TESTC3', 3)];
}

/** A PDS entry for a synthetic patient registered at `ods`. */
export function testPatient(
  nhsNumber: string,
  ods: string,
  extra: Partial<PdsPatientRecord> = {},
): PdsPatientRecord {
  return {
    nhsNumber,
    family: 'Testpatient',
    given: ['Ada'],
    gender: 'female',
    birthDate: '1980-01-01',
    address: { line: ['1 Simulation Street'], postalCode: 'LS1 4AP' },
    registrations: [{ ods, start: '2015-01-01' }],
    ...extra,
  };
}

/**
 * Starts the Spine simulator and an engine hosting the practices, on a manual clock: protocol timers fire only
 * when the test advances it. For the engine's integration tests.
 *
 * @example
 * const net = await startTransferNetwork({ patients: [testPatient(nhs, 'TESTB2')] });
 * await net.seedRecord('TESTB2', nhs);
 * await net.engine.commands.requestRecord({ practiceOds: 'TESTA1', nhsNumber: nhs });
 */
export async function startTransferNetwork(options: TransferNetworkOptions = {}): Promise<TransferNetwork> {
  const dataDir = await mkdtemp(join(tmpdir(), 'gp2gp-transfer-'));
  const clock = options.clock ?? new ManualClock(Date.parse('2026-01-05T09:00:00Z'));
  const practices = options.practices ?? testPractices();
  const spine = await SpineSimulator.start({
    dataDir: join(dataDir, 'spine'),
    practices,
    patients: options.patients ?? [],
    logFile: join(dataDir, 'spine-message-log.csv'),
  });
  const store = await openStore({
    dataDir,
    database: options.database ?? { kind: 'pglite' },
    seenMessageIds: { clock },
  });
  const hosted = options.hosted ?? practices.map((p) => p.ods);
  let engine: TransferEngine;
  try {
    engine = await TransferEngine.start({
      store,
      spine: spine.urls,
      practices: hosted.map((ods) => ({ ods, identity: spine.identityFor(ods) })),
      clock,
      // Never poll on the manual clock (advancing days would wake every poll on the way): tests wake the
      // workers through settled(), which claims whatever fell due.
      settings: { pollIntervalMs: 365 * 86_400_000, ...options.settings },
      ...(options.largeMessages ? { largeMessages: options.largeMessages } : {}),
      ...(options.records ? { records: options.records } : {}),
      registerEndpoint: async (p, url) => {
        const registered = await spine.registerEndpoint(p.ods, url);
        if (registered.kind !== 'registered')
          throw new Error(`${p.ods}'s endpoint was refused: ${registered.kind}`);
      },
      onError: (e) => process.stderr.write(`engine error: ${e instanceof Error ? e.stack : String(e)}\n`),
    });
  } catch (e) {
    await store.close();
    await spine.stop();
    throw e;
  }
  const records = engine.context.practiceRecords;
  return {
    spine,
    store,
    engine,
    clock,
    dataDir,
    async seedRecord(ods, nhsNumber, documentSizes = []) {
      const hashes = new Map<string, string>();
      const docs: FhirResource[] = [];
      for (const [i, size] of documentSizes.entries()) {
        const bytes = randomBytes(size);
        const put = await store.documents.put([bytes]);
        if (!put.ok) throw new Error('test document too large');
        const title = `letter-${i + 1}.pdf`;
        hashes.set(title, createHash('sha256').update(bytes).digest('hex'));
        docs.push(testDocument(`seeded-document-${i + 1}`, title, storedDocumentUrl(put.document.id), size));
      }
      const bundle = testRecordBundle(nhsNumber, docs);
      const id = await records.storeBundle(bundle);
      await records.put({ practiceOds: ods, nhsNumber, bundleDocumentId: id, at: new Date(clock.now()) });
      return { bundle, documentHashes: hashes };
    },
    async settleTo(transferId, state) {
      await engine.settled();
      const [row] = await store.db.select().from(schema.transfers).where(eq(schema.transfers.id, transferId));
      if (!row) throw new Error(`no transfer ${transferId}`);
      if (row.state !== state)
        throw new Error(
          `transfer is ${row.state} (${row.reasonCode ?? '-'}: ${row.reasonText ?? ''}), not ${state}`,
        );
      return row;
    },
    async transferOf(ods, role, nhsNumber) {
      await engine.settled();
      const rows = await store.db
        .select()
        .from(schema.transfers)
        .where(
          and(
            eq(schema.transfers.practiceOds, ods),
            eq(schema.transfers.role, role),
            eq(schema.transfers.nhsNumber, nhsNumber),
          ),
        );
      if (rows.length !== 1) throw new Error(`${rows.length} ${role} transfers of ${nhsNumber} at ${ods}`);
      return rows[0]!;
    },
    async stop() {
      await engine.stop();
      await spine.stop();
      await store.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** A DocumentReference to a stored document, as a seeded record carries it. */
export function testDocument(id: string, title: string, url: string, size: number): DocumentReference {
  return {
    resourceType: 'DocumentReference',
    id,
    status: 'current',
    type: { text: 'Letter' },
    subject: { reference: 'Patient/pat-1' },
    indexed: '2024-03-01T10:00:00+00:00',
    content: [{ attachment: { contentType: 'application/pdf', url, title, size } }],
  };
}

/**
 * The synthetic record for a patient, its own documents (one unfetchable, one without content) replaced by
 * `extra`, so a seeded record's documents are exactly the ones the test asked for.
 */
export function testRecordBundle(nhsNumber: string, extra: readonly FhirResource[] = []): Bundle {
  const bundle = syntheticBundle();
  const dropped = new Set<string>();
  const kept = (bundle.entry ?? []).filter((e) => {
    if (e.resource?.resourceType !== 'DocumentReference') return true;
    dropped.add(`DocumentReference/${e.resource.id}`);
    return false;
  });
  for (const e of kept) {
    const r = e.resource;
    if (r?.resourceType === 'Patient') {
      (r as Patient).identifier = [{ system: 'https://fhir.nhs.uk/Id/nhs-number', value: nhsNumber }];
    }
    if (r?.resourceType === 'List') {
      const list = r as List;
      list.entry = list.entry?.filter((i) => !dropped.has(i.item?.reference ?? ''));
    }
  }
  bundle.entry = [...kept, ...extra.map((resource) => ({ resource }))];
  return bundle;
}
