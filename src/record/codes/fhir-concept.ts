import type { CodeableConcept, Coding, Extension } from 'fhir/r3.js';
import { CODE_SYSTEMS, codeSystemByUrl, isSnomed, systemUrlForOid } from './code-systems.ts';
import { type DegradeKind, degradeCodeFor, isDegradeCode } from './degrade.ts';
import { allCodes, type Hl7Code, type Hl7Translation } from './hl7-code.ts';
import { isSnomedConceptId, isSnomedDescriptionId } from './snomed-id.ts';
import { snomedConcept } from './snomed-subset.ts';

/** The GP Connect extension carrying the SNOMED description the clinician chose, beside the preferred term. */
export const SCT_DESCRIPTION_EXTENSION =
  'https://fhir.nhs.uk/STU3/StructureDefinition/Extension-coding-sctdescid';

/** A translated concept, and whether it had to be degraded for want of a SNOMED code. */
export interface FhirConcept {
  readonly concept: CodeableConcept;
  /** True where the degrade code of the entry's kind was put first because no SNOMED code was found. */
  readonly degraded: boolean;
  /**
   * True where the only SNOMED CT id sent was a description id: it names a term, not a concept, so it is kept
   * as the description (GP Connect's description extension), never as a code, and the entry is degraded.
   */
  readonly descriptionOnly?: boolean;
}

/** Options for {@link toFhirCodeableConcept}. */
export interface ToFhirConceptOptions {
  /** Degrade to this kind's code when there is no SNOMED code; leave undefined to carry the codes as they are. */
  readonly degradeKind?: DegradeKind;
}

/**
 * HL7 coded value → FHIR CodeableConcept: every code is kept as a coding (main code first, then translations),
 * SNOMED codings get the preferred term where the subset knows it, and text is the original text or display
 * name. With `degradeKind` and no SNOMED coding, the kind's degrade code goes first and `degraded` is set.
 *
 * @example
 * toFhirCodeableConcept(readHl7Code(codeEl), { degradeKind: 'plan' }).degraded
 */
export function toFhirCodeableConcept(code: Hl7Code, options: ToFhirConceptOptions = {}): FhirConcept {
  const coding: Coding[] = [];
  let hasSnomed = false;
  let sentDegraded = false;
  let descriptionIds = false;
  for (const c of allCodes(code)) {
    // A sender's own transfer-degraded code is not a SNOMED CT mapping: the entry arrives degraded.
    if (isSnomed(c.codeSystem) && isDegradeCode(c.code)) sentDegraded = true;
    // A code filed under SNOMED CT that is no SNOMED CT identifier cannot be resolved: it is kept, but the
    // entry degrades as if no SNOMED code had been sent.
    else if (isSnomed(c.codeSystem) && isSnomedConceptId(c.code)) hasSnomed = true;
    // A description id (the partition digits say so) names a term: it is kept as the description, not a code.
    else if (isSnomed(c.codeSystem) && isSnomedDescriptionId(c.code)) {
      descriptionIds = true;
      coding.push(descriptionCoding(c));
      continue;
    }
    coding.push(toCoding(c));
  }
  const text =
    code.originalText ?? code.displayName ?? code.translations.find((t) => t.displayName)?.displayName;
  const degraded = !hasSnomed && (options.degradeKind !== undefined || sentDegraded);
  if (degraded && options.degradeKind && !sentDegraded) coding.unshift(degradeCodeFor(options.degradeKind));
  if (coding.length === 0 && code.nullFlavor) {
    coding.push({ system: CODE_SYSTEMS.hl7NullFlavor.url, code: code.nullFlavor });
  }
  const concept: CodeableConcept = {};
  if (coding.length > 0) concept.coding = coding;
  if (text) concept.text = text;
  return { concept, degraded, ...(descriptionIds && !hasSnomed ? { descriptionOnly: true } : {}) };
}

/** A SNOMED CT description id as GP Connect carries one: in the description extension, with no concept code. */
function descriptionCoding(c: Hl7Translation): Coding {
  const parts: Extension[] = [{ url: 'descriptionId', valueId: c.code }];
  if (c.displayName) parts.push({ url: 'descriptionDisplay', valueString: c.displayName });
  return {
    extension: [{ url: SCT_DESCRIPTION_EXTENSION, extension: parts }],
    system: CODE_SYSTEMS.snomed.url,
    ...(c.displayName ? { display: c.displayName } : {}),
  };
}

function toCoding(c: Hl7Translation): Coding {
  const out: Coding = {};
  if (isSnomed(c.codeSystem)) {
    const known = snomedConcept(c.code);
    // The description the clinician picked travels in the extension; display is the preferred term.
    if (c.displayName) out.extension = [descriptionExtension(c.displayName)];
    out.system = CODE_SYSTEMS.snomed.url;
    out.code = c.code;
    const display = known?.term ?? c.displayName;
    if (display) out.display = display;
    return out;
  }
  out.system = systemUrlForOid(c.codeSystem);
  out.code = c.code;
  if (c.displayName) out.display = c.displayName;
  return out;
}

function descriptionExtension(display: string): Extension {
  return { url: SCT_DESCRIPTION_EXTENSION, extension: [{ url: 'descriptionDisplay', valueString: display }] };
}

/** The name of a FHIR system URI for messages ("Read v2"), or the URI itself. */
export function systemName(url: string | undefined): string {
  return codeSystemByUrl(url)?.name ?? url ?? 'no system';
}
