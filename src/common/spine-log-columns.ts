/**
 * The columns of a Spine message log export (docs/reporting.md#input), in the order the export writes them: the
 * Spine simulator writes this format and NHS England's reporting (our `reporting/`) reads it. The first eight
 * are required to classify transfers; the two system columns only name the suppliers.
 *
 * @example
 * SPINE_LOG_COLUMNS.join(',') // '_time,conversationID,GUID,interactionID,messageSender,messageRecipient,messageRef,jdiEvent,toSystem,fromSystem'
 */
export const SPINE_LOG_COLUMNS = [
  '_time',
  'conversationID',
  'GUID',
  'interactionID',
  'messageSender',
  'messageRecipient',
  'messageRef',
  'jdiEvent',
  'toSystem',
  'fromSystem',
] as const;

/** What a spreadsheet reads as the start of a formula (OWASP's list: `=`, `+`, `-`, `@`, tab, carriage return). */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * A log field made safe to open in a spreadsheet: a value that starts like a formula (`=HYPERLINK(…)`, `+1+1`,
 * `-2`, `@SUM(…)`) gets a leading `'`, so the cell shows the text instead of running it. Every other value is
 * returned as it is. Apply it to values a sender chose (ids, service, action, supplier names) before writing a
 * row; the values Spine itself writes (times, ASIDs, `NotProvided`, `NONE`) never start so.
 *
 * @example
 * neutraliseCsvFormula('=HYPERLINK("http://example.invalid")') // `'=HYPERLINK("http://example.invalid")`
 * neutraliseCsvFormula('EMIS') // 'EMIS'
 */
export function neutraliseCsvFormula(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/** A UUID written 8-4-4-4-12 in hex digits, as suppliers write ebXML ids: upper case mostly, lower case by some. */
const UPPER_UUID = /^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$/;
const LOWER_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * True for an ebXML MessageId or ConversationId in the form GP2GP uses: a UUID of any version, hyphenated, all
 * in upper case (as Spine and most suppliers write them) or all in lower case. Braces, a `uuid:` prefix or
 * mixed case are not this form.
 *
 * @example
 * isMessageUuid('DFF5321C-C6EA-468E-BBC2-B0E48000E071') // true
 * isMessageUuid('=1+1') // false
 */
export function isMessageUuid(value: string): boolean {
  return UPPER_UUID.test(value) || LOWER_UUID.test(value);
}

/** A URN as ebXML services are named: `urn:` + namespace id + colon-separated parts of safe characters. */
const SERVICE_URN = /^urn:[A-Za-z0-9][A-Za-z0-9-]{0,31}(?::[A-Za-z0-9._-]+)+$/;

/**
 * True for an ebXML Service the Spine log may carry: a URN such as `urn:nhs:names:services:gp2gp` or the ebXML
 * message service `urn:oasis:names:tc:ebxml-msg:service`.
 *
 * @example
 * isEbxmlService('urn:nhs:names:services:gp2gp') // true
 * isEbxmlService('gp2gp,evil') // false
 */
export function isEbxmlService(value: string): boolean {
  return value.length <= 256 && SERVICE_URN.test(value);
}

/** An HL7v3 interaction id (`RCMR_IN030000UK06`), or an ebXML message-service action (`Acknowledgment`). */
const ACTION =
  /^(?:[A-Z]{4}_IN\d{6}UK\d{2}|Acknowledgment|MessageError|StatusRequest|StatusResponse|Ping|Pong)$/;

/**
 * True for an ebXML Action the Spine log may carry: an HL7v3 interaction id such as `RCMR_IN010000UK05`, or
 * one of the ebXML message service's own actions (`Acknowledgment`, `MessageError`, …).
 *
 * @example
 * isEbxmlAction('MCCI_IN010000UK13') // true
 * isEbxmlAction('@SUM(A1)') // false
 */
export function isEbxmlAction(value: string): boolean {
  return ACTION.test(value);
}
