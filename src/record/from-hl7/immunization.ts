import type { Immunization, Reference } from 'fhir/r3.js';
import { child, type XmlElement } from '../../xml/index.ts';
import {
  CODE_SYSTEMS,
  type Hl7Code,
  isImmunisationConcept,
  isSnomed,
  toFhirCodeableConcept,
} from '../codes/index.ts';
import { type MappingContext, metaFor } from './context.ts';
import { dateTimeOf, effectiveTimeOf } from './hl7-time.ts';
import { takeImmunizationFacts } from './immunization-notes.ts';
import { annotationsOf, isNopat, performerOf, type StatementScope, statementId } from './statement.ts';

/** True where the statement's code (or a translation) is a SNOMED immunisation procedure we know. */
export function isImmunisation(code: Hl7Code | undefined): boolean {
  if (!code) return false;
  if (isSnomed(code.codeSystem) && isImmunisationConcept(code.code)) return true;
  return code.translations.some((t) => isSnomed(t.codeSystem) && isImmunisationConcept(t.code));
}

/**
 * ObservationStatement coded as a vaccination → Immunization. GP2GP records the procedure, not the vaccine
 * product, so (as GP Connect does) the procedure goes in the VaccinationProcedure extension and
 * `vaccineCode` is the null flavour UNK.
 */
export function mapImmunization(
  element: XmlElement,
  code: Hl7Code,
  scope: StatementScope,
  ctx: MappingContext,
): Reference | undefined {
  const id = statementId(element);
  if (!id) {
    ctx.warn('immunisation ObservationStatement without id/@root skipped');
    return undefined;
  }
  const extension: NonNullable<Immunization['extension']> = [
    {
      url: 'https://fhir.hl7.org.uk/STU3/StructureDefinition/Extension-CareConnect-VaccinationProcedure-1',
      valueCodeableConcept: toFhirCodeableConcept(code).concept,
    },
  ];
  const recorded = dateTimeOf(child(element, 'availabilityTime'));
  if (recorded) {
    extension.push({
      url: 'https://fhir.hl7.org.uk/STU3/StructureDefinition/Extension-CareConnect-DateRecorded-1',
      valueDateTime: recorded,
    });
  }
  const imm: Immunization = {
    resourceType: 'Immunization',
    id,
    meta: metaFor('CareConnect-GPC-Immunization-1', { nopat: scope.nopat || isNopat(element) }),
    extension,
    identifier: ctx.identifier(id),
    status: 'completed',
    notGiven: false,
    vaccineCode: { coding: [{ system: CODE_SYSTEMS.hl7NullFlavor.url, code: 'UNK' }] },
    patient: ctx.patientRef,
    primarySource: true,
  };
  if (scope.encounterRef) imm.encounter = scope.encounterRef;
  const when = effectiveTimeOf(element);
  const date = when.point ?? when.start;
  if (date) imm.date = date;
  const performer = performerOf(element, scope, ctx);
  if (performer) imm.practitioner = [{ actor: performer }];
  const notes = annotationsOf(element).flatMap((n) => {
    const rest = takeImmunizationFacts(imm, n);
    return rest ? [rest] : [];
  });
  if (notes.length > 0) imm.note = notes.map((text) => ({ text }));
  return ctx.add(imm, id) ? { reference: `Immunization/${id}` } : undefined;
}
