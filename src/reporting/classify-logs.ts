import { toTransfer } from './classify-transfer.ts';
import { type Conversation, ConversationGrouper, messagesWithinCutoff } from './conversation.ts';
import { readGp2gpConversation } from './gp2gp-conversation.ts';
import { readSpineLogFile } from './spine-log-reader.ts';
import { reportingMonth, type Transfer } from './transfer.ts';

/** How to classify. */
export interface ClassifyOptions {
  /** Messages logged more than this many days after a conversation's first are ignored; 0 ignores none. */
  readonly cutoffDays: number;
  /** Keep only transfers requested in this UTC month (`YYYY-MM`). */
  readonly month?: string;
}

/** The transfers found, in request order, and what was read to find them. */
export interface ClassifyResult {
  readonly transfers: Transfer[];
  readonly rows: number;
  readonly conversations: number;
  /** Conversations left out because they do not begin with an EHR request. */
  readonly withoutRequest: number;
}

const DAY_MS = 86_400_000;

/**
 * Classifies conversations already grouped: each is cut off, read as a transfer and given NHS England's outcome.
 * Conversations are released as they are classified, so memory falls while transfers are built.
 *
 * @example
 * const g = new ConversationGrouper(); for (const m of messages) g.add(m);
 * classifyConversations(g, { cutoffDays: 14 }).transfers
 */
export function classifyConversations(
  grouper: ConversationGrouper,
  options: ClassifyOptions,
): ClassifyResult {
  const rows = grouper.rowCount;
  const conversations = grouper.size;
  const transfers: Transfer[] = [];
  let withoutRequest = 0;
  for (const c of grouper.drain()) {
    const t = classifyConversation(c, options.cutoffDays);
    if (t === undefined) withoutRequest++;
    else if (options.month === undefined || reportingMonth(t.dateRequested) === options.month)
      transfers.push(t);
  }
  transfers.sort(
    (a, b) =>
      a.dateRequested.getTime() - b.dateRequested.getTime() ||
      (a.conversationId < b.conversationId ? -1 : a.conversationId > b.conversationId ? 1 : 0),
  );
  return { transfers, rows, conversations, withoutRequest };
}

/**
 * One conversation's transfer, or undefined when it does not begin with an EHR request.
 *
 * @example
 * classifyConversation({ conversationId: 'C1', messages }, 14)?.outcome.status
 */
export function classifyConversation(c: Conversation, cutoffDays: number): Transfer | undefined {
  const read = readGp2gpConversation(c.conversationId, messagesWithinCutoff(c, cutoffDays * DAY_MS));
  return read && toTransfer(read);
}

/**
 * Reads Spine log exports (a month and its overflow may come in several files), groups rows into conversations
 * across all of them, and classifies each. Rejects with a `SpineLogError` on a malformed file.
 *
 * @example
 * const { transfers } = await classifySpineLogs(['dec.csv', 'jan-overflow.csv'], { cutoffDays: 14, month: '2019-12' });
 */
export async function classifySpineLogs(
  files: readonly string[],
  options: ClassifyOptions,
): Promise<ClassifyResult> {
  const grouper = new ConversationGrouper();
  for (const file of files) await readSpineLogFile(file, (m) => grouper.add(m));
  return classifyConversations(grouper, options);
}
