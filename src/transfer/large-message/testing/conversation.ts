import { type EbxmlMessage, parseEbxmlMessage } from '../../../ebxml/index.ts';
import type { DocumentStore } from '../../../store/index.ts';
import { type BuildContext, type BuiltMessage, buildPlannedMessage } from '../build-message.ts';
import type { OutgoingTransferPlan } from '../outgoing-types.ts';
import {
  type ReceivedPartSummary,
  storeReceivedParts,
  summariseReceivedMessage,
} from '../received-summary.ts';

/** Parties and times for building test messages; `documents` is the sender's store. */
export function testContext(
  documents: DocumentStore,
  conversationId = '0A000000-0000-4000-8000-0000000000CC',
): BuildContext {
  return {
    from: { asid: '200000000101', ods: 'A99901', partyKey: 'A99901-000001' },
    to: { asid: '200000000202', ods: 'B99902', partyKey: 'B99902-000002' },
    conversationId,
    documents,
    creationTime: new Date('2026-01-02T03:04:05Z'),
    ebxmlTimestamp: '2026-01-02T03:04:05Z',
  };
}

/** Every message of a plan, built: the core message first, then the COPCs in send order. */
export async function buildAll(plan: OutgoingTransferPlan, context: BuildContext): Promise<BuiltMessage[]> {
  const built = [await buildPlannedMessage(plan.core, context)];
  for (const m of plan.copcMessages) built.push(await buildPlannedMessage(m, context));
  return built;
}

/** What the receiving engine does with a message off the wire: parse it, store its parts, summarise it. */
export async function receive(
  built: Pick<BuiltMessage, 'body' | 'contentType'>,
  documents: DocumentStore,
): Promise<{ message: EbxmlMessage; summary: ReceivedPartSummary }> {
  const message = parseEbxmlMessage(built.body, built.contentType);
  return {
    message,
    summary: summariseReceivedMessage(message, await storeReceivedParts(message, documents)),
  };
}
