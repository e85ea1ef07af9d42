import type { Extension, Medication, MedicationRequest, MedicationStatement, Reference } from 'fhir/r3.js';
import { attr, child, childElements, path, type XmlElement } from '../../xml/index.ts';
import { readHl7Code, toFhirCodeableConcept } from '../codes/index.ts';
import type { StatementAccount } from '../fidelity.ts';
import { conceptDegradeReason, type MappingContext, metaFor } from './context.ts';
import { toQuantity } from './datatypes.ts';
import { fhirId } from './fhir-id.ts';
import { dateTimeOf } from './hl7-time.ts';
import {
  type FoundMedication,
  type FoundPrescribe,
  type KeptMedication,
  loadMedication,
  type MedicationIndex,
  suppliesOf,
} from './medication-index.ts';
import { addStatement, dosageOf, endsOf, splitStatementNotes } from './medication-statement.ts';
import { isNopat, performerOf, type StatementScope, statementId, textChild } from './statement.ts';

/** GP Connect's structure definition base. */
export const NHS_STRUCTURE = 'https://fhir.nhs.uk/STU3/StructureDefinition';
/** GP Connect's code system base. */
export const NHS_CODE_SYSTEM = 'https://fhir.nhs.uk/STU3/CodeSystem';

/**
 * MedicationStatements → Medication (one per distinct drug code), MedicationRequest intent "plan" and a
 * MedicationStatement for each ehrSupplyAuthorise, MedicationRequest intent "order" for each
 * ehrSupplyPrescribe. An acute authorisation issued more than once gets a plan per later issue, so each acute
 * course reads as its own course.
 */
export function mapMedications(index: MedicationIndex, ctx: MappingContext): void {
  const run: MedicationRun = { index, medications: new Map(), redirected: new Map() };
  const commons = new Map<number, CommonFields>();
  // Authorisations first, so every prescription knows whether an extra acute plan took it over.
  for (const phase of ['ehrSupplyAuthorise', 'ehrSupplyPrescribe'] as const) {
    index.kept.forEach((kept, ordinal) => {
      const before = ctx.resources.length;
      try {
        let common = commons.get(ordinal);
        // Each statement's tree lives only while it is mapped; prescriptions were kept, so need no reading.
        if (phase === 'ehrSupplyAuthorise' || !common) {
          const f = loadMedication(kept);
          if (!common) {
            common = commonFields(f, ctx, medicationFor(f.statement, kept, run.medications, ctx));
            commons.set(ordinal, common);
          }
          if (phase === 'ehrSupplyAuthorise') mapAuthorises(f, kept.account, common, run, ctx);
        }
        if (phase === 'ehrSupplyPrescribe') mapPrescribes(kept, ordinal, common, run, ctx);
      } catch (e) {
        // One malformed statement must not cost the rest of the record.
        ctx.skip(
          kept.account,
          'not readable',
          `MedicationStatement ${kept.id ?? '(no id)'} skipped: ${(e as Error).message}`,
        );
      }
      if (ctx.resources.length > before) kept.account.record({ kind: 'mapped' });
    });
  }
  for (const kept of index.kept) {
    if (kept.account.settled) continue;
    // A statement that only stops another's course is folded into that course; anything else made nothing.
    const onlyStops =
      kept.prescribes.length === 0 &&
      /ehrSupplyDiscontinue/.test(kept.text) &&
      !/ehrSupplyAuthorise/.test(kept.text);
    if (onlyStops) kept.account.record({ kind: 'mapped' });
    else
      ctx.skip(
        kept.account,
        'no id',
        `MedicationStatement ${kept.id ?? '(no id)'}: no supply with an id, nothing translated`,
      );
  }
}

/** Per-translation medication state. */
interface MedicationRun {
  readonly index: MedicationIndex;
  /** Concept (as JSON) → its Medication. */
  readonly medications: Map<string, Reference>;
  /** Prescription (`FoundPrescribe.key`) → the extra acute plan that took it over. */
  readonly redirected: Map<string, string>;
}

function mapAuthorises(
  f: FoundMedication,
  account: StatementAccount,
  common: CommonFields,
  run: MedicationRun,
  ctx: MappingContext,
): void {
  const msId = statementId(f.statement);
  for (const supply of suppliesOf(f.statement)) {
    if (supply.local !== 'ehrSupplyAuthorise') continue;
    const id = supplyId(supply, msId, account, ctx);
    const ref = id === undefined ? undefined : mapAuthorise(supply, id, f, common, run, ctx);
    if (msId && ref && !ctx.madeFrom.has(msId)) ctx.madeFrom.set(msId, ref);
  }
}

function mapPrescribes(
  kept: KeptMedication,
  ordinal: number,
  common: CommonFields,
  run: MedicationRun,
  ctx: MappingContext,
): void {
  for (const { supply, position } of kept.prescribes) {
    const id = supplyId(supply, kept.id, kept.account, ctx);
    const key = `${ordinal}:${position}`;
    const ref = id === undefined ? undefined : mapPrescribe(supply, key, id, kept.scope, common, run, ctx);
    if (kept.id && ref && !ctx.madeFrom.has(kept.id)) ctx.madeFrom.set(kept.id, ref);
  }
}

function supplyId(
  supply: XmlElement,
  msId: string | undefined,
  account: StatementAccount,
  ctx: MappingContext,
): string | undefined {
  const id = fhirId(attr(supply, 'root', 'id'));
  if (!id)
    ctx.degrade(
      account,
      'part not readable',
      `MedicationStatement ${msId ?? '(no id)'}: ${supply.local} without id skipped`,
    );
  return id;
}

/** What a medication's plan, orders and statement share. */
export interface CommonFields {
  readonly medicationReference?: Reference;
  readonly authoredOn?: string;
  readonly agent?: Reference;
  readonly dosage: string;
  readonly nopat: boolean;
}

function commonFields(f: FoundMedication, ctx: MappingContext, medRef: Reference | undefined): CommonFields {
  const statement = f.statement;
  const dosage =
    childElements(statement, 'pertinentInformation')
      .map((p) => child(p, 'pertinentMedicationDosage'))
      .map((d) => (d ? textChild(d) : undefined))
      .find((t) => t !== undefined) ?? 'No Information available';
  const out: { -readonly [K in keyof CommonFields]: CommonFields[K] } = {
    dosage,
    nopat: f.scope.nopat || isNopat(statement),
  };
  if (medRef) out.medicationReference = medRef;
  const authored = dateTimeOf(child(statement, 'availabilityTime')) ?? f.scope.recordedDate;
  if (authored) out.authoredOn = authored;
  const agent = performerOf(statement, f.scope, ctx);
  if (agent) out.agent = agent;
  return out;
}

function medicationFor(
  statement: XmlElement,
  kept: KeptMedication,
  medications: Map<string, Reference>,
  ctx: MappingContext,
): Reference | undefined {
  const codeEl = path(statement, 'consumable/manufacturedProduct/manufacturedMaterial/code');
  if (!codeEl) {
    ctx.degrade(
      kept.account,
      'no SNOMED CT code',
      `MedicationStatement ${statementId(statement) ?? '(no id)'}: no drug code`,
    );
    return undefined;
  }
  const translated = toFhirCodeableConcept(readHl7Code(codeEl), { degradeKind: 'medication' });
  const { concept, degraded } = translated;
  if (degraded) kept.account.record({ kind: 'degraded', reason: conceptDegradeReason(translated) });
  // Same code, translations and original text → same Medication; a differing text is a different label.
  const key = JSON.stringify(concept);
  const known = medications.get(key);
  if (known) return known;
  const id = `${statementId(statement) ?? medications.size}-MED`;
  if (degraded) ctx.warn(`Medication/${id}: no SNOMED CT (dm+d) code, degraded`);
  const med: Medication = {
    resourceType: 'Medication',
    id,
    meta: metaFor('CareConnect-GPC-Medication-1', { degraded }),
    code: concept,
  };
  const ref = { reference: `Medication/${id}` };
  if (ctx.add(med)) medications.set(key, ref);
  return ref;
}

function prescriptionType(acute: boolean): Extension {
  const code = acute ? 'acute' : 'repeat';
  return {
    url: `${NHS_STRUCTURE}/Extension-CareConnect-GPC-PrescriptionType-1`,
    valueCodeableConcept: {
      coding: [
        {
          system: `${NHS_CODE_SYSTEM}/CareConnect-PrescriptionType-1`,
          code,
          display: acute ? 'Acute' : 'Repeat',
        },
      ],
    },
  };
}

const NHS_PRESCRIPTION = '394823007';

function supplyNotes(supply: XmlElement): { text: string }[] {
  const notes: { text: string }[] = [];
  for (const p of childElements(supply, 'pertinentInformation')) {
    const ann = child(p, 'pertinentSupplyAnnotation');
    const text = ann ? textChild(ann) : undefined;
    if (text) notes.push({ text });
  }
  // The NHS prescription (394823007) is the default, not noted; senders spell its term with either case.
  const type = attr(supply, 'displayName', 'code');
  const nhs = attr(supply, 'code', 'code') === NHS_PRESCRIPTION || type?.toLowerCase() === 'nhs prescription';
  if (type && !nhs) notes.push({ text: `Prescription type: ${type}` });
  return notes;
}

function baseRequest(
  id: string,
  intent: string,
  status: string,
  common: CommonFields,
  scope: StatementScope,
  ctx: MappingContext,
): MedicationRequest {
  const req: MedicationRequest = {
    resourceType: 'MedicationRequest',
    id,
    meta: metaFor('CareConnect-GPC-MedicationRequest-1', { nopat: common.nopat }),
    identifier: ctx.identifier(id),
    status,
    intent,
    subject: ctx.patientRef,
  };
  if (common.medicationReference) req.medicationReference = common.medicationReference;
  if (scope.encounterRef) req.context = scope.encounterRef;
  if (common.authoredOn) req.authoredOn = common.authoredOn;
  if (common.agent) {
    req.requester = { agent: common.agent };
    req.recorder = common.agent;
  }
  req.dosageInstruction = [dosageOf(common.dosage)];
  return req;
}

function mapAuthorise(
  auth: XmlElement,
  id: string,
  f: FoundMedication,
  common: CommonFields,
  run: MedicationRun,
  ctx: MappingContext,
): Reference | undefined {
  const index = run.index;
  const discontinue = index.discontinueByAuthorise.get(id);
  const extensions: Extension[] = [];
  const repeats = attr(child(auth, 'repeatNumber'), 'value');
  const prescribes = index.prescribesByAuthorise.get(id) ?? [];
  const acute = repeats === '0';
  const expiry = dateTimeOf(path(auth, 'effectiveTime/high'));
  const repeatInfo: Extension[] = [];
  if (repeats !== undefined && repeats !== '0' && Number.isFinite(Number(repeats))) {
    repeatInfo.push({ url: 'numberOfRepeatPrescriptionsAllowed', valueUnsignedInt: Number(repeats) });
  }
  if (repeats !== '0')
    repeatInfo.push({ url: 'numberOfRepeatPrescriptionsIssued', valueUnsignedInt: prescribes.length });
  if (expiry) repeatInfo.push({ url: 'authorisationExpiryDate', valueDateTime: expiry });
  if (repeatInfo.length > 0) {
    extensions.push({
      url: `${NHS_STRUCTURE}/Extension-CareConnect-GPC-MedicationRepeatInformation-1`,
      extension: repeatInfo,
    });
  }
  let status = attr(auth, 'code', 'statusCode') === 'COMPLETE' ? 'completed' : 'active';
  if (discontinue) {
    const changed = dateTimeOf(child(discontinue, 'availabilityTime'));
    if (changed) {
      status = 'stopped';
      extensions.push(statusReason(discontinue, changed));
    } else status = 'completed';
  }
  extensions.push(prescriptionType(acute));
  const req = baseRequest(id, 'plan', status, common, f.scope, ctx);
  req.extension = extensions;
  // A sender's lines restating what the authorisation itself says (its type from repeatNumber, the issues counted)
  // are those fields, not notes: kept, they would be written again beside the fields at the next transfer.
  const restated = new Set([
    `Prescription type: ${acute ? 'acute' : 'repeat'}`,
    ...(acute ? [] : [`Repeats issued: ${prescribes.length}`]),
  ]);
  const notes = splitStatementNotes(supplyNotes(auth).filter((n) => !restated.has(n.text.trim())));
  if (notes.own.length > 0) req.note = notes.own;
  const start =
    dateTimeOf(path(auth, 'effectiveTime/center')) ??
    dateTimeOf(path(auth, 'effectiveTime/low')) ??
    dateTimeOf(child(auth, 'availabilityTime'));
  const end = expiry ?? dateTimeOf(path(f.statement, 'effectiveTime/high'));
  const quantity = toQuantity(child(auth, 'quantity'), false);
  req.dispenseRequest = {
    ...(start || end ? { validityPeriod: { ...(start ? { start } : {}), ...(end ? { end } : {}) } } : {}),
    ...(quantity ? { quantity } : {}),
  };
  const prior = fhirId(attr(auth, 'root', 'predecessor/priorMedicationRef/id'));
  if (prior) req.priorPrescription = { reference: `MedicationRequest/${prior}` };
  const issues = prescribes
    .map((p) => issueDate(p))
    .filter((d): d is string => d !== undefined)
    .sort();
  // Later issues of an acute authorisation become their own plan (see the function comment).
  const [firstIssue, ...laterIssues] = acute ? sortByIssue(prescribes) : [];
  const ownLastIssue = acute ? (firstIssue ? issueDate(firstIssue) : undefined) : issues.at(-1);
  const ref = ctx.add(req, id) ? { reference: `MedicationRequest/${id}` } : undefined;
  if (!ref) return undefined;
  addStatement(req, ref, f, common, ownLastIssue, acute, endsOf(auth, f.statement, discontinue), ctx);
  // The course's own notes travel on its authorisation (labelled): they go back to the MedicationStatement.
  const course = ctx.made({ reference: `MedicationStatement/${id}-MS` }) as MedicationStatement | undefined;
  if (course && notes.statement.length > 0) course.note = notes.statement;
  for (const later of laterIssues) extraAcutePlan(req, ref, later, f, common, run, ctx);
  return ref;
}

function statusReason(discontinue: XmlElement, changed: string): Extension {
  const reasons = childElements(discontinue, 'pertinentInformation')
    .map((p) => child(p, 'pertinentSupplyAnnotation'))
    .map((a) => (a ? textChild(a) : undefined))
    .filter((t): t is string => t !== undefined);
  const original = textChild(child(discontinue, 'code') ?? discontinue, 'originalText');
  const text = [
    original ? `(${original})` : undefined,
    reasons.length > 0 ? reasons.join(', ') : 'No information available',
  ]
    .filter((t) => t !== undefined)
    .join(' ');
  return {
    url: `${NHS_STRUCTURE}/Extension-CareConnect-GPC-MedicationStatusReason-1`,
    extension: [
      { url: 'statusChangeDate', valueDateTime: changed },
      { url: 'statusReason', valueCodeableConcept: { text } },
    ],
  };
}

function issueDate(p: FoundPrescribe): string | undefined {
  return dateTimeOf(child(p.prescribe, 'availabilityTime')) ?? dateTimeOf(p.statementTime);
}

function sortByIssue(list: readonly FoundPrescribe[]): FoundPrescribe[] {
  return [...list].sort((a, b) => (issueDate(a) ?? '').localeCompare(issueDate(b) ?? ''));
}

function extraAcutePlan(
  original: MedicationRequest,
  originalRef: Reference,
  later: FoundPrescribe,
  f: FoundMedication,
  common: CommonFields,
  run: MedicationRun,
  ctx: MappingContext,
): void {
  const prescribeId = fhirId(attr(later.prescribe, 'root', 'id'));
  if (!prescribeId) return;
  const id = `${prescribeId}-PLAN`;
  const date = issueDate(later);
  const quantity = toQuantity(child(later.prescribe, 'quantity'), false);
  const plan: MedicationRequest = {
    ...original,
    id,
    identifier: ctx.identifier(id),
    ...(date ? { authoredOn: date } : {}),
    dispenseRequest: {
      ...(date ? { validityPeriod: { start: date } } : {}),
      ...(quantity
        ? { quantity }
        : original.dispenseRequest?.quantity
          ? { quantity: original.dispenseRequest.quantity }
          : {}),
    },
    priorPrescription: originalRef,
  };
  plan.extension = original.extension?.filter((e) => !e.url.endsWith('MedicationRepeatInformation-1'));
  const ref = ctx.add(plan) ? { reference: `MedicationRequest/${id}` } : undefined;
  if (!ref) return;
  run.redirected.set(later.key, id);
  addStatement(plan, ref, f, common, date, true, {}, ctx);
}

function mapPrescribe(
  prescribe: XmlElement,
  key: string,
  id: string,
  scope: StatementScope,
  common: CommonFields,
  run: MedicationRun,
  ctx: MappingContext,
): Reference | undefined {
  const req = baseRequest(id, 'order', 'completed', common, scope, ctx);
  const authId = fhirId(attr(prescribe, 'root', 'inFulfillmentOf/priorMedicationRef/id'));
  if (authId) {
    req.extension = [prescriptionType(run.index.isAcute(authId))];
    // Mapping runs statement by statement; an extra acute plan made earlier may have taken this issue over.
    const planId = run.redirected.get(key) ?? authId;
    req.basedOn = [{ reference: `MedicationRequest/${planId}` }];
  }
  const notes = supplyNotes(prescribe);
  if (notes.length > 0) req.note = notes;
  const start = dateTimeOf(child(prescribe, 'availabilityTime'));
  const quantity = toQuantity(child(prescribe, 'quantity'), false);
  req.dispenseRequest = {
    ...(start ? { validityPeriod: { start } } : {}),
    ...(quantity ? { quantity } : {}),
  };
  return ctx.add(req, id) ? { reference: `MedicationRequest/${id}` } : undefined;
}
