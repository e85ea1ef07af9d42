import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { assessAssembly } from './assess.ts';
import type { ReceivedPartSummary, ReceivedReference } from './received-summary.ts';

const SHA = (s: string): string => Buffer.from(s).toString('hex').padEnd(64, '0').slice(0, 64);

function ref(href: string, extra: Partial<ReceivedReference> = {}): ReceivedReference {
  const [scheme, target] = href.split(':') as ['cid' | 'mid', string];
  return { href, scheme, target, ...extra };
}

function message(
  role: 'core' | 'copc',
  messageId: string,
  references: ReceivedReference[],
  partIds: string[] = [],
  extra: Partial<ReceivedPartSummary> = {},
): ReceivedPartSummary {
  return {
    messageId,
    conversationId: 'CONV',
    interactionId: role === 'core' ? 'RCMR_IN030000UK06' : 'COPC_IN000001UK01',
    role,
    references,
    parts: partIds.map((id) => ({ contentId: id, storedId: SHA(id), bytes: id.length })),
    ...(role === 'copc'
      ? { copc: { kind: 'attachment' as const, subject: 'Attachment', references: [] } }
      : {}),
    problems: [],
    warnings: [],
    ...extra,
  };
}

const described = (filename: string) => ({ description: { filename, contentType: 'text/plain' } });

/** A core with an inline letter, a document in a COPC, and a book in two fragments behind an index. */
function conversation() {
  const core = message(
    'core',
    'CORE',
    [
      ref('cid:letter@x', { ebId: 'D1', ...described('letter.txt') }),
      ref('mid:DOC', { ebId: 'D2', ...described('scan.tif') }),
      ref('mid:INDEX', { ebId: 'D3', ...described('book.txt') }),
    ],
    ['letter@x'],
  );
  const doc = message('copc', 'DOC', [ref('cid:doc-part')], ['doc-part']);
  const index = message('copc', 'INDEX', [ref('mid:F0'), ref('mid:F1')]);
  const f0 = message('copc', 'F0', [ref('cid:f0-part')], ['f0-part']);
  const f1 = message('copc', 'F1', [ref('cid:f1-part')], ['f1-part']);
  return { core, doc, index, f0, f1 };
}

describe('assessAssembly', () => {
  test('a core message whose documents are all inline is complete at once', () => {
    const core = message('core', 'CORE', [ref('cid:a@x', described('a.txt'))], ['a@x']);
    const a = assessAssembly(core, []);
    assert.equal(a.kind, 'complete');
    if (a.kind !== 'complete') return;
    assert.deepEqual(
      a.documents.map((d) => [d.filename, d.route, d.pieces]),
      [['a.txt', 'inline', [{ storedId: SHA('a@x'), bytes: 3, messageId: 'CORE' }]]],
    );
    assert.deepEqual(a.extract, { kind: 'payload' });
    assert.equal(a.expectedCopcCount, 0);
  });

  test('with no COPC yet it waits for each mid: the core names', () => {
    const { core } = conversation();
    assert.deepEqual(assessAssembly(core, []), {
      kind: 'waiting',
      missingMessageIds: ['DOC', 'INDEX'],
      expectedCopcCount: 2,
    });
  });

  test('an index arriving after its fragments: waiting for the index only, then complete in index order', () => {
    const { core, doc, index, f0, f1 } = conversation();
    assert.deepEqual(assessAssembly(core, [f1, f0, doc]), {
      kind: 'waiting',
      missingMessageIds: ['INDEX'],
      expectedCopcCount: 2,
    });
    const a = assessAssembly(core, [f1, f0, doc, index]);
    assert.equal(a.kind, 'complete');
    if (a.kind !== 'complete') return;
    const book = a.documents.find((d) => d.filename === 'book.txt')!;
    assert.equal(book.route, 'fragments');
    assert.deepEqual(
      book.pieces.map((p) => p.messageId),
      ['F0', 'F1'],
    );
    assert.equal(a.expectedCopcCount, 4);
    assert.deepEqual(a.unusedMessageIds, []);
  });

  test('the index known, it waits for the fragments still missing and counts them', () => {
    const { core, doc, index, f1 } = conversation();
    assert.deepEqual(assessAssembly(core, [index, f1, doc]), {
      kind: 'waiting',
      missingMessageIds: ['F0'],
      expectedCopcCount: 4,
    });
  });

  test('ids match whatever their case, and duplicates change nothing', () => {
    const { core, doc, index, f0, f1 } = conversation();
    const lower = { ...index, messageId: 'index', references: [ref('mid:f0'), ref('mid:F1')] };
    const a = assessAssembly(core, [f0, f0, doc, lower, f1, doc]);
    assert.equal(a.kind, 'complete');
  });

  test('a cid: the core does not carry is looked for as a COPC, and a mid: naming an inline part is taken from it', () => {
    const core = message(
      'core',
      'CORE',
      [ref('cid:DOC', described('a')), ref('mid:b@x', described('b'))],
      ['b@x'],
    );
    const doc = message('copc', 'DOC', [], ['part']);
    const a = assessAssembly(core, [doc]);
    assert.equal(a.kind, 'complete');
    if (a.kind !== 'complete') return;
    assert.deepEqual(
      a.documents.map((d) => d.route),
      ['copc', 'inline'],
    );
    assert.deepEqual(assessAssembly(core, []), {
      kind: 'waiting',
      missingMessageIds: ['DOC'],
      expectedCopcCount: 1,
    });
  });

  test("a skeleton's gzipped extract is the extract, not a document, with its document id", () => {
    const core = message(
      'core',
      'CORE',
      [
        ref('cid:gz@x', {
          ebId: '_E1',
          description: { filename: 'e.gz', domainData: 'X-GP2GP-Skeleton: Yes' },
        }),
      ],
      ['gz@x'],
    );
    const a = assessAssembly(core, []);
    assert.equal(a.kind, 'complete');
    if (a.kind !== 'complete') return;
    assert.deepEqual(a.documents, []);
    assert.equal(a.extract.kind, 'skeleton');
    assert.equal(a.extract.kind === 'skeleton' && a.extract.skeletonDocumentId, 'E1');
  });

  test('COPCs nothing refers to are reported, Continues are not', () => {
    const { core, doc, index, f0, f1 } = conversation();
    const stray = message('copc', 'STRAY', [], ['s']);
    const cont = message('copc', 'CONT', [], [], {
      copc: { kind: 'continue', subject: 'Continue', references: [] },
    });
    const a = assessAssembly(core, [doc, index, f0, f1, stray, cont]);
    assert.equal(a.kind === 'complete' && a.unusedMessageIds.join(), 'STRAY');
  });

  for (const [name, code, change] of [
    [
      'an index that lists a fragment twice',
      '29',
      (c: ReturnType<typeof conversation>) => ({
        ...c,
        index: { ...c.index, references: [ref('mid:F0'), ref('mid:F0')] },
      }),
    ],
    [
      'an index that also carries an attachment',
      '29',
      (c: ReturnType<typeof conversation>) => ({
        ...c,
        index: message('copc', 'INDEX', [ref('mid:F0'), ref('mid:F1')], ['x']),
      }),
    ],
    [
      'a fragment that is itself an index',
      '29',
      (c: ReturnType<typeof conversation>) => ({ ...c, f1: message('copc', 'F1', [ref('mid:F0')]) }),
    ],
    [
      'an index that refers back to the core',
      '29',
      (c: ReturnType<typeof conversation>) => ({
        ...c,
        index: { ...c.index, references: [ref('mid:CORE')] },
      }),
    ],
    [
      'a COPC with no attachment',
      '31',
      (c: ReturnType<typeof conversation>) => ({ ...c, doc: message('copc', 'DOC', []) }),
    ],
    [
      'a COPC whose payload cannot be read',
      '30',
      (c: ReturnType<typeof conversation>) => ({
        ...c,
        doc: { ...c.doc, problems: ['COPC payload cannot be read: malformed XML'] },
      }),
    ],
    [
      'a mid: naming an extract, not a COPC',
      '30',
      (c: ReturnType<typeof conversation>) => ({
        ...c,
        doc: { ...c.doc, role: 'core' as const, interactionId: 'RCMR_IN030000UK06' },
      }),
    ],
  ] as const) {
    test(`${name} fails with ${code}`, () => {
      const c = change(conversation());
      const a = assessAssembly(c.core, [c.doc, c.index, c.f0, c.f1]);
      assert.equal(a.kind, 'failed');
      assert.equal(a.kind === 'failed' && a.reasonCode, code, JSON.stringify(a));
    });
  }

  test('a reference that is neither cid: nor mid: fails with 30', () => {
    const core = message('core', 'CORE', [{ href: 'http://x/y', scheme: 'other', target: 'http://x/y' }]);
    assert.equal((assessAssembly(core, []) as { reasonCode: string }).reasonCode, '30');
  });

  test('with several failures the most specific code leads: 29 before 31 before 30', () => {
    const c = conversation();
    const a = assessAssembly(c.core, [
      message('copc', 'DOC', []),
      { ...c.index, references: [ref('mid:F0'), ref('mid:F0')] },
    ]);
    assert.equal(a.kind, 'failed');
    if (a.kind !== 'failed') return;
    assert.equal(a.reasonCode, '29');
    assert.deepEqual(a.failures.map((f) => f.reasonCode).sort(), ['29', '31']);
  });

  test('the outcome does not depend on the order or repetition of COPCs (property)', () => {
    const { core, doc, index, f0, f1 } = conversation();
    const all = [doc, index, f0, f1];
    const expected = assessAssembly(core, all);
    fc.assert(
      fc.property(
        fc.shuffledSubarray(all, { minLength: 4, maxLength: 4 }),
        fc.array(fc.constantFrom(...all), { maxLength: 4 }),
        (order, repeats) => {
          assert.deepEqual(assessAssembly(core, [...order, ...repeats]), expected);
        },
      ),
    );
  });

  test('a message that is not an extract cannot be the core (30)', () => {
    const { doc } = conversation();
    assert.equal((assessAssembly(doc, []) as { reasonCode: string }).reasonCode, '30');
  });
});
