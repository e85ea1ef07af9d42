import type { OutgoingDocument } from './outgoing-types.ts';

/** A placeholder's file name must say what it is: `AbsentAttachment…txt` (docs/protocol.md#large-messages). */
export const ABSENT_FILENAME = /^AbsentAttachment.*\.txt$/i;

/** The file name a placeholder goes under: the one the extract already uses, or the standard form of it. */
export function placeholderFilename(doc: Pick<OutgoingDocument, 'documentId' | 'filename'>): string {
  return ABSENT_FILENAME.test(doc.filename) ? doc.filename : `AbsentAttachment${doc.documentId}.txt`;
}

/**
 * The text sent in place of a document the sending practice could not fetch, so the new practice knows what
 * is missing and can ask for it.
 *
 * @example
 * placeholderText({ documentId: 'D1', filename: 'D1_letter.pdf', contentType: 'application/pdf', bytes: 0, absentReason: 'not found' })
 */
export function placeholderText(doc: OutgoingDocument): string {
  return [
    'Absent attachment: this document could not be included in the GP2GP transfer.',
    `Document id: ${doc.documentId}`,
    `File name: ${doc.filename}`,
    `Content type: ${doc.contentType}`,
    `Reason: ${doc.absentReason ?? 'the document was not available to the sending practice'}`,
    '',
  ].join('\r\n');
}
