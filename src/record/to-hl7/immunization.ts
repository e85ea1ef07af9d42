import type { CodeableConcept, Immunization } from 'fhir/r3.js';
import { type XmlSpec, x } from '../../xml/index.ts';
import { isImmunisationCode } from '../codes/immunisation-codes.ts';
import { codedElement, conceptText } from './coded.ts';
import type { TranslationContext } from './context.ts';
import { effectiveTime, idElement, participant, statusCode, tsElement } from './datatypes.ts';
import { hl7Time } from './hl7-time.ts';
import { annotation } from './observation.ts';
import { firstTime } from './statement-times.ts';
import { cleanText, joinText } from './text.ts';

// GP Connect carries the procedure that gave the vaccine (a SNOMED procedure) in this extension; the vaccine
// product is in vaccineCode.
const VACCINATION_PROCEDURE =
  'https://fhir.hl7.org.uk/STU3/StructureDefinition/Extension-CareConnect-VaccinationProcedure-1';

/** An ObservationStatement for an Immunization, coded with the vaccination procedure, details as annotation. */
export function immunizationStatement(ctx: TranslationContext, immunization: Immunization): XmlSpec {
  const exts = Array.isArray(immunization.extension) ? immunization.extension : [];
  const procedure = exts.find((e) => e?.url === VACCINATION_PROCEDURE)?.valueCodeableConcept;
  const concept = procedure ?? immunization.vaccineCode;
  // GP2GP records one code for an immunisation, read back as the procedure: without one, the vaccine is it.
  if (!procedure && !isNullFlavour(immunization.vaccineCode))
    ctx.warn(
      immunization,
      'no vaccination procedure: the vaccine is sent as the immunisation code (a reader files it as the procedure)',
    );
  const known = [procedure, immunization.vaccineCode].some((c) =>
    (Array.isArray(c?.coding) ? c.coding : []).some((k) => isImmunisationCode(k?.code, k?.system)),
  );
  if (!known)
    ctx.warn(
      immunization,
      `vaccination code not on the immunisation list: ${IMMUNITY.code} added so receivers read an immunisation`,
    );
  // A code no receiver would know for an immunisation gets the generic immunisation procedure beside it, so
  // the entry is not read back as a plain observation.
  const coded = codedElement(
    'code',
    known
      ? concept
      : { ...concept, coding: [...(Array.isArray(concept?.coding) ? concept.coding : []), IMMUNITY] },
    'record-entry',
  );
  if (coded.degraded) ctx.warn(immunization, 'no SNOMED CT code: sent as a transfer-degraded record entry');
  const explanation = immunization.explanation;
  // GP Connect senders give the null flavour UNK as the vaccine where they record only the procedure: that says
  // nothing, so it is not written as a "Vaccine:" line.
  const vaccine = isNullFlavour(immunization.vaccineCode) ? undefined : conceptText(immunization.vaccineCode);
  const manufacturer = ctx.index.resolve(immunization.manufacturer);
  const notes = [
    procedure && vaccine && `Vaccine: ${vaccine}`,
    manufacturer?.resourceType === 'Organization' && cleanText(manufacturer.name)
      ? `Manufacturer: ${cleanText(manufacturer.name)}`
      : undefined,
    immunization.notGiven === true ? 'Not given' : undefined,
    immunization.lotNumber && `Batch: ${immunization.lotNumber}`,
    immunization.expirationDate && `Expiration: ${immunization.expirationDate}`,
    conceptText(immunization.site) && `Site: ${conceptText(immunization.site)}`,
    conceptText(immunization.route) && `Route: ${conceptText(immunization.route)}`,
    immunization.doseQuantity?.value !== undefined
      ? joinText([`Dose: ${immunization.doseQuantity.value}`, immunization.doseQuantity.unit])
      : undefined,
    ...(Array.isArray(explanation?.reason)
      ? explanation.reason.map((r) => conceptText(r) && `Reason: ${conceptText(r)}`)
      : []),
    ...(Array.isArray(explanation?.reasonNotGiven)
      ? explanation.reasonNotGiven.map((r) => conceptText(r) && `Reason not given: ${conceptText(r)}`)
      : []),
    ...(Array.isArray(immunization.vaccinationProtocol)
      ? immunization.vaccinationProtocol.map((p) =>
          p?.doseSequence !== undefined ? `Dose sequence: ${p.doseSequence}` : undefined,
        )
      : []),
    ...(Array.isArray(immunization.note) ? immunization.note.map((n) => n?.text) : []),
  ];
  const practitioner = Array.isArray(immunization.practitioner)
    ? immunization.practitioner[0]?.actor
    : undefined;
  return x(
    'ObservationStatement',
    { classCode: 'OBS', moodCode: 'EVN' },
    idElement(ctx.idOf(immunization)),
    coded.element,
    statusCode(),
    effectiveTime(hl7Time(immunization.date)),
    tsElement('availabilityTime', firstTime(immunization.date)),
    ctx.confidentiality(immunization),
    annotation(notes),
    practitioner && participant(ctx.agentIdFor(practitioner), 'PRF'),
  );
}

const NULL_FLAVOR = 'http://hl7.org/fhir/v3/NullFlavor';

/** SNOMED CT's generic immunisation procedure, one of the roots of the immunisation list. */
const IMMUNITY = {
  system: 'http://snomed.info/sct',
  code: '127785005',
  display: 'Administration of substance to produce immunity, either active or passive',
};

/** True where a concept is only a null flavour (no text, every coding from the NullFlavor system). */
function isNullFlavour(concept: CodeableConcept | undefined): boolean {
  const codings = Array.isArray(concept?.coding) ? concept.coding : [];
  return !concept?.text && codings.length > 0 && codings.every((c) => c?.system === NULL_FLAVOR);
}
