import type { Attachment, DocumentReference } from 'fhir/r3.js';
import { type XmlSpec, x } from '../../xml/index.ts';
import { codedElement, conceptText } from './coded.ts';
import type { TranslationContext } from './context.ts';
import { idElement, participant, SNOMED_OID, statusCode, tsElement } from './datatypes.ts';
import { hl7Time } from './hl7-time.ts';
import { firstTime } from './statement-times.ts';
import { cleanText, cleanToken, joinText } from './text.ts';

/** A document the extract refers to, so the sender knows what to attach (or that it is absent). */
export interface ReferencedDocument {
  /** HL7 id of the ExternalDocument (also the attachment's id). */
  readonly documentId: string;
  /** The DocumentReference it came from. */
  readonly resourceId: string | undefined;
  /** File name used in the `file://localhost/…` reference. */
  readonly filename: string;
  readonly contentType: string;
  /** Where the binary can be fetched (GP Connect Binary URL), when known. */
  readonly url: string | undefined;
  /** True where no content was available: an AbsentAttachment placeholder is referenced instead. */
  readonly absent: boolean;
}

// Common content types → file extensions, so receivers can open the attachment.
const EXTENSIONS: Readonly<Record<string, string>> = {
  'application/pdf': 'pdf',
  'text/plain': 'txt',
  'text/html': 'html',
  'text/rtf': 'rtf',
  'application/rtf': 'rtf',
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/tiff': 'tif',
  'image/bmp': 'bmp',
  'image/gif': 'gif',
  'application/msword': 'doc',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'application/xml': 'xml',
  'text/xml': 'xml',
};

/**
 * A NarrativeStatement describing a DocumentReference, with a reference to the ExternalDocument sent as an
 * attachment. Where the reference has no usable content, the placeholder `AbsentAttachment<id>.txt` is used,
 * as GP2GP requires, and a warning says why.
 */
export function documentStatement(
  ctx: TranslationContext,
  doc: DocumentReference,
  documents: ReferencedDocument[],
): XmlSpec {
  const documentId = ctx.newId();
  const attachment = (Array.isArray(doc.content) ? doc.content : []).map((c) => c?.attachment).find(isUsable);
  if (!attachment)
    ctx.warn(doc, 'document has no content to attach: sent as an absent attachment placeholder');
  const contentType = attachment
    ? (cleanToken(attachment.contentType) ?? 'application/octet-stream')
    : 'text/plain';
  const ext = EXTENSIONS[contentType] ?? 'bin';
  const filename = attachment ? `${documentId}_${documentId}.${ext}` : `AbsentAttachment${documentId}.txt`;
  documents.push({
    documentId,
    resourceId: doc.id,
    filename,
    contentType,
    url: attachment?.url,
    absent: !attachment,
  });
  const authors = (Array.isArray(doc.author) ? doc.author : []).map((a) => ctx.index.resolve(a));
  const custodian = ctx.index.resolve(doc.custodian);
  const text = joinText(
    [
      conceptText(doc.type) && `Type: ${conceptText(doc.type)}`,
      ...authors.map((a) =>
        a?.resourceType === 'Organization' ? a.name && `Author Org: ${a.name}` : undefined,
      ),
      custodian?.resourceType === 'Organization' && custodian.name
        ? `Custodian Org: ${custodian.name}`
        : undefined,
      doc.description && `Description: ${doc.description}`,
      attachment?.title && `Title: ${attachment.title}`,
      attachment ? undefined : 'Absent Attachment: document content not available',
    ],
    // One fact a line, so a reader can tell the description from the labels around it.
    '\n',
  );
  const authorAgent = authors.find(
    (a) => a?.resourceType === 'Practitioner' || a?.resourceType === 'Organization',
  );
  const author = authorAgent
    ? ctx.agentIdFor({ reference: `${authorAgent.resourceType}/${authorAgent.id}` })
    : ctx.defaultAgentId;
  return x(
    'NarrativeStatement',
    { classCode: 'OBS', moodCode: 'EVN' },
    idElement(ctx.idOf(doc)),
    x('text', {}, cleanText(text) ?? 'Document'),
    statusCode(),
    // When the document was filed in the record (indexed): GP2GP readers take the statement's availability
    // time as DocumentReference.indexed, so writing the creation date here would move the filing date.
    tsElement('availabilityTime', firstTime(doc.indexed, doc.created)),
    ctx.confidentiality(doc),
    participant(author, 'PRF'),
    x(
      'reference',
      { typeCode: 'REFR' },
      x(
        'referredToExternalDocument',
        { classCode: 'DOC', moodCode: 'EVN' },
        idElement(documentId),
        documentType(doc),
        x('text', { mediaType: contentType }, x('reference', { value: `file://localhost/${filename}` })),
        // When the document itself was made: the ExternalDocument's own effective time (the statement's
        // availability time is when it was filed).
        createdTime(doc.created),
        ctx.confidentiality(doc),
      ),
    ),
  );
}

function createdTime(created: string | undefined): XmlSpec | undefined {
  const when = hl7Time(created);
  return when ? x('effectiveTime', {}, x('center', { value: when })) : undefined;
}

function isUsable(attachment: Attachment | undefined): attachment is Attachment {
  return (
    !!attachment && (cleanText(attachment.url) !== undefined || cleanText(attachment.data) !== undefined)
  );
}

// The document's type where it is SNOMED coded; else GP2GP's "Other digital signal" keeping the type's text.
function documentType(doc: DocumentReference): XmlSpec {
  const coded = codedElement('code', doc.type, 'record-entry');
  if (!coded.degraded) return coded.element;
  const text = conceptText(doc.type);
  return x(
    'code',
    { code: '37251000000104', codeSystem: SNOMED_OID, displayName: 'Other digital signal' },
    text && x('originalText', {}, text),
  );
}
