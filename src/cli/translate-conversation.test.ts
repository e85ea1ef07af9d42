import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { REPO_ROOT, SHARED_MISSING, sharedFiles } from '../common/testing/shared-corpus.ts';
import { buildEbxmlMessage, parseEbxmlMessage } from '../ebxml/index.ts';
import { translateBundleToExtract } from '../record/to-hl7/index.ts';
import { syntheticBundle } from '../record/to-hl7/testing/synthetic-bundle.ts';
import { TEST_ADDRESS } from '../record/to-hl7/testing/test-address.ts';
import type { OutgoingDocument } from '../transfer/large-message/index.ts';
import { prepareOutgoingTransfer } from '../transfer/large-message/index.ts';
import { buildAll, testContext } from '../transfer/large-message/testing/conversation.ts';
import { sequentialIds } from '../transfer/large-message/testing/ids.ts';
import { MemoryDocumentStore } from '../transfer/large-message/testing/memory-document-store.ts';
import { safeName } from './translate-conversation.ts';

const GP2GP = join(REPO_ROOT, 'bin', 'gp2gp');
const root = mkdtempSync(join(tmpdir(), 'gp2gp-conversation-test-'));
const corpus = sharedFiles('corpus/large-message-example-1');
const noCorpus = corpus.length === 7 ? false : SHARED_MISSING;
const extractXml = translateBundleToExtract(syntheticBundle(), { addressing: TEST_ADDRESS }).xml;

function gp2gp(...args: string[]) {
  const r = spawnSync(GP2GP, args, { encoding: 'utf8', timeout: 60_000, maxBuffer: 64 * 1024 * 1024 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function folder(name: string): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** A conversation made by the sending side: a skeleton extract in fragments and three documents, one in fragments. */
async function sentConversation(name: string) {
  const sender = new MemoryDocumentStore();
  const originals = new Map<string, Buffer>([
    ['D1_letter.txt', Buffer.from('Dear Dr Patel, thank you for seeing this patient.\n')],
    [
      'D2_scan.tif',
      Buffer.concat([
        Buffer.from('II*\0'),
        Buffer.from(Array.from({ length: 9_000 }, (_, i) => (i * 31) % 256)),
      ]),
    ],
    ['D3_photo.jpg', Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3])],
  ]);
  const documents: OutgoingDocument[] = [];
  for (const [filename, bytes] of originals) {
    const put = await sender.put([bytes]);
    if (!put.ok) throw new Error('refused');
    documents.push({
      documentId: filename.slice(0, 2),
      filename,
      contentType: 'application/octet-stream',
      storedId: put.document.id,
      bytes: bytes.length,
    });
  }
  const plan = await prepareOutgoingTransfer(
    {
      extractXml,
      extractMessageId: '0A000000-0000-4000-8000-00000000C0DE',
      documents,
      policy: {
        maxExtractInlineBytes: 2_000,
        maxAttachmentInlineBytes: 100,
        maxCoreMessageBytes: 50_000,
        fragmentBytes: 2_000,
      },
      newId: sequentialIds(),
    },
    sender,
  );
  const dir = folder(name);
  const built = await buildAll(plan, testContext(sender));
  // Named so that sorting by name does not give send order.
  built.forEach((b, i) => {
    const http = `POST /reliablemessaging/forwardreliable HTTP/1.1\r\nContent-Type: ${b.contentType}\r\n\r\n`;
    writeFileSync(
      join(dir, `${(i * 7919) % 1000}-${b.messageId}.msg`),
      Buffer.concat([Buffer.from(http), b.body]),
    );
  });
  return { dir, originals, plan, built };
}

describe('gp2gp translate PATH… --to fhir [--attachments-out DIR]', () => {
  test('the captured conversation (a folder) gives the Bundle of translate FILE and every document whole', {
    skip: noCorpus,
  }, () => {
    const out = join(root, 'capture-out');
    const r = gp2gp('translate', join(corpus[0]!, '..'), '--to', 'fhir', '--attachments-out', out);
    assert.equal(r.status, 0, r.stderr);
    const core = corpus.find((f) => f.includes('RCMR_IN030000UK06'))!;
    assert.equal(r.stdout, gp2gp('translate', core, '--to', 'fhir').stdout);
    assert.match(r.stderr, /reassembled 4 document\(s\) from 7 message\(s\)/);
    const files = readdirSync(out).sort();
    assert.equal(files.length, 4);
    const bytes = (suffix: string) => readFileSync(join(out, files.find((f) => f.endsWith(suffix))!));
    assert.equal(bytes('_image.tif').subarray(0, 4).toString('latin1'), 'II*\0');
    assert.equal(bytes('_sample_mpeg4.mp4').subarray(4, 8).toString('latin1'), 'ftyp');
    assert.match(bytes('_book.txt').toString('utf8'), /^\s*WAR AND PEACE[\s\S]*more than God\.$/);
  });

  test('the captured files given one by one in another order give the same Bundle', {
    skip: noCorpus,
  }, () => {
    const a = gp2gp('translate', ...[...corpus].reverse(), '--to', 'fhir');
    const b = gp2gp('translate', join(corpus[0]!, '..'), '--to', 'fhir');
    assert.equal(a.status, 0, a.stderr);
    assert.equal(a.stdout, b.stdout);
  });

  test('without the second fragment: exit 2, one line naming reason 31 and the missing message', {
    skip: noCorpus,
  }, () => {
    const r = gp2gp('translate', ...corpus.filter((f) => !f.includes('Fragment1')), '--to', 'fhir');
    assert.equal(r.status, 2);
    assert.equal(r.stdout, '');
    assert.match(
      r.stderr,
      /^gp2gp translate: reason 31 \(attachments not received\): .*24AED038-FF3E-466D-820A-AE1B334D68EE\n$/,
    );
  });

  test('a conversation the sending side built: the extract out of its gzipped skeleton, documents byte for byte', async () => {
    const { dir, originals, plan } = await sentConversation('sent');
    assert.equal(plan.skeleton, true);
    assert.ok(plan.copcMessages.some((m) => m.role === 'fragment'));
    const out = join(root, 'sent-out');
    const r = gp2gp('translate', dir, '--to', 'fhir', '--attachments-out', out);
    assert.equal(r.status, 0, r.stderr);
    const bare = join(root, 'extract.xml');
    writeFileSync(bare, extractXml);
    assert.equal(r.stdout, gp2gp('translate', bare, '--to', 'fhir').stdout);
    for (const [filename, bytes] of originals)
      assert.deepEqual(readFileSync(join(out, filename)), bytes, filename);
  });

  test('a fragment index that lists a fragment twice: exit 2 naming reason 29', async () => {
    const { dir, plan, built } = await sentConversation('bad-index');
    const index = plan.copcMessages.find((m) => m.role === 'fragment-index')!;
    const original = parseEbxmlMessage(built.find((b) => b.messageId === index.messageId)!.body);
    const again = index.externalAttachments[0]!;
    const bad = buildEbxmlMessage({
      header: original.header,
      payload: original.payload!,
      externalAttachments: [...index.externalAttachments, again].map((a) => ({
        messageId: a.messageId,
        description: a.description,
      })),
    });
    const file = readdirSync(dir).find((f) => f.endsWith(`${index.messageId}.msg`))!;
    writeFileSync(
      join(dir, file),
      Buffer.concat([Buffer.from(`Content-Type: ${bad.contentType}\r\n\r\n`), bad.body]),
    );
    const r = gp2gp('translate', dir, '--to', 'fhir');
    assert.equal(r.status, 2);
    assert.match(
      r.stderr,
      /^gp2gp translate: reason 29 \(large message reassembly failure\): fragment index .* lists mid:.* twice\n$/,
    );
  });

  test('a fragment whose bytes were altered so the extract no longer inflates: exit 2 naming reason 29', async () => {
    const { dir, plan } = await sentConversation('bad-gzip');
    const fragment = plan.copcMessages.find(
      (m) => m.role === 'fragment' && m.documentId === plan.documents[0]!.documentId,
    )!;
    const file = join(dir, readdirSync(dir).find((f) => f.endsWith(`${fragment.messageId}.msg`))!);
    const text = readFileSync(file, 'latin1');
    const at = text.lastIndexOf('\r\n--') - 40;
    writeFileSync(
      file,
      Buffer.from(text.slice(0, at) + (text[at] === 'A' ? 'B' : 'A') + text.slice(at + 1), 'latin1'),
    );
    const r = gp2gp('translate', dir, '--to', 'fhir');
    assert.equal(r.status, 2);
    assert.match(
      r.stderr,
      /^gp2gp translate: reason 29 \(large message reassembly failure\): extract: .*gzip.*\n$/,
    );
  });

  test('a message whose attachment part is not base64: exit 2 naming reason 30', async () => {
    const { dir, plan } = await sentConversation('bad-part');
    const copc = plan.copcMessages.find((m) => m.role === 'fragment')!;
    const file = join(dir, readdirSync(dir).find((f) => f.endsWith(`${copc.messageId}.msg`))!);
    const text = readFileSync(file, 'latin1');
    const at = text.lastIndexOf('\r\n--') - 10;
    writeFileSync(file, Buffer.from(`${text.slice(0, at)}*${text.slice(at + 1)}`, 'latin1'));
    const r = gp2gp('translate', dir, '--to', 'fhir');
    assert.equal(r.status, 2);
    assert.match(
      r.stderr,
      /^gp2gp translate: reason 30 \(large message general failure\): .*not valid base64.*\n$/,
    );
  });

  test('a conversation asked --to hl7, or with no extract among the files: exit 2 with a one-line error', async () => {
    const { dir, plan } = await sentConversation('no-core');
    assert.match(
      gp2gp('translate', dir, '--to', 'hl7').stderr,
      /^gp2gp translate: a conversation .* --to fhir only\n$/,
    );
    const core = readdirSync(dir).find((f) => f.endsWith(`${plan.core.messageId}.msg`))!;
    const rest = readdirSync(dir)
      .filter((f) => f !== core)
      .map((f) => join(dir, f));
    const r = gp2gp('translate', ...rest, '--to', 'fhir');
    assert.equal(r.status, 2);
    assert.match(r.stderr, /^gp2gp translate: none of the messages is an EHR extract.*\n$/);
  });
});

describe('safeName', () => {
  test('keeps a sender file name inside the output folder', () => {
    assert.equal(safeName('../../etc/passwd'), 'passwd');
    assert.equal(safeName('C:\\docs\\letter.pdf'), 'letter.pdf');
    assert.equal(safeName('..'), 'attachment');
    assert.equal(safeName('a\u0000b?.txt'), 'a_b_.txt');
  });
});
