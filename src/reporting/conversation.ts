import type { LoggedMessage, MessageKind, SpineMessage } from './spine-message.ts';

/**
 * Every logged message sharing one conversation id, in the order they were read.
 *
 * @example
 * const c: Conversation = { conversationId: 'C1', messages: [request, requestAck, extract, extractAck] };
 */
export interface Conversation {
  readonly conversationId: string;
  readonly messages: readonly LoggedMessage[];
}

/**
 * Collects Spine log rows into conversations. Rows of one conversation are spread through a log (and over
 * files: a transfer that starts at the end of a month finishes in the next export), so all must be read before
 * any conversation is complete.
 *
 * @example
 * const g = new ConversationGrouper();
 * await readSpineLogFile(file, (m) => g.add(m));
 * for (const c of g.conversations()) …
 */
export class ConversationGrouper {
  private readonly byId = new Map<string, LoggedMessage[]>();
  private rows = 0;

  /**
   * Adds one row. The row is kept as it is (a copy per row cost more time than its conversation id costs
   * memory, the reader giving all rows of a conversation one shared id string).
   */
  add(m: SpineMessage): void {
    const list = this.byId.get(m.conversationId);
    if (list) list.push(m);
    else this.byId.set(m.conversationId, [m]);
    this.rows++;
  }

  /** Rows added so far. */
  get rowCount(): number {
    return this.rows;
  }

  /** Conversations seen so far. */
  get size(): number {
    return this.byId.size;
  }

  /** Every conversation, each once. */
  *conversations(): Generator<Conversation> {
    for (const [conversationId, messages] of this.byId) yield { conversationId, messages };
  }

  /** Every conversation, each once, forgetting each as it is handed out so its rows can be collected. */
  *drain(): Generator<Conversation> {
    for (const [conversationId, messages] of this.byId) {
      this.byId.delete(conversationId);
      yield { conversationId, messages };
    }
  }
}

/**
 * Orders the kinds at one instant. NHS England's classifier keeps file order for rows logged in the same
 * millisecond, which makes its answer depend on how the export was sorted; we order them as they must have
 * happened (a request before anything else, a message before its ack) and then by GUID, so the result depends
 * on the log's content only.
 */
const KIND_ORDER: Readonly<Record<MessageKind, number>> = {
  request: 0,
  extract: 1,
  copc: 2,
  other: 3,
  ack: 4,
};

function byTime(a: LoggedMessage, b: LoggedMessage): number {
  return (
    a.time - b.time ||
    KIND_ORDER[a.kind] - KIND_ORDER[b.kind] ||
    compareText(a.guid, b.guid) ||
    compareText(a.messageRef ?? '', b.messageRef ?? '')
  );
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The conversation's messages in time order, dropping those logged more than `cutoffMs` after its first
 * message (the cutoff is inclusive; 0 means no cutoff), as NHS England's classifier does before classifying.
 *
 * @example
 * messagesWithinCutoff(conversation, 14 * 86_400_000)
 */
export function messagesWithinCutoff(c: Conversation, cutoffMs: number): LoggedMessage[] {
  const sorted = [...c.messages].sort(byTime);
  if (cutoffMs <= 0 || sorted.length === 0) return sorted;
  const last = sorted[0]!.time + cutoffMs;
  let n = sorted.length;
  while (n > 0 && sorted[n - 1]!.time > last) n--;
  sorted.length = n;
  return sorted;
}
