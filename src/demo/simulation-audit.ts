import { and, eq, inArray } from 'drizzle-orm';
import { type Database, schema } from '../store/index.ts';

/** What the practices' databases hold about a run's patients, patient by patient, counted. */
export interface SimulationAudit {
  readonly transfers: number;
  /** Integrated once at the new practice, filed there, and the old practice's side completed (final ack). */
  readonly completed: number;
  readonly failed: number;
  /** Patients with no integrated record at the new practice. */
  readonly lost: number;
  /** Patients integrated more than once, or whose record the old practice sent more than once. */
  readonly duplicated: number;
  /** Bytes of the documents received with the integrated records (placeholders for absent ones excluded). */
  readonly bytes: number;
  /** When each patient's requesting transfer became ready to integrate, by NHS number. */
  readonly readyAt: ReadonlyMap<string, Date>;
}

const { transfers, transferEvents, patientRecords, transferDocuments } = schema;

/** Rows per query: PostgreSQL takes at most 65,535 parameters in one statement. */
const CHUNK = 1_000;

/**
 * Counts a run's outcome from the tables, not from what the driver believes it did: per patient, the requesting
 * transfers at the new practice, the integrations their history records, the record filed there, and the
 * sending transfers at the old practice.
 *
 * @example
 * const audit = await auditSimulation(store.db, { newOds: 'SIMNEW', oldOds: 'SIMOLD', nhsNumbers });
 * audit.lost // 0
 */
export async function auditSimulation(
  db: Database,
  run: { readonly newOds: string; readonly oldOds: string; readonly nhsNumbers: readonly string[] },
): Promise<SimulationAudit> {
  // One practice's transfers in one role for the run's patients.
  const transfersAt = (ods: string, role: 'requesting' | 'sending') =>
    chunked(run.nhsNumbers, (nhs) =>
      db
        .select({
          id: transfers.id,
          nhsNumber: transfers.nhsNumber,
          conversationId: transfers.conversationId,
          state: transfers.state,
        })
        .from(transfers)
        .where(
          and(eq(transfers.practiceOds, ods), eq(transfers.role, role), inArray(transfers.nhsNumber, nhs)),
        ),
    );
  const requesting = await transfersAt(run.newOds, 'requesting');
  const sending = await transfersAt(run.oldOds, 'sending');
  const ids = requesting.map((r) => r.id);
  const events = await chunked(ids, (some) =>
    db
      .select({ transferId: transferEvents.transferId, to: transferEvents.toState, at: transferEvents.at })
      .from(transferEvents)
      .where(
        and(
          eq(transferEvents.practiceOds, run.newOds),
          eq(transferEvents.kind, 'state'),
          inArray(transferEvents.toState, ['ready-to-integrate', 'integrated']),
          inArray(transferEvents.transferId, some),
        ),
      ),
  );
  const filed = await chunked(run.nhsNumbers, (nhs) =>
    db
      .select({ nhsNumber: patientRecords.nhsNumber, source: patientRecords.sourceTransferId })
      .from(patientRecords)
      .where(
        and(
          eq(patientRecords.practiceOds, run.newOds),
          eq(patientRecords.status, 'registered'),
          inArray(patientRecords.nhsNumber, nhs),
        ),
      ),
  );
  const documents = await chunked(ids, (some) =>
    db
      .select({
        transferId: transferDocuments.transferId,
        bytes: transferDocuments.bytes,
        absent: transferDocuments.absentReason,
      })
      .from(transferDocuments)
      .where(inArray(transferDocuments.transferId, some)),
  );

  const integrations = new Map<string, number>();
  const readyById = new Map<string, Date>();
  for (const e of events) {
    if (e.to === 'integrated') integrations.set(e.transferId, (integrations.get(e.transferId) ?? 0) + 1);
    else if (!readyById.has(e.transferId) || e.at < readyById.get(e.transferId)!)
      readyById.set(e.transferId, e.at);
  }
  const bytesById = new Map<string, number>();
  for (const d of documents)
    if (d.absent === null) bytesById.set(d.transferId, (bytesById.get(d.transferId) ?? 0) + (d.bytes ?? 0));
  const recordOf = new Map(filed.map((f) => [f.nhsNumber, f.source]));
  const askedOf = byPatient(requesting);
  const sentOf = byPatient(sending);

  let completed = 0;
  let lost = 0;
  let duplicated = 0;
  let bytes = 0;
  const readyAt = new Map<string, Date>();
  for (const nhs of run.nhsNumbers) {
    const asked = askedOf.get(nhs) ?? [];
    const sent = sentOf.get(nhs) ?? [];
    const integrated = asked.filter((r) => r.state === 'integrated');
    const times = asked.reduce((n, r) => n + (integrations.get(r.id) ?? 0), 0);
    const source = recordOf.get(nhs);
    const record = source ? asked.find((r) => r.id === source) : undefined;
    for (const r of asked) {
      const ready = readyById.get(r.id);
      if (ready) readyAt.set(nhs, ready);
    }
    if (!record || times === 0) lost++;
    const twice = times > 1 || integrated.length > 1 || sent.length > 1;
    if (twice) duplicated++;
    const answered = record && sent.find((s) => s.conversationId === record.conversationId);
    if (record && !twice && record.state === 'integrated' && answered?.state === 'completed') completed++;
    for (const r of integrated) bytes += bytesById.get(r.id) ?? 0;
  }
  return {
    transfers: run.nhsNumbers.length,
    completed,
    failed: run.nhsNumbers.length - completed,
    lost,
    duplicated,
    bytes,
    readyAt,
  };
}

/**
 * The nearest-rank percentile of some numbers, or null for none.
 *
 * @example
 * percentile([30, 10, 20], 0.5) // 20
 */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}

function byPatient<T extends { readonly nhsNumber: string }>(rows: readonly T[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const row of rows) {
    const list = out.get(row.nhsNumber);
    if (list) list.push(row);
    else out.set(row.nhsNumber, [row]);
  }
  return out;
}

async function chunked<T, R>(items: readonly T[], query: (some: T[]) => Promise<R[]>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(...(await query(items.slice(i, i + CHUNK))));
  return out;
}
