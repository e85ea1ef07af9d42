import { isEbxmlAction, isMessageUuid } from '../../common/spine-log-columns.ts';
import { GP2GP_SERVICE } from '../../ebxml/index.ts';

export { neutraliseCsvFormula as neutraliseCsvField } from '../../common/spine-log-columns.ts';

/** The ebXML header fields a Spine log line is keyed on. */
export interface LoggedHeader {
  readonly messageId: string;
  readonly conversationId: string;
  readonly service: string;
  readonly action: string;
}

/**
 * Why a message cannot go in the Spine message log (and so is not taken by the hub), or undefined: MessageId and
 * ConversationId must be UUIDs, the service GP2GP's, the action an interaction ID (`RCMR_IN010000UK05`).
 *
 * @example
 * logHeaderProblem({ messageId: '=1+1', conversationId, service, action }) // 'MessageId "=1+1" is not a UUID'
 */
export function logHeaderProblem(header: LoggedHeader): string | undefined {
  if (!isMessageUuid(header.messageId)) return `MessageId ${JSON.stringify(header.messageId)} is not a UUID`;
  if (!isMessageUuid(header.conversationId))
    return `ConversationId ${JSON.stringify(header.conversationId)} is not a UUID`;
  if (header.service !== GP2GP_SERVICE)
    return `Service ${JSON.stringify(header.service)} is not ${GP2GP_SERVICE}`;
  if (!isEbxmlAction(header.action))
    return `Action ${JSON.stringify(header.action)} is not an interaction ID`;
  return undefined;
}
