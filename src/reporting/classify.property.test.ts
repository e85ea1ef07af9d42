import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import type { SpineLogEntry } from '../spine/simulator/spine-message-log.ts';
import { classifyTexts } from './testing/classify-text.ts';
import { spineLogCsv, TransferScript } from './testing/transfer-script.ts';
import { transfersJson } from './transfer-json.ts';

const MIN = 60_000;
const DAY = 86_400_000;
const BASE = Date.UTC(2024, 2, 1);

const code = fc.constantFrom(undefined, 6, 11, 12, 15, 19, 25, 29, 30, 99);
/** Offsets from the request: anywhere in 20 days, with a bias to instants shared with other rows. */
const at = fc.oneof(fc.integer({ min: 0, max: 20 * DAY }), fc.constantFrom(0, MIN, DAY, 8 * DAY, 14 * DAY));

type Step =
  | { k: 'requestAck'; at: number; code: number | undefined }
  | { k: 'extract' | 'continue' | 'fragment'; at: number }
  | { k: 'extractAck' | 'fragmentAck'; at: number; target: number; code: number | undefined }
  | { k: 'resend'; at: number; target: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ k: fc.constant('requestAck' as const), at, code }),
  fc.record({ k: fc.constantFrom('extract' as const, 'continue' as const, 'fragment' as const), at }),
  fc.record({
    k: fc.constantFrom('extractAck' as const, 'fragmentAck' as const),
    at,
    target: fc.nat(),
    code,
  }),
  fc.record({ k: fc.constant('resend' as const), at, target: fc.nat() }),
);

interface Plan {
  readonly start: number;
  readonly withRequest: boolean;
  readonly steps: readonly Step[];
}

const plan: fc.Arbitrary<Plan> = fc.record({
  start: fc.integer({ min: 0, max: 60 * DAY }),
  withRequest: fc.oneof(
    { weight: 9, arbitrary: fc.constant(true) },
    { weight: 1, arbitrary: fc.constant(false) },
  ),
  steps: fc.array(step, { maxLength: 8 }),
});

/** Plays a plan into the Spine log rows of one conversation. */
function play(id: string, p: Plan): TransferScript {
  const s = new TransferScript(id, BASE + p.start);
  if (p.withRequest) s.request(0);
  const extracts: string[] = [];
  const fragments: string[] = [];
  const pick = (list: string[], n: number) => list[n % list.length];
  for (const step of p.steps) {
    switch (step.k) {
      case 'requestAck':
        s.requestAck(step.at, step.code);
        break;
      case 'extract':
        extracts.push(s.extract(step.at));
        break;
      case 'continue':
        s.copcContinue(step.at);
        break;
      case 'fragment':
        fragments.push(s.copcFragment(step.at));
        break;
      case 'resend': {
        const guid = pick(extracts, step.target);
        if (guid) s.extract(step.at, guid);
        break;
      }
      case 'extractAck': {
        const guid = pick(extracts, step.target);
        if (guid) s.extractAck(guid, step.at, step.code);
        break;
      }
      case 'fragmentAck': {
        const guid = pick(fragments, step.target);
        if (guid) s.fragmentAck(guid, step.at, step.code);
        break;
      }
    }
  }
  return s;
}

const output = (texts: string[], cutoffDays: number): string =>
  [...transfersJson(classifyTexts(texts, { cutoffDays }))].join('');

const logs = fc.array(plan, { minLength: 1, maxLength: 6 });
const cutoff = fc.constantFrom(0, 1, 8, 14);

describe('classification properties', () => {
  test('row order and how rows are split over files do not change the result', () => {
    fc.assert(
      fc.property(
        logs,
        cutoff,
        fc.infiniteStream(fc.double({ min: 0, max: 1, noNaN: true })),
        (plans, days, rnd) => {
          const rows = plans.flatMap((p, i) => play(`C${i}`, p).entries);
          const expected = output([spineLogCsv(rows)], days);
          const keys = rows.map(() => rnd.next().value);
          const shuffled = rows.map((r, i) => [keys[i]!, r] as const).sort((a, b) => a[0] - b[0]);
          const cut = Math.floor(shuffled.length / 2);
          const files = [shuffled.slice(0, cut), shuffled.slice(cut)].map((part) =>
            spineLogCsv(part.map(([, r]) => r)),
          );
          assert.equal(output(files, days), expected);
        },
      ),
      { numRuns: 200 },
    );
  });

  test('rows logged after the cutoff do not change the result', () => {
    const lateRow = fc.record({
      kind: fc.constantFrom('ack', 'resend', 'extract', 'copc'),
      pick: fc.nat(),
      code,
      at: fc.integer({ min: 1, max: 10 * DAY }),
    });
    fc.assert(
      fc.property(
        logs,
        fc.constantFrom(1, 8, 14),
        fc.array(fc.array(lateRow, { maxLength: 5 })),
        (plans, days, late) => {
          const conversations = plans.map((p, i) => play(`C${i}`, p).entries);
          const rows = conversations.flat();
          const before = output([spineLogCsv(rows)], days);
          const extra: SpineLogEntry[] = [];
          conversations.forEach((entries, i) => {
            if (entries.length === 0) return;
            const first = Math.min(...entries.map((e) => e.time.getTime()));
            (late[i] ?? []).forEach((r, n) => {
              // late rows name the conversation's real messages, so they would matter if they were read
              const target = entries[r.pick % entries.length]!;
              const time = new Date(first + days * DAY + r.at);
              const guid = `${target.conversationId}-late-${n}`;
              const service = 'urn:nhs:names:services:gp2gp';
              if (r.kind === 'ack')
                extra.push({
                  ...target,
                  time,
                  guid,
                  interactionId: `${service}/MCCI_IN010000UK13`,
                  messageSender: target.messageRecipient,
                  messageRecipient: target.messageSender,
                  messageRef: target.guid,
                  ...(r.code === undefined ? {} : { jdiEvent: String(r.code) }),
                });
              else if (r.kind === 'resend') extra.push({ ...target, time });
              else
                extra.push({
                  ...target,
                  time,
                  guid,
                  interactionId: `${service}/${r.kind === 'extract' ? 'RCMR_IN030000UK06' : 'COPC_IN000001UK01'}`,
                });
            });
          });
          assert.equal(output([spineLogCsv([...extra, ...rows])], days), before);
        },
      ),
      { numRuns: 200 },
    );
  });
});
