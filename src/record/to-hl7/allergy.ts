import type { AllergyIntolerance } from 'fhir/r3.js';
import { type XmlSpec, x } from '../../xml/index.ts';
import { isGenericAllergyCode } from '../codes/allergy-codes.ts';
import type { DegradeKind } from '../codes/degrade.ts';
import { type CodedResult, codedElement, conceptText } from './coded.ts';
import type { TranslationContext } from './context.ts';
import {
  component,
  effectivePeriod,
  idElement,
  participant,
  statusCode,
  tsElement,
  xsiType,
} from './datatypes.ts';
import { hl7Time } from './hl7-time.ts';
import { annotation } from './observation.ts';
import { firstTime } from './statement-times.ts';
import { cleanToken, joinText, notRestated } from './text.ts';

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
  const { coded, value } = allergyCode(allergy, drug ? 'drug-allergy' : 'non-drug-allergy');
  if (coded.degraded)
    ctx.warn(allergy, `no SNOMED CT code: sent as a transfer-degraded ${drug ? 'drug' : 'non-drug'} allergy`);
  // No onset is an unknown effective time (center UNK, as the NHS sending adaptor writes it): the asserted date
  // is when it was recorded, not when it began.
  const onset = firstTime(allergy.onsetDateTime, allergy.onsetPeriod?.start);
  const end = (Array.isArray(allergy.extension) ? allergy.extension : []).find((e) => e?.url === ALLERGY_END);
  const endDate = hl7Time(end?.extension?.find((e) => e?.url === 'endDate')?.valueDateTime);
  const endReason = end?.extension?.find((e) => e?.url === 'reasonEnded')?.valueString;
  const asserted = firstTime(allergy.assertedDate, allergy.onsetDateTime);
  const restated = [
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
  ];
  const notes = [
    ...restated,
    ...notRestated(
      restated,
      (Array.isArray(allergy.note) ? allergy.note : []).map((n) => n?.text),
    ),
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
    value,
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

/**
 * The allergy's code and value. A code whose codings are an allergen and a code saying only "drug allergy" (as
 * the reader makes of a generic code with its allergen in the value) goes back to that form: the generic code
 * as the ObservationStatement's code, the allergen as its `value`, so a receiver reading either keeps the drug.
 * The entry is degraded by the allergen's coding.
 */
function allergyCode(
  allergy: AllergyIntolerance,
  kind: DegradeKind,
): { coded: CodedResult; value: XmlSpec | undefined } {
  const codings = Array.isArray(allergy.code?.coding)
    ? allergy.code.coding.filter((c) => c && typeof c === 'object')
    : [];
  const generic = codings.filter((c) => isGenericAllergyCode(cleanToken(c.code), c.system));
  const allergen = codings.filter((c) => !generic.includes(c));
  if (generic.length === 0 || allergen.length === 0)
    return { coded: codedElement('code', allergy.code, kind), value: undefined };
  const valueCoded = codedElement(
    'value',
    { coding: allergen, ...(allergy.code?.text ? { text: allergy.code.text } : {}) },
    kind,
  );
  const value = { ...valueCoded.element, attrs: { ...valueCoded.element.attrs, ...xsiType('CD') } };
  const code = codedElement('code', { coding: generic }, kind);
  return { coded: { element: code.element, degraded: valueCoded.degraded }, value };
}
