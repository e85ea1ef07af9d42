import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildEhrRequest } from '../../hl7/index.ts';
import type { OutboundMessage } from '../mhs/mhs-outbound.ts';
import type { PracticeDirectoryEntry } from '../sds/sds-types.ts';

/** A fresh temporary folder and its removal, for one test file's data. */
export function tempDir(prefix = 'gp2gp-spine-'): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Fast reliability for tests: many quick retries inside a few seconds. */
export const FAST_RELIABILITY = {
  persistDurationSeconds: 20,
  retries: 40,
  retryIntervalSeconds: 0.05,
} as const;

/** An EHR request from one practice to another, ready for {@link MhsOutboundClient.send}. */
export function ehrRequestMessage(
  from: PracticeDirectoryEntry,
  to: PracticeDirectoryEntry,
  nhsNumber = '9990000018',
  overrides: Partial<OutboundMessage> = {},
): OutboundMessage {
  const messageId = overrides.messageId ?? crypto.randomUUID().toUpperCase();
  const payload = buildEhrRequest({
    messageId,
    creationTime: new Date(),
    requestId: crypto.randomUUID().toUpperCase(),
    nhsNumber,
    requestingPractice: { asid: from.asid, ods: from.ods },
    sendingPractice: { asid: to.asid, ods: to.ods },
  });
  return {
    toPartyKey: to.partyKey,
    interactionId: 'RCMR_IN010000UK05',
    conversationId: crypto.randomUUID().toUpperCase(),
    messageId,
    payload,
    reliability: FAST_RELIABILITY,
    ...overrides,
  };
}
