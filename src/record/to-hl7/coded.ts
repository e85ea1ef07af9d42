import type { CodeableConcept, Coding } from 'fhir/r3.js';
import { type XmlChild, type XmlSpec, x } from '../../xml/index.ts';
import { isSnomed, oidForSystemUrl } from '../codes/code-systems.ts';
import { DEGRADE_CODES, type DegradeKind } from '../codes/degrade.ts';
import { isSnomedConceptId } from '../codes/snomed-id.ts';
import { SNOMED_OID } from './datatypes.ts';
import { cleanText, cleanToken } from './text.ts';

/** GP Connect extension that carries the SNOMED description chosen by the clinician. */
const DESCRIPTION_EXTENSION = 'https://fhir.nhs.uk/STU3/StructureDefinition/Extension-coding-sctdescid';

const OID = /^[0-9]+(\.[0-9]+)*$/;

/** What became of a coded concept: the element, and whether it had to be degraded. */
export interface CodedResult {
  readonly element: XmlSpec;
  readonly degraded: boolean;
}

/**
 * A CD element for a FHIR CodeableConcept. SNOMED CT is the main code (with the clinician's description as
 * displayName); other codings travel as translations. With no SNOMED coding the degrade code of `kind` is used
 * and the original codes and text are kept (translations and originalText), as GP2GP requires.
 *
 * @example
 * codedElement('code', { coding: [{ system: 'http://read.info/readv2', code: 'H33..' }] }, 'record-entry')
 * // code=196411000000103 (Transfer-degraded record entry) with the Read code as a translation
 */
export function codedElement(
  name: string,
  concept: CodeableConcept | undefined,
  kind: DegradeKind,
): CodedResult {
  const codings = Array.isArray(concept?.coding) ? concept.coding.filter(isObject) : [];
  // Only a well-formed SNOMED CT concept id can be the main code; anything else filed as SNOMED (a description
  // id, a local code, a typo) travels as a translation under a degrade code, so the receiver is not handed a
  // code it cannot resolve.
  const snomed = codings.find((c) => isSnomed(c.system) && isSnomedConceptId(cleanToken(c.code)));
  const text = cleanText(concept?.text) ?? chosenText(codings, snomed);
  const translations = codings
    .filter((c) => c !== snomed)
    .map(translation)
    .filter((t) => t !== undefined);
  if (snomed) {
    const display = descriptionDisplay(snomed) ?? cleanText(snomed.display);
    const original = text && text !== display ? x('originalText', {}, text) : undefined;
    const attrs = { code: cleanToken(snomed.code), codeSystem: SNOMED_OID, displayName: display };
    return { element: x(name, attrs, original, ...translations), degraded: false };
  }
  const degrade = DEGRADE_CODES[kind];
  const originalText = text ?? codings.map((c) => cleanText(c.display)).find((d) => d !== undefined);
  const children: XmlChild[] = [originalText && x('originalText', {}, originalText), ...translations];
  const attrs = { code: degrade.code, codeSystem: SNOMED_OID, displayName: degrade.display };
  return { element: x(name, attrs, ...children), degraded: true };
}

/** A fixed SNOMED CD element. */
export function snomedCode(name: string, code: string, displayName: string, originalText?: string): XmlSpec {
  const text = cleanText(originalText);
  return x(name, { code, codeSystem: SNOMED_OID, displayName }, text && x('originalText', {}, text));
}

/** A CD with no code (nullFlavor UNK) keeping only text; for places the MIM types as free text. */
export function uncodedElement(name: string, text: string | undefined): XmlSpec {
  const original = cleanText(text);
  return x(name, { nullFlavor: 'UNK' }, original && x('originalText', {}, original));
}

/** The text a person would read for a concept: its text, else the first coding display. */
export function conceptText(concept: CodeableConcept | undefined): string | undefined {
  if (!concept) return undefined;
  const codings = Array.isArray(concept.coding) ? concept.coding.filter(isObject) : [];
  return (
    cleanText(concept.text) ??
    codings.map((c) => descriptionDisplay(c) ?? cleanText(c.display)).find((d) => d !== undefined)
  );
}

/**
 * The term the clinician recorded, where the concept has no text and it is another coding than the main one:
 * the display of the coding marked `userSelected` (EMIS senders mark the Read code picked, with its own term,
 * beside the SNOMED CT mapping); with none marked and no SNOMED CT description chosen, the first coding's (a
 * Read term listed before its SNOMED CT mapping: "Body Mass Index", not the preferred "Body mass index"). It
 * travels as originalText, the text as originally recorded.
 */
function chosenText(codings: Coding[], main: Coding | undefined): string | undefined {
  const chosen =
    codings.find((c) => c.userSelected === true) ??
    (codings.some((c) => descriptionDisplay(c) !== undefined) ? undefined : codings[0]);
  if (!chosen || chosen === main) return undefined;
  return descriptionDisplay(chosen) ?? cleanText(chosen.display);
}

function translation(coding: Coding): XmlSpec | undefined {
  // A SNOMED CT description known without its concept travels as its description id (readers keep it as such).
  const code = cleanToken(coding.code) ?? (isSnomed(coding.system) ? descriptionId(coding) : undefined);
  const system =
    typeof coding.system === 'string'
      ? isSnomed(coding.system)
        ? SNOMED_OID
        : oidForSystemUrl(coding.system)
      : undefined;
  if (!code || !system || !OID.test(system)) return undefined;
  return x('translation', { code, codeSystem: system, displayName: cleanText(coding.display) });
}

function descriptionId(coding: Coding): string | undefined {
  const ext = Array.isArray(coding.extension)
    ? coding.extension.find((e) => e?.url === DESCRIPTION_EXTENSION)
    : undefined;
  const inner = Array.isArray(ext?.extension)
    ? ext.extension.find((e) => e?.url === 'descriptionId')
    : undefined;
  return cleanToken(inner?.valueId);
}

function descriptionDisplay(coding: Coding): string | undefined {
  const ext = Array.isArray(coding.extension)
    ? coding.extension.find((e) => e?.url === DESCRIPTION_EXTENSION)
    : undefined;
  const inner = Array.isArray(ext?.extension)
    ? ext.extension.find((e) => e?.url === 'descriptionDisplay')
    : undefined;
  return cleanText(inner?.valueString);
}

function isObject<T>(value: T | null | undefined): value is T {
  return typeof value === 'object' && value !== null;
}
