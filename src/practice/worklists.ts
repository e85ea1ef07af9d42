import { and, asc, count, eq, inArray, isNotNull, isNull, sql } from 'drizzle-orm';
import type { Bundle, MedicationRequest, Resource } from 'fhir/r3.js';
import { type Database, schema } from '../store/index.ts';
import { listTransfers, type PracticeRecordStore, type TransferSummary } from '../transfer/index.ts';
import { conceptText, isDegraded } from './fhir-text.ts';
import { degradedEntry, prescriptionType } from './record-summary.ts';

const { worklistItems, worklistSources } = schema;

/** The follow-up worklists. */
export type WorklistKind = 'degrade' | 'medication';

/** A worklist item as stored. */
export type WorklistItem = typeof worklistItems.$inferSelect;

/**
 * Reads an integrated record into the worklists, once: each degraded entry becomes a degrade item, each of the
 * previous practice's active medication plans (repeats and acutes) a medication item.
 */
export async function indexIntegratedRecord(
  db: Database,
  records: PracticeRecordStore,
  transfer: TransferSummary,
  at: Date,
): Promise<void> {
  const bundleId = transfer.details.bundleDocumentId;
  const bundle = bundleId ? await records.readBundle(bundleId) : undefined;
  const items = bundle ? worklistEntries(bundle) : [];
  const integratedAt = transfer.endedAt ?? transfer.stateChangedAt;
  await db.transaction(async (tx) => {
    const [fresh] = await tx
      .insert(worklistSources)
      .values({ practiceOds: transfer.practiceOds, transferId: transfer.id, indexedAt: at })
      .onConflictDoNothing()
      .returning();
    if (!fresh || items.length === 0) return;
    await tx
      .insert(worklistItems)
      .values(
        items.map((i) => ({
          id: crypto.randomUUID(),
          practiceOds: transfer.practiceOds,
          nhsNumber: transfer.nhsNumber,
          transferId: transfer.id,
          createdAt: integratedAt,
          ...i,
        })),
      )
      .onConflictDoNothing();
  });
}

/** The worklist entries of a record (exported for tests). */
export function worklistEntries(bundle: Bundle): {
  kind: WorklistKind;
  resourceType: string;
  resourceId: string;
  summary: Record<string, string>;
}[] {
  const resources = (bundle.entry ?? []).flatMap((e) => (e.resource ? [e.resource as Resource] : []));
  const byRef = new Map(resources.map((r) => [`${r.resourceType}/${r.id}`, r]));
  const out: ReturnType<typeof worklistEntries> = [];
  for (const r of resources) {
    if (!r.id) continue;
    if (isDegraded(r)) {
      const d = degradedEntry(r);
      out.push({
        kind: 'degrade',
        resourceType: r.resourceType,
        resourceId: r.id,
        summary: { text: d.text, originalCodes: d.originalCodes, type: r.resourceType },
      });
    }
    if (r.resourceType === 'MedicationRequest') {
      const m = r as MedicationRequest;
      if (m.intent !== 'plan' || m.status !== 'active') continue;
      const ref = m.medicationReference?.reference;
      const med = ref
        ? (byRef.get(ref) as { code?: import('fhir/r3.js').CodeableConcept } | undefined)
        : undefined;
      out.push({
        kind: 'medication',
        resourceType: 'MedicationRequest',
        resourceId: r.id,
        summary: {
          drug: conceptText(med?.code ?? m.medicationCodeableConcept) || '(unnamed medication)',
          dosage: m.dosageInstruction?.[0]?.text ?? '',
          quantity: m.dispenseRequest?.quantity
            ? `${m.dispenseRequest.quantity.value ?? ''} ${m.dispenseRequest.quantity.unit ?? ''}`.trim()
            : '',
          type: prescriptionType(m) || 'unknown',
          authoredOn: (m.authoredOn ?? '').slice(0, 10),
        },
      });
    }
  }
  return out;
}

/** How many integrated transfers one catch-up reads at most (so a page view stays quick). */
const CATCH_UP = 20;

/**
 * Reads into the worklists any integrated records not yet read (integrated by another process, say), newest
 * first and a few at a time.
 */
export async function catchUpWorklists(
  db: Database,
  records: PracticeRecordStore,
  practiceOds: string,
  at: Date,
): Promise<void> {
  const recent = await listTransfers(db, {
    practiceOds,
    role: 'requesting',
    states: ['integrated'],
    limit: CATCH_UP,
  });
  if (recent.length === 0) return;
  const done = new Set(
    (
      await db
        .select({ id: worklistSources.transferId })
        .from(worklistSources)
        .where(
          and(
            eq(worklistSources.practiceOds, practiceOds),
            inArray(
              worklistSources.transferId,
              recent.map((t) => t.id),
            ),
          ),
        )
    ).map((r) => r.id),
  );
  for (const t of recent) if (!done.has(t.id)) await indexIntegratedRecord(db, records, t, at);
}

/** A page of a worklist: open items oldest first, with counts. */
export async function listWorklist(
  db: Database,
  q: { practiceOds: string; kind: WorklistKind; decided?: boolean; limit?: number; offset?: number },
): Promise<{ items: WorklistItem[]; open: number; decided: number }> {
  const base = [eq(worklistItems.practiceOds, q.practiceOds), eq(worklistItems.kind, q.kind)];
  const items = await db
    .select()
    .from(worklistItems)
    .where(and(...base, q.decided ? isNotNull(worklistItems.decidedAt) : isNull(worklistItems.decidedAt)))
    .orderBy(asc(worklistItems.createdAt), asc(worklistItems.nhsNumber), asc(worklistItems.resourceId))
    .limit(q.limit ?? 50)
    .offset(q.offset ?? 0);
  const counts = await db
    .select({ decided: sql<boolean>`${worklistItems.decidedAt} is not null`, n: count() })
    .from(worklistItems)
    .where(and(...base))
    .groupBy(sql`${worklistItems.decidedAt} is not null`);
  return {
    items,
    open: counts.find((c) => !c.decided)?.n ?? 0,
    decided: counts.find((c) => c.decided)?.n ?? 0,
  };
}
