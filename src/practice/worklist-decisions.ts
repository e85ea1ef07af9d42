import { and, eq, sql } from 'drizzle-orm';
import type {
  Bundle,
  CodeableConcept,
  List,
  MedicationRequest,
  MedicationStatement,
  Resource,
} from 'fhir/r3.js';
import { DEGRADED_TAG, isDegradeCode, isSnomedId } from '../record/codes/index.ts';
import { type Database, schema } from '../store/index.ts';
import { type PracticeRecordStore, practiceRecordEntry } from '../transfer/index.ts';
import type { StaffMember } from './accounts.ts';
import type { WorklistItem, WorklistKind } from './worklists.ts';

const { worklistItems } = schema;
const SNOMED = 'http://snomed.info/sct';

/** A decision on a worklist item. */
export type WorklistDecision =
  | { readonly kind: 'recode'; readonly code: string; readonly display: string }
  | { readonly kind: 'keep' }
  | { readonly kind: 'remove' }
  | { readonly kind: 'authorise' }
  | { readonly kind: 'end'; readonly reason: string };

/** The outcome of a decision. */
export type DecisionResult =
  | { readonly kind: 'done'; readonly item: WorklistItem }
  | { readonly kind: 'refused'; readonly message: string; readonly field?: string };

const ALLOWED: Readonly<Record<WorklistKind, readonly WorklistDecision['kind'][]>> = {
  degrade: ['recode', 'keep', 'remove'],
  medication: ['authorise', 'end'],
};

/**
 * Records a decision on a worklist item (who and when) and applies it to the practice's stored record where
 * that is what it means: a recode replaces the degraded code (the sender's codes kept beside it), a removal
 * takes the entry out, an authorisation adds a new repeat at this practice, an end stops the plan. "Keep as
 * degraded" changes nothing but the worklist. One decision per item; decisions on one patient's record are
 * made one at a time (an advisory lock), so none overwrites another.
 *
 * @example
 * await decideWorklistItem(db, records, { practiceOds, itemId, kind: 'degrade', decision: { kind: 'keep' }, by, at })
 */
export async function decideWorklistItem(
  db: Database,
  records: PracticeRecordStore,
  d: {
    practiceOds: string;
    itemId: string;
    kind: WorklistKind;
    decision: WorklistDecision;
    by: StaffMember;
    at: Date;
  },
): Promise<DecisionResult> {
  if (!ALLOWED[d.kind].includes(d.decision.kind))
    return { kind: 'refused', message: `“${d.decision.kind}” is not a decision for this worklist` };
  const invalid = checkDecision(d.decision);
  if (invalid) return invalid;
  return db.transaction(async (tx) => {
    const [item] = await tx
      .select()
      .from(worklistItems)
      .where(
        and(
          eq(worklistItems.id, d.itemId),
          eq(worklistItems.practiceOds, d.practiceOds),
          eq(worklistItems.kind, d.kind),
        ),
      )
      .for('update');
    if (!item) return { kind: 'refused' as const, message: 'No such item at this practice' };
    if (item.decidedAt)
      return { kind: 'refused' as const, message: `Already decided by ${item.decidedByName}` };
    await tx.execute(
      sql`select pg_advisory_xact_lock(hashtext(${`worklist:${d.practiceOds}:${item.nhsNumber}`}))`,
    );
    if (d.decision.kind !== 'keep') {
      const entry = await practiceRecordEntry(tx, { practiceOds: d.practiceOds, nhsNumber: item.nhsNumber });
      if (entry?.status !== 'registered')
        return { kind: 'refused' as const, message: 'The practice no longer holds this patient’s record' };
      const bundle = await records.readBundle(entry.bundleDocumentId);
      if (!bundle) return { kind: 'refused' as const, message: 'The stored record could not be read' };
      const applied = applyDecision(bundle, item, d.decision, d.by, d.practiceOds, d.at);
      if (typeof applied === 'string') return { kind: 'refused' as const, message: applied };
      const bundleDocumentId = await records.storeBundle(applied);
      await records.put(
        {
          practiceOds: d.practiceOds,
          nhsNumber: item.nhsNumber,
          bundleDocumentId,
          ...(entry.sourceTransferId ? { sourceTransferId: entry.sourceTransferId } : {}),
          at: d.at,
        },
        tx,
      );
    }
    const [decided] = await tx
      .update(worklistItems)
      .set({
        decision: d.decision.kind,
        decisionDetail: detailOf(d.decision),
        decidedBy: d.by.id,
        decidedByName: d.by.displayName,
        decidedAt: d.at,
      })
      .where(eq(worklistItems.id, item.id))
      .returning();
    return { kind: 'done' as const, item: decided! };
  });
}

function checkDecision(decision: WorklistDecision): DecisionResult | undefined {
  if (decision.kind === 'recode') {
    if (!isSnomedId(decision.code) || isDegradeCode(decision.code))
      return {
        kind: 'refused',
        field: 'code',
        message: 'Enter a SNOMED CT concept id (6 to 18 digits with a valid check digit)',
      };
    if (!decision.display.trim())
      return { kind: 'refused', field: 'display', message: 'Enter the SNOMED CT term' };
  }
  if (decision.kind === 'end' && !decision.reason.trim())
    return { kind: 'refused', field: 'reason', message: 'Enter why the medication is ended' };
  return undefined;
}

function detailOf(decision: WorklistDecision): Record<string, string> {
  switch (decision.kind) {
    case 'recode':
      return { code: decision.code, display: decision.display };
    case 'end':
      return { reason: decision.reason };
    default:
      return {};
  }
}

/** The record with the decision applied (a copy), or why it cannot be. */
export function applyDecision(
  bundle: Bundle,
  item: Pick<WorklistItem, 'resourceType' | 'resourceId'>,
  decision: WorklistDecision,
  by: StaffMember,
  practiceOds: string,
  at: Date,
): Bundle | string {
  const copy = structuredClone(bundle);
  const entries = copy.entry ?? [];
  const index = entries.findIndex(
    (e) => e.resource?.resourceType === item.resourceType && e.resource.id === item.resourceId,
  );
  if (index < 0) return 'The entry is no longer in the stored record';
  const resource = entries[index]!.resource as Resource;
  const ref = `${item.resourceType}/${item.resourceId}`;
  const note = (text: string) => ({ text, time: at.toISOString(), authorString: by.displayName });
  switch (decision.kind) {
    case 'keep':
    case 'recode': {
      if (decision.kind === 'keep') return copy;
      const key = ['code', 'vaccineCode', 'medicationCodeableConcept'].find((k) => k in resource);
      if (!key) return 'This entry has no code to replace';
      const holder = resource as unknown as Record<string, CodeableConcept>;
      const old = holder[key]!;
      holder[key] = {
        ...old,
        coding: [
          { system: SNOMED, code: decision.code, display: decision.display },
          ...(old.coding ?? []).filter((c) => !isDegradeCode(c.code)),
        ],
      };
      if (resource.meta?.tag) {
        resource.meta.tag = resource.meta.tag.filter((t) => t.code !== DEGRADED_TAG.code);
        if (resource.meta.tag.length === 0) delete resource.meta.tag;
      }
      return copy;
    }
    case 'remove': {
      entries.splice(index, 1);
      for (const e of entries) {
        if (e.resource?.resourceType !== 'List') continue;
        const list = e.resource as List;
        list.entry = list.entry?.filter((x) => x.item?.reference !== ref);
      }
      return copy;
    }
    case 'authorise':
    case 'end': {
      const plan = resource as MedicationRequest;
      if (plan.resourceType !== 'MedicationRequest' || plan.intent !== 'plan')
        return 'This entry is not a medication plan';
      plan.status = decision.kind === 'end' ? 'stopped' : 'completed';
      plan.note = [
        ...(plan.note ?? []),
        note(
          decision.kind === 'end'
            ? `Ended at ${practiceOds}: ${decision.reason}`
            : `Superseded by a new repeat authorised at ${practiceOds}`,
        ),
      ];
      for (const e of entries) {
        const s = e.resource as MedicationStatement | undefined;
        if (
          s?.resourceType === 'MedicationStatement' &&
          [s.basedOn ?? []].flat().some((b) => b.reference === ref)
        )
          s.status = decision.kind === 'end' ? 'stopped' : 'completed';
      }
      if (decision.kind === 'authorise') {
        const renewed: MedicationRequest = {
          ...structuredClone(plan),
          id: `${plan.id}-R${at.getTime().toString(36).toUpperCase()}`,
          status: 'active',
          authoredOn: at.toISOString(),
          note: [note(`Authorised as a new repeat at ${practiceOds} by ${by.displayName}`)],
          extension: [
            ...(plan.extension ?? []).filter((x) => !x.url.includes('PrescriptionType')),
            {
              url: 'https://fhir.nhs.uk/STU3/StructureDefinition/Extension-CareConnect-GPC-PrescriptionType-1',
              valueCodeableConcept: {
                coding: [
                  {
                    system: 'https://fhir.nhs.uk/STU3/CodeSystem/CareConnect-PrescriptionType-1',
                    code: 'repeat',
                    display: 'Repeat',
                  },
                ],
              },
            },
          ],
        };
        delete renewed.basedOn;
        entries.push({ resource: renewed });
      }
      return copy;
    }
  }
}
