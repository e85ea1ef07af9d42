import { readTransmission } from '../../hl7/index.ts';
import { parseXml } from '../../xml/index.ts';

/** Who an HL7 payload says it is from and to, from its transmission wrapper. */
export interface Hl7Addressing {
  readonly messageId: string;
  readonly interactionId: string;
  readonly senderAsid?: string;
  readonly receiverAsid?: string;
}

/**
 * Reads the transmission wrapper of an HL7 payload, leaving ControlActEvent (the clinical content, which can
 * be megabytes) out of the tree. Undefined where the payload is not XML.
 */
export function readHl7Addressing(payload: string): Hl7Addressing | undefined {
  try {
    const { root } = parseXml(payload, {
      prune: (local, depth) => depth === 1 && local === 'ControlActEvent',
    });
    const t = readTransmission(root, []);
    return {
      messageId: t.messageId,
      interactionId: t.interactionId,
      ...(t.senderAsid ? { senderAsid: t.senderAsid } : {}),
      ...(t.receiverAsid ? { receiverAsid: t.receiverAsid } : {}),
    };
  } catch {
    return undefined;
  }
}
