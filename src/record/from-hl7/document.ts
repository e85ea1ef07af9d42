import type { DocumentReference, Reference } from 'fhir/r3.js';
import { attr, child, path, type XmlElement } from '../../xml/index.ts';
import { readHl7Code, toFhirCodeableConcept } from '../codes/index.ts';
import { type MappingContext, metaFor } from './context.ts';
import { effectiveTimeOf, toFhirInstant } from './hl7-time.ts';
import { splitLabelledLines } from './pmip.ts';
import { isNopat, performerOf, type StatementScope, statementId, textChild } from './statement.ts';

/** The attachment of a NarrativeStatement, if it refers to an external document. */
export function externalDocumentOf(element: XmlElement): XmlElement | undefined {
  return path(element, 'reference/referredToExternalDocument');
}

/**
 * NarrativeStatement referring to an ExternalDocument (a scanned letter, an attachment) → DocumentReference.
 * The document itself travels separately (ebXML attachment or COPC fragments); the reference keeps its file
 * name, type and size. A file named `AbsentAttachment…` is a placeholder for a document the sender could not
 * fetch: it is kept, and its description says so, so the practice can chase the original.
 */
export function mapDocument(
  element: XmlElement,
  doc: XmlElement,
  scope: StatementScope,
  ctx: MappingContext,
): Reference | undefined {
  const id = statementId(doc) ?? statementId(element);
  if (!id) {
    ctx.warn('NarrativeStatement document without id/@root skipped');
    return undefined;
  }
  const ref = child(child(doc, 'text'), 'reference');
  const url = attr(ref, 'value');
  const contentType = attr(child(doc, 'text'), 'mediaType') ?? 'application/octet-stream';
  const title = url?.split('/').at(-1);
  const absent = title?.startsWith('AbsentAttachment') === true;
  const codeEl = child(doc, 'code');
  const type = codeEl ? toFhirCodeableConcept(readHl7Code(codeEl)).concept : { text: 'Other' };
  const narrative = textChild(element);
  const document: DocumentReference = {
    resourceType: 'DocumentReference',
    id,
    meta: metaFor('CareConnect-GPC-DocumentReference-1', { nopat: scope.nopat || isNopat(element) }),
    identifier: ctx.identifier(id),
    status: 'current',
    type,
    subject: ctx.patientRef,
    indexed:
      toFhirInstant(attr(element, 'value', 'availabilityTime')) ??
      scope.recordedAt ??
      '1970-01-01T00:00:00.000+00:00',
    content: [
      {
        attachment: {
          contentType,
          ...(url ? { url } : {}),
          ...(title ? { title } : {}),
        },
      },
    ],
  };
  const said = narrative === undefined ? undefined : descriptionOf(narrative);
  const description = absent ? `Absent attachment: ${said ?? title ?? ''}`.trim() : said;
  if (description) document.description = description;
  if (absent) ctx.warn(`DocumentReference/${id}: attachment ${title} is an absent-attachment placeholder`);
  const author = performerOf(element, scope, ctx);
  if (author) document.author = [author];
  if (scope.encounterRef) document.context = { encounter: scope.encounterRef };
  // The ExternalDocument's own effective time is when the document was made (the statement's is when filed).
  const created = effectiveTimeOf(doc, false);
  if (created.point ?? created.start) document.created = created.point ?? created.start;
  if (!ctx.add(document, id)) return undefined;
  const made = { reference: `DocumentReference/${id}` };
  // A problem links the NarrativeStatement (its id is the statement's), not the ExternalDocument inside it.
  const statement = statementId(element);
  if (statement && !ctx.madeFrom.has(statement)) ctx.madeFrom.set(statement, made);
  return made;
}

/** Labels a sender writes before the document's facts in the NarrativeStatement text (one a line). */
const DOCUMENT_LABELS = ['Type', 'Author Org', 'Custodian Org', 'Description', 'Title', 'Absent Attachment'];

/**
 * The document's description: the labelled "Description:" line (and any unlabelled lines) where the sender
 * wrote its facts one a line, else the whole text.
 */
function descriptionOf(narrative: string): string | undefined {
  const { labelled, rest } = splitLabelledLines(narrative, DOCUMENT_LABELS);
  if (labelled.size === 0) return narrative;
  const text = [labelled.get('Description'), ...rest].filter((t) => t && t.trim() !== '').join('\n');
  return text || undefined;
}
