import type { CodeableConcept, Extension, MedicationRequest } from 'fhir/r3.js';
import { type XmlChild, type XmlSpec, x } from '../../xml/index.ts';
import { codedElement, conceptText, uncodedElement } from './coded.ts';
import type { TranslationContext } from './context.ts';
import { courseNotes } from './course-notes.ts';
import {
  component,
  effectivePeriod,
  idElement,
  participant,
  quantityElement,
  SNOMED_OID,
  statusCode,
  tsElement,
} from './datatypes.ts';
import { hl7Time } from './hl7-time.ts';
import { firstTime } from './statement-times.ts';
import { cleanText, joinText, notRestated } from './text.ts';

const REPEAT_INFO =
  'https://fhir.nhs.uk/STU3/StructureDefinition/Extension-CareConnect-GPC-MedicationRepeatInformation-1';
const STATUS_REASON =
  'https://fhir.nhs.uk/STU3/StructureDefinition/Extension-CareConnect-GPC-MedicationStatusReason-1';
const PRESCRIPTION_TYPE =
  'https://fhir.nhs.uk/STU3/StructureDefinition/Extension-CareConnect-GPC-PrescriptionType-1';

/** True for an issue (intent order) that was stopped: it was never supplied, so GP2GP does not carry it. */
export function isStoppedOrder(request: MedicationRequest): boolean {
  return request.intent === 'order' && request.status === 'stopped';
}

/**
 * A MedicationStatement for a MedicationRequest: a plan becomes an authorisation (ehrSupplyAuthorise, plus
 * ehrSupplyDiscontinue when stopped), an order becomes an issue (ehrSupplyPrescribe) that points back at the
 * authorisation it fulfils.
 */
export function medicationStatement(ctx: TranslationContext, request: MedicationRequest): XmlSpec {
  const isOrder = request.intent === 'order';
  const key = ctx.index.keyFor(request);
  const supplyId = ctx.idFor(`${key ?? ctx.newId()}#supply`);
  const authored = firstTime(request.authoredOn, request.dispenseRequest?.validityPeriod?.start);
  const start = firstTime(request.dispenseRequest?.validityPeriod?.start, request.authoredOn);
  const end = hl7Time(request.dispenseRequest?.validityPeriod?.end);
  const active = request.status === 'active' && !isOrder;
  const supply = isOrder
    ? prescribe(ctx, request, supplyId, authored)
    : authorise(request, supplyId, start, end, authored, active, courseNotes(ctx, request));
  const dosage = joinText(
    (Array.isArray(request.dosageInstruction) ? request.dosageInstruction : []).map((d) =>
      joinText([d?.text, d?.patientInstruction && `Patient instruction: ${d.patientInstruction}`], ' '),
    ),
    '; ',
  );
  return x(
    'MedicationStatement',
    { classCode: 'SBADM', moodCode: isOrder ? 'ORD' : 'INT' },
    idElement(ctx.idOf(request)),
    statusCode(active ? 'ACTIVE' : 'COMPLETE'),
    effectivePeriod(start, end),
    tsElement('availabilityTime', authored),
    ctx.confidentiality(request),
    x(
      'consumable',
      { typeCode: 'CSM' },
      x(
        'manufacturedProduct',
        { classCode: 'MANU' },
        x(
          'manufacturedMaterial',
          { classCode: 'MMAT', determinerCode: 'KIND' },
          medicationCode(ctx, request),
        ),
      ),
    ),
    component(supply),
    !isOrder && request.status === 'stopped' && component(discontinue(ctx, request, supplyId)),
    x(
      'pertinentInformation',
      { typeCode: 'PERT' },
      x(
        'pertinentMedicationDosage',
        { classCode: 'SBADM', moodCode: 'RMD' },
        x('text', {}, dosage ?? 'No information available'),
      ),
    ),
    request.recorder && participant(ctx.agentIdFor(request.recorder), 'AUT'),
    request.requester?.agent && participant(ctx.agentIdFor(request.requester.agent), 'PRF'),
  );
}

function authorise(
  request: MedicationRequest,
  id: string,
  start: string | undefined,
  end: string | undefined,
  authored: string | undefined,
  active: boolean,
  notesOfCourse: readonly string[],
): XmlSpec {
  const repeats = extensionPart(request, REPEAT_INFO, 'numberOfRepeatPrescriptionsAllowed')?.valueUnsignedInt;
  const type = prescriptionType(request);
  const issued = extensionPart(request, REPEAT_INFO, 'numberOfRepeatPrescriptionsIssued')?.valueUnsignedInt;
  return x(
    'ehrSupplyAuthorise',
    { classCode: 'SPLY', moodCode: 'INT' },
    idElement(id),
    supplyTypeCode(),
    statusCode(active ? 'ACTIVE' : 'COMPLETE'),
    effectivePeriod(start, end),
    tsElement('availabilityTime', authored),
    x('repeatNumber', {
      value:
        typeof repeats === 'number' && Number.isInteger(repeats) && repeats >= 0
          ? repeats
          : type === 'acute'
            ? 0
            : 1,
    }),
    quantity(request),
    ...supplyNotes(request, [
      type && `Prescription type: ${type}`,
      typeof issued === 'number' ? `Repeats issued: ${issued}` : undefined,
    ]),
    ...notesOfCourse.map(supplyAnnotation),
  );
}

function prescribe(
  ctx: TranslationContext,
  request: MedicationRequest,
  id: string,
  authored: string | undefined,
): XmlSpec {
  const plan = ctx.index.resolve(Array.isArray(request.basedOn) ? request.basedOn[0] : undefined);
  const planKey = plan?.resourceType === 'MedicationRequest' ? ctx.index.keyFor(plan) : undefined;
  if (Array.isArray(request.basedOn) && request.basedOn.length > 0 && !planKey) {
    ctx.warn(
      request,
      'issue refers to an authorisation that is not in the bundle: sent without inFulfillmentOf',
    );
  }
  return x(
    'ehrSupplyPrescribe',
    { classCode: 'SPLY', moodCode: 'RQO' },
    idElement(id),
    supplyTypeCode(),
    statusCode(),
    tsElement('availabilityTime', authored),
    quantity(request),
    planKey &&
      x(
        'inFulfillmentOf',
        { typeCode: 'FLFS' },
        x(
          'priorMedicationRef',
          { classCode: 'SBADM', moodCode: 'INT' },
          idElement(ctx.idFor(`${planKey}#supply`)),
        ),
      ),
    ...supplyNotes(request, []),
  );
}

function discontinue(ctx: TranslationContext, request: MedicationRequest, supplyId: string): XmlSpec {
  const reason = extensionPart(request, STATUS_REASON, 'statusReason')?.valueCodeableConcept;
  const changed = hl7Time(extensionPart(request, STATUS_REASON, 'statusChangeDate')?.valueDateTime);
  const reasonText = conceptText(reason) ?? 'Stopped';
  return x(
    'ehrSupplyDiscontinue',
    { classCode: 'SPLY', moodCode: 'RQO' },
    idElement(ctx.newId()),
    uncodedElement('code', reasonText),
    statusCode(),
    tsElement('availabilityTime', changed ?? hl7Time(request.authoredOn)),
    x(
      'reversalOf',
      { typeCode: 'REV' },
      x('priorMedicationRef', { classCode: 'SBADM', moodCode: 'ORD' }, idElement(supplyId)),
    ),
    supplyAnnotation(reasonText),
  );
}

function medicationCode(ctx: TranslationContext, request: MedicationRequest): XmlSpec {
  const medication = ctx.index.resolve(request.medicationReference);
  const concept: CodeableConcept | undefined =
    medication?.resourceType === 'Medication' ? medication.code : request.medicationCodeableConcept;
  if (!concept)
    ctx.warn(request, 'medication could not be found: sent as a transfer-degraded medication entry');
  const coded = codedElement('code', concept, 'medication');
  if (concept && coded.degraded)
    ctx.warn(request, 'no SNOMED CT code for the medication: sent as a transfer-degraded medication entry');
  return coded.element;
}

function quantity(request: MedicationRequest): XmlSpec {
  return (
    quantityElement('quantity', request.dispenseRequest?.quantity) ?? x('quantity', { nullFlavor: 'UNK' })
  );
}

function supplyNotes(request: MedicationRequest, extra: (string | undefined)[]): XmlChild[] {
  const duration = request.dispenseRequest?.expectedSupplyDuration;
  const restated = [
    duration?.value !== undefined
      ? joinText([`Expected Supply Duration: ${duration.value}`, duration.unit ?? duration.code])
      : undefined,
    ...extra,
  ];
  const notes = [
    ...restated,
    ...notRestated(
      restated,
      (Array.isArray(request.note) ? request.note : []).map((n) => n?.text),
    ),
  ];
  return notes
    .map(cleanText)
    .filter((n) => n !== undefined)
    .map(supplyAnnotation);
}

function supplyAnnotation(text: string): XmlSpec {
  return x(
    'pertinentInformation',
    { typeCode: 'PERT' },
    x('pertinentSupplyAnnotation', { classCode: 'OBS', moodCode: 'EVN' }, x('text', {}, text)),
  );
}

function supplyTypeCode(): XmlSpec {
  return x('code', { code: '394823007', codeSystem: SNOMED_OID, displayName: 'NHS Prescription' });
}

function prescriptionType(request: MedicationRequest): string | undefined {
  const ext = (Array.isArray(request.extension) ? request.extension : []).find(
    (e) => e?.url === PRESCRIPTION_TYPE,
  );
  const coding = ext?.valueCodeableConcept?.coding?.[0];
  return cleanText(coding?.code ?? coding?.display);
}

function extensionPart(request: MedicationRequest, url: string, part: string): Extension | undefined {
  const ext = (Array.isArray(request.extension) ? request.extension : []).find((e) => e?.url === url);
  return Array.isArray(ext?.extension) ? ext.extension.find((e) => e?.url === part) : undefined;
}
