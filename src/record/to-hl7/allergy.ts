import type { AllergyIntolerance } from 'fhir/r3.js';
import { type XmlSpec, x } from '../../xml/index.ts';
import { codedElement, conceptText } from './coded.ts';
import type { TranslationContext } from './context.ts';
import { component, effectivePeriod, idElement, participant, statusCode, tsElement } from './datatypes.ts';
import { hl7Time } from './hl7-time.ts';
import { annotation } from './observation.ts';
import { firstTime } from './statement-times.ts';
import { joinText } from './text.ts';

const READ_V2_OID = '2.16.840.1.113883.2.1.6.2';
// CareConnect extension recording when and why an allergy was ended.
const ALLERGY_END =
  'https://fhir.nhs.uk/STU3/StructureDefinition/Extension-CareConnect-GPC-AllergyIntoleranceEnd-1';

/**
 * An allergy in the GP2GP form every receiving system understands: a CATEGORY CompoundStatement coded
 * 14L..00 (drug allergy) or SN53.00 (non-drug allergy) around an ObservationStatement for the allergen.
 * The ObservationStatement carries the resource's id so problem links point at it.
 */
export function allergyStatement(ctx: TranslationContext, allergy: AllergyIntolerance): XmlSpec {
  const drug = Array.isArray(allergy.category) && allergy.category.includes('medication');
  const coded = codedElement('code', allergy.code, drug ? 'drug-allergy' : 'non-drug-allergy');
  if (coded.degraded)
    ctx.warn(allergy, `no SNOMED CT code: sent as a transfer-degraded ${drug ? 'drug' : 'non-drug'} allergy`);
  // No onset is an unknown effective time (center UNK, as the NHS sending adaptor writes it): the asserted date
  // is when it was recorded, not when it began.
  const onset = firstTime(allergy.onsetDateTime, allergy.onsetPeriod?.start);
  const end = (Array.isArray(allergy.extension) ? allergy.extension : []).find((e) => e?.url === ALLERGY_END);
  const endDate = hl7Time(end?.extension?.find((e) => e?.url === 'endDate')?.valueDateTime);
  const endReason = end?.extension?.find((e) => e?.url === 'reasonEnded')?.valueString;
  const asserted = firstTime(allergy.assertedDate, allergy.onsetDateTime);
  const notes = [
    joinText(
      [
        allergy.clinicalStatus && `Status: ${allergy.clinicalStatus}`,
        allergy.type && `Type: ${allergy.type}`,
        allergy.criticality && `Criticality: ${allergy.criticality}`,
      ],
      ', ',
    ),
    endReason && `Reason Ended: ${endReason}`,
    ...(Array.isArray(allergy.reaction) ? allergy.reaction : []).map((r) =>
      joinText([
        'Reaction:',
        ...(Array.isArray(r?.manifestation) ? r.manifestation.map(conceptText) : []),
        r?.severity && `(${r.severity})`,
        r?.description,
      ]),
    ),
    ...(Array.isArray(allergy.note) ? allergy.note : []).map((n) => n?.text),
  ];
  const observation = x(
    'ObservationStatement',
    { classCode: 'OBS', moodCode: 'EVN' },
    idElement(ctx.idOf(allergy)),
    coded.element,
    statusCode(),
    effectivePeriod(onset, endDate),
    tsElement('availabilityTime', asserted),
    ctx.confidentiality(allergy),
    annotation(notes),
    allergy.recorder && participant(ctx.agentIdFor(allergy.recorder), 'AUT'),
    allergy.asserter && participant(ctx.agentIdFor(allergy.asserter), 'PRF'),
  );
  return x(
    'CompoundStatement',
    { classCode: 'CATEGORY', moodCode: 'EVN' },
    idElement(ctx.newId()),
    drug
      ? x('code', { code: '14L..00', codeSystem: READ_V2_OID, displayName: 'H/O: drug allergy' })
      : x('code', { code: 'SN53.00', codeSystem: READ_V2_OID, displayName: 'Allergy, unspecified' }),
    statusCode(),
    effectivePeriod(onset, endDate),
    tsElement('availabilityTime', asserted),
    ctx.confidentiality(allergy),
    component(observation),
  );
}
