import { OID } from '../../hl7/index.ts';
import { serializeXml, type XmlSpec, x } from '../../xml/index.ts';
import { elementSpans } from './xml-spans.ts';

/** The gzipped extract a skeleton refers to, and the ids its one composition needs. */
export interface SkeletonReference {
  /** Id of the ExternalDocument (and the manifest reference) that is the gzipped extract. */
  readonly documentId: string;
  /** Its file name, referred to as `file://localhost/<filename>`. */
  readonly filename: string;
  readonly compositionId: string;
  readonly statementId: string;
}

/** SNOMED CT "EDI messages": what GP2GP senders code the skeleton's document reference with. */
const EDI_MESSAGES = { code: '24891000000101', codeSystem: OID.snomed, displayName: 'EDI messages' };

/**
 * The skeleton of an extract too large to send inline (docs/protocol.md#large-messages): the same message with
 * every composition of its ehrFolder replaced by one whose single statement refers to the gzipped original.
 * Everything else (envelope, patient, agent directory) is kept byte for byte.
 *
 * @example
 * buildSkeletonExtract(extractXml, { documentId, filename: `${documentId}_ehr-extract.xml.gz`, compositionId, statementId })
 */
export function buildSkeletonExtract(extractXml: string, ref: SkeletonReference): string {
  const components = elementSpans(extractXml, (t) =>
    t.local === 'component' && t.ancestors.at(-1) === 'ehrFolder' ? 'self' : undefined,
  );
  const prefix = (components[0]?.name ?? '').replace(/[^:]*$/, '');
  const time = /<(?:[\w.-]+:)?creationTime\s+value="(\d{8,14})/.exec(extractXml)?.[1] ?? '19700101';
  const replacement = serializeXml(skeletonComposition(ref, time, prefix));
  if (components.length > 0) {
    return extractXml.slice(0, components[0]!.start) + replacement + extractXml.slice(components.at(-1)!.end);
  }
  const folder = elementSpans(extractXml, (t) => (t.local === 'ehrFolder' ? 'self' : undefined))[0];
  if (!folder) throw new RangeError('the extract has no ehrFolder to make a skeleton of');
  const closing = extractXml.lastIndexOf('</', folder.end - 1);
  return extractXml.slice(0, closing) + replacement + extractXml.slice(closing);
}

/** A composition in MIM element order whose one NarrativeStatement refers to the gzipped extract. */
function skeletonComposition(ref: SkeletonReference, time: string, p: string): XmlSpec {
  return x(
    `${p}component`,
    { typeCode: 'COMP' },
    x(
      `${p}ehrComposition`,
      { classCode: 'COMPOSITION', moodCode: 'EVN' },
      x(`${p}id`, { root: ref.compositionId }),
      x(`${p}code`, EDI_MESSAGES),
      x(`${p}statusCode`, { code: 'COMPLETE' }),
      x(`${p}effectiveTime`, {}, x(`${p}center`, { value: time })),
      x(`${p}availabilityTime`, { value: time }),
      x(
        `${p}author`,
        { typeCode: 'AUT', contextControlCode: 'OP' },
        x(`${p}time`, { value: time }),
        x(`${p}agentRef`, { classCode: 'AGNT' }, x(`${p}id`, { nullFlavor: 'UNK' })),
      ),
      x(
        `${p}component`,
        { typeCode: 'COMP' },
        x(
          `${p}NarrativeStatement`,
          { classCode: 'OBS', moodCode: 'EVN' },
          x(`${p}id`, { root: ref.statementId }),
          x(`${p}text`, {}, 'The whole EHR extract is in the attached compressed document (large message).'),
          x(`${p}statusCode`, { code: 'COMPLETE' }),
          x(`${p}availabilityTime`, { value: time }),
          x(
            `${p}reference`,
            { typeCode: 'REFR' },
            x(
              `${p}referredToExternalDocument`,
              { classCode: 'DOC', moodCode: 'EVN' },
              x(`${p}id`, { root: ref.documentId }),
              x(`${p}code`, EDI_MESSAGES, x(`${p}originalText`, {}, 'Original RCMR_IN03 EhrExtract message')),
              x(
                `${p}text`,
                { mediaType: 'text/xml' },
                x(`${p}reference`, { value: `file://localhost/${ref.filename}` }),
              ),
            ),
          ),
        ),
      ),
    ),
  );
}
