import type { Bundle, BundleEntry } from 'fhir/r3.js';
import { InputError } from '../../common/input-error.ts';
import { attr, parseXml, path, type XmlElement } from '../../xml/index.ts';
import { LocationDirectory, mapAgentDirectory, mapPatient } from './agents.ts';
import { mapCondition } from './condition.ts';
import { MappingContext, NOPAT_SECURITY } from './context.ts';
import { mapMedications } from './medication.ts';
import { isNopat } from './statement.ts';
import { ExtractWalker } from './walk.ts';

/** The input is not an EHR Extract we can read (wrong interaction, no EhrExtract, no ehrFolder). */
export class ExtractError extends InputError {
  override readonly name = 'ExtractError';
}

/** A translated record: the GP Connect Bundle and what was degraded or skipped on the way. */
export interface ExtractTranslation {
  readonly bundle: Bundle;
  readonly warnings: readonly string[];
}

const EXTRACT_INTERACTIONS = new Set(['RCMR_IN030000UK06', 'RCMR_IN030000UK07']);

/**
 * EHR Extract (RCMR_IN030000UK06/UK07, bare HL7 XML) → GP Connect 1.6 STU3 Bundle (type "collection").
 * Throws {@link ExtractError} only where the message is not an extract at all; anything wrong inside the record
 * is degraded or skipped with a warning.
 *
 * @example
 * const { bundle, warnings } = translateExtractToBundle(readFileSync('extract.xml'));
 */
export function translateExtractToBundle(input: string | Uint8Array): ExtractTranslation {
  const { root, warnings: xmlWarnings } = parseXml(input);
  const extract = findExtract(root);
  const folder = path(extract, 'component/ehrFolder');
  if (!folder) throw new ExtractError('EhrExtract has no component/ehrFolder');
  const ods = attr(extract, 'extension', 'author/AgentOrgSDS/agentOrganizationSDS/id') ?? '';
  const extractTime = attr(extract, 'value', 'availabilityTime') ?? attr(extract, 'value', 'author/time');
  const extractId = attr(extract, 'root', 'id');
  const patientId = extractId ? `${extractId}-PAT` : 'patient';
  const ctx = new MappingContext({ patientId, odsCode: ods, extractTime });
  for (const w of xmlWarnings) ctx.warn(w);
  // UK07 is the interaction for an extract holding NOPAT content; the folder or extract may also say so.
  const recordNopat = root.local === 'RCMR_IN030000UK07' || isNopat(extract) || isNopat(folder);
  mapPatient(extract, patientId, ctx);
  mapAgentDirectory(path(folder, 'responsibleParty/agentDirectory'), ctx);
  const walker = new ExtractWalker(ctx, new LocationDirectory(ctx));
  walker.walkFolder(folder, isNopat(folder) || isNopat(extract));
  mapMedications(walker.medications, ctx);
  walker.fillMedicationEntries();
  for (const found of walker.linkSets) {
    try {
      mapCondition(found, walker.statements, ctx);
    } catch (e) {
      ctx.warn(`LinkSet skipped: ${(e as Error).message}`);
    }
  }
  const entry: BundleEntry[] = ctx.resources.map((resource) => ({ resource }));
  const bundle: Bundle = {
    resourceType: 'Bundle',
    meta: {
      profile: ['https://fhir.nhs.uk/STU3/StructureDefinition/GPConnect-StructuredRecord-Bundle-1'],
      ...(recordNopat ? { security: [{ ...NOPAT_SECURITY }] } : {}),
    },
    type: 'collection',
    entry,
  };
  return { bundle, warnings: ctx.warnings };
}

function findExtract(root: XmlElement): XmlElement {
  if (root.local === 'EhrExtract') return root;
  if (!EXTRACT_INTERACTIONS.has(root.local)) {
    throw new ExtractError(`not an EHR Extract: root element is ${root.local}`);
  }
  const extract = path(root, 'ControlActEvent/subject/EhrExtract');
  if (!extract) throw new ExtractError(`${root.local} has no ControlActEvent/subject/EhrExtract`);
  return extract;
}
