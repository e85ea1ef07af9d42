/**
 * The columns of a Spine message log export (DESIGN.md §3), in the order the export writes them: the Spine
 * simulator writes this format and NHS England's reporting (our `reporting/`) reads it. The first eight are
 * required to classify transfers; the two system columns only name the suppliers.
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
