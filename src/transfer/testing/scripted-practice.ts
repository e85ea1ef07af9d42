import type { EbxmlMessage, ExternalAttachment, OutboundAttachment } from '../../ebxml/index.ts';
import { readHl7 } from '../../hl7/index.ts';
import {
  InMemorySeenMessageIds,
  MhsInboundEndpoint,
  MhsOutboundClient,
  type PracticeDirectoryEntry,
  type SendOutcome,
  type SpineSimulator,
  spineAgent,
} from '../../spine/index.ts';

/** A message the scripted practice received, with its HL7 read. */
export interface ScriptedDelivery {
  readonly message: EbxmlMessage;
  readonly hl7: ReturnType<typeof readHl7>;
}

/**
 * A practice played by the test instead of an engine: it records what reaches its endpoint and sends whatever
 * the test writes, malformed or not, through Spine like any practice. For the paths a well-behaved engine never
 * takes (a duplicate extract, a broken large message, a sender that goes quiet).
 *
 * @example
 * const b = await scriptedPractice(net.spine, 'TESTB2');
 * await b.send({ interactionId: 'RCMR_IN030000UK06', conversationId, payload: extractXml, to: 'TESTA1' });
 */
export async function scriptedPractice(spine: SpineSimulator, ods: string) {
  const entry = spine.directory.odsSync(ods);
  if (!entry) throw new Error(`${ods} is not in SDS`);
  const identity = spine.identityFor(ods);
  const received: ScriptedDelivery[] = [];
  const inbound = await MhsInboundEndpoint.start({
    party: { ods, partyKey: entry.partyKey, asid: entry.asid },
    identity,
    seen: new InMemorySeenMessageIds(),
    directory: spine.directory,
    onMessage: async ({ message }) => {
      received.push({ message, hl7: readHl7(message.payload ?? '') });
    },
  });
  const registered = await spine.registerEndpoint(ods, inbound.url);
  if (registered.kind !== 'registered') throw new Error(`${ods}'s endpoint was refused: ${registered.kind}`);
  const agent = spineAgent(identity);
  const outbound = new MhsOutboundClient({ spineUrl: spine.urls.mhs, agent, fromPartyKey: entry.partyKey });
  return {
    entry,
    received,
    /** Sends a message to another practice through Spine; resolves with Spine's transport answer. */
    send(m: {
      to: string;
      interactionId: string;
      conversationId: string;
      payload: string;
      messageId?: string;
      attachments?: readonly OutboundAttachment[];
      externalAttachments?: readonly ExternalAttachment[];
    }): Promise<SendOutcome> {
      const to = spine.directory.odsSync(m.to) as PracticeDirectoryEntry;
      return outbound.send({
        toPartyKey: to.partyKey,
        interactionId: m.interactionId,
        conversationId: m.conversationId,
        payload: m.payload,
        ...(m.messageId ? { messageId: m.messageId } : {}),
        ...(m.attachments ? { attachments: m.attachments } : {}),
        ...(m.externalAttachments ? { externalAttachments: m.externalAttachments } : {}),
        reliability: { persistDurationSeconds: 60, retries: 0, retryIntervalSeconds: 1 },
      });
    },
    /** Messages received of one interaction. */
    of(interactionId: string): ScriptedDelivery[] {
      return received.filter((r) => r.message.header.action === interactionId);
    },
    async stop(): Promise<void> {
      await inbound.close();
      agent.destroy();
    },
  };
}

/** A scripted practice, as {@link scriptedPractice} returns it. */
export type ScriptedPractice = Awaited<ReturnType<typeof scriptedPractice>>;
