import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { REPO_ROOT, SHARED_MISSING, sharedFiles, sharedPath } from '../common/testing/shared-corpus.ts';
import { buildEbxmlMessage } from '../ebxml/index.ts';
import { buildEhrRequest } from '../hl7/index.ts';
import { MAX_INPUT_BYTES } from './input-file.ts';
import { summarizeMessage } from './message-summary.ts';

const GP2GP = join(REPO_ROOT, 'bin', 'gp2gp');
const corpus = sharedPath('corpus');
const skipCorpus = corpus ? false : SHARED_MISSING;
const read = (rel: string): Buffer => readFileSync(join(corpus ?? '', rel));

function inspect(file: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(GP2GP, ['inspect', file], { encoding: 'utf8', timeout: 20_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('inspect on the shared corpus', { skip: skipCorpus }, () => {
  test('every corpus message is read and printed as one JSON object with its interaction id', () => {
    const files = [...sharedFiles('corpus/messages'), ...sharedFiles('corpus/large-message-example-1')];
    assert.ok(files.length >= 15);
    for (const f of files) {
      const s = summarizeMessage(readFileSync(f));
      assert.match(
        s.interactionId,
        /^(RCMR_IN010000UK05|RCMR_IN030000UK06|COPC_IN000001UK01|MCCI_IN010000UK13)$/,
        f,
      );
      assert.ok(s.messageId, f);
    }
  });

  test('the EMIS EHR request over ebXML: ids, ASIDs, ODS codes and NHS number', () => {
    const s = summarizeMessage(read('messages/RCMR_IN010000UK05-ebxml-mime.txt'));
    assert.equal(s.form, 'mime');
    assert.equal(s.interactionId, 'RCMR_IN010000UK05');
    assert.equal(s.messageId, 'DFF5321C-C6EA-468E-BBC2-B0E48000E071');
    assert.equal(s.conversationId, 'DFF5321C-C6EA-468E-BBC2-B0E48000E071');
    assert.deepEqual(s.sender, { asid: '200000000205', ods: 'N82668', partyId: 'N82668-820670' });
    assert.deepEqual(s.receiver, { asid: '200000001161', ods: 'B86041', partyId: 'B86041-822103' });
    assert.equal(s.nhsNumber, '9692294935');
    assert.deepEqual(s.attachments, []);
    assert.equal(s.ack, null);
  });

  test('the bare EHR request has no conversation id', () => {
    const s = summarizeMessage(read('messages/RCMR_IN010000UK05.xml'));
    assert.equal(s.conversationId, null);
    assert.equal(s.nhsNumber, '9692294935');
  });

  test("TPP's AR acknowledgement carries reason 18 and its text", () => {
    const s = summarizeMessage(read('messages/MCCI_IN010000UK13-tpp-error-18.xml'));
    assert.deepEqual(s.ack, {
      typeCode: 'AR',
      reasonCode: '18',
      reasonText: 'Request message not well-formed or not able to be processed',
    });
    assert.equal(s.sender.asid, '200000000149');
    assert.equal(s.receiver.asid, '200000001161');
  });

  test('the large-message extract: attachments described in the manifest, statements counted', () => {
    const s = summarizeMessage(
      read('large-message-example-1/RCMR_IN030000UK06_6E242658-3D8E-11E3-A7DC-172BDA00FA67.ebxml'),
    );
    assert.equal(s.interactionId, 'RCMR_IN030000UK06');
    assert.equal(s.conversationId, '6E242658-3D8E-41E3-A7DC-172BDA00FA67');
    assert.equal(s.nhsNumber, '9446363101');
    assert.deepEqual(s.sender, { asid: '715373337545', ods: 'B83002', partyId: 'RHM-801710' });
    assert.deepEqual(s.counts, { ehrComposition: 1, CompoundStatement: 2, NarrativeStatement: 4 });
    assert.equal(s.attachments.length, 4);
    assert.deepEqual(s.attachments[0], {
      filename: '1C135B3C-5AA5-4BF1-A08B-E6002455B806_image.tif',
      contentType: 'image/tiff',
      compressed: true,
      largeAttachment: false,
      originalBase64: true,
      length: null,
      href: 'mid:435B1171-31F6-4EF2-AD7F-C7E64EEFF357',
    });
    assert.equal(s.attachments[1]?.href, 'cid:17C993E0-0302-4C3C-9608-7E4862193784');
    assert.equal(s.attachments[1]?.compressed, false);
  });

  test('the fragment index lists its fragments as mid: attachments', () => {
    const s = summarizeMessage(
      read(
        'large-message-example-1/COPC_IN000001UK01_5548EA64-3D95-11E3-B6AE-DF63BC51A0F2_FragmentIndex.ebxml',
      ),
    );
    assert.deepEqual(
      s.attachments.map((a) => [a.filename, a.href]),
      [
        [
          'E39E79A2-FA96-48FF-9373-7BBCB9D036E7_0.messageattachment',
          'mid:77128B31-4245-4AFC-8DA2-8A40623A5101',
        ],
        [
          'E39E79A2-FA96-48FF-9373-7BBCB9D036E7_1.messageattachment',
          'mid:24AED038-FF3E-466D-820A-AE1B334D68EE',
        ],
      ],
    );
    assert.deepEqual([s.sender.ods, s.receiver.ods], ['B83002', 'C81007']);
  });

  test('the Vision continue, whose MIME parts have no blank line after their headers', () => {
    const s = summarizeMessage(read('messages/COPC_IN000001UK01-continue-ebxml-mime.txt'));
    assert.equal(s.interactionId, 'COPC_IN000001UK01');
    assert.equal(s.conversationId, 'C9EF6B94-4C18-458D-8881-ADEB18C12D91');
    assert.deepEqual([s.sender.ods, s.receiver.ods], ['A28009', 'C88653']);
    assert.ok(s.warnings.some((w) => /blank line/.test(w)));
  });

  test('a bare SOAP envelope takes its interaction from the ebXML Action', () => {
    const s = summarizeMessage(read('messages/ebxml-header-ehr-extract.xml'));
    assert.equal(s.form, 'soap');
    assert.equal(s.interactionId, 'RCMR_IN030000UK06');
    assert.equal(s.messageId, '31FA3430-6E88-11EA-9384-E83935108FD5');
  });

  test("supplier extracts (PWTP) and the NHS sending adaptor's extracts are counted by statement kind", () => {
    const files = [
      ...sharedFiles('corpus/ehr-extract', /\.xml$/),
      ...sharedFiles('corpus/gpc-structured-expected-hl7', /^\d.*\.xml$/),
    ];
    assert.ok(files.length >= 11);
    for (const f of files) {
      const s = summarizeMessage(readFileSync(f));
      assert.equal(s.interactionId, 'RCMR_IN030000UK06', f);
      assert.ok(s.nhsNumber, f);
      // PWTP files carry the literal 'Test Harness' as the NHS number: read as written, with a warning.
      if (!/^\d{10}$/.test(s.nhsNumber ?? ''))
        assert.ok(
          s.warnings.some((w) => /modulus 11/.test(w)),
          f,
        );
      assert.ok((s.counts?.ehrComposition ?? 0) > 0, f);
    }
  });

  test('the one corpus file that is not well-formed XML (mismatched tags) is refused with a clear error', () => {
    const r = inspect(join(corpus!, 'gpc-structured-expected-hl7/gpc-access-structured.xml'));
    assert.equal(r.status, 2);
    assert.match(r.stderr, /^gp2gp inspect: malformed XML: unexpected close tag\.\n$/);
  });

  test('bin/gp2gp inspect prints JSON and exits 0 on a corpus file', () => {
    const r = inspect(join(corpus!, 'messages/RCMR_IN010000UK05-ebxml-mime.txt'));
    assert.equal(r.status, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).nhsNumber, '9692294935');
  });
});

describe('inspect on bad and hostile input: one-line error, exit 2', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gp2gp-inspect-'));
  const request = `<RCMR_IN010000UK05 xmlns="urn:hl7-org:v3"><id root="A"/></RCMR_IN010000UK05>`;
  const good = buildEbxmlMessage({
    header: {
      fromPartyId: 'A99901-000001',
      toPartyId: 'B99902-000002',
      cpaId: 'S1',
      conversationId: 'C',
      service: 'urn:nhs:names:services:gp2gp',
      action: 'RCMR_IN010000UK05',
      messageId: 'M',
      timestamp: '2026-01-01T00:00:00Z',
      duplicateElimination: true,
      ackRequested: true,
    },
    payload: request,
  });
  const http = (contentType: string, body: Buffer, length = body.length): Buffer =>
    Buffer.concat([
      Buffer.from(
        `POST /reliablemessaging/forwardreliable HTTP/1.1\r\nContent-Type: ${contentType}\r\nContent-Length: ${length}\r\n\r\n`,
      ),
      body,
    ]);
  const cases: Record<string, Buffer | string> = {
    'truncated MIME': http(good.contentType, good.body.subarray(0, good.body.length - 60)),
    'wrong boundary': http('multipart/related; boundary="not-the-boundary"; type="text/xml"', good.body),
    'billion laughs': `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">]><RCMR_IN010000UK05>&lol2;</RCMR_IN010000UK05>`,
    'external entity': `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><RCMR_IN010000UK05>&xxe;</RCMR_IN010000UK05>`,
    '1 GB claimed Content-Length': http(good.contentType, good.body, 1024 * 1024 * 1024),
    'non-UTF-8 bytes': Buffer.concat([
      Buffer.from('<RCMR_IN010000UK05 xmlns="urn:hl7-org:v3"><id root="'),
      Buffer.from([0xff, 0xfe, 0xe9]),
      Buffer.from('"/></RCMR_IN010000UK05>'),
    ]),
    'truncated XML': request.slice(0, 40),
    'not a message at all': 'hello, this is plain text',
    'empty file': '',
    'request missing its NHS number': `<RCMR_IN010000UK05 xmlns="urn:hl7-org:v3"><id root="A"/><interactionId extension="RCMR_IN010000UK05"/><ControlActEvent><subject><EhrRequest><id root="R"/></EhrRequest></subject></ControlActEvent></RCMR_IN010000UK05>`,
    'deeply nested XML': `${'<a>'.repeat(5000)}${'</a>'.repeat(5000)}`,
  };
  for (const [name, content] of Object.entries(cases)) {
    test(`${name}: exit 2 with a one-line error`, () => {
      const file = join(dir, `${name.replace(/\W+/g, '-')}.msg`);
      writeFileSync(file, content);
      const r = inspect(file);
      assert.equal(r.status, 2, `stdout: ${r.stdout} stderr: ${r.stderr}`);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, /^gp2gp inspect: \S.*\n$/);
    });
  }

  test('a missing file: exit 2 with a one-line error', () => {
    const r = inspect(join(dir, 'does-not-exist.xml'));
    assert.equal(r.status, 2);
    assert.match(r.stderr, /^gp2gp inspect: cannot read .*ENOENT\n$/);
  });
});

describe('inspect on files of other shapes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gp2gp-inspect-shapes-'));
  const request = buildEhrRequest({
    messageId: '0F000000-0000-4000-8000-000000000001',
    creationTime: new Date('2026-01-01T00:00:00Z'),
    requestId: '0F000000-0000-4000-8000-000000000002',
    nhsNumber: '9990000018',
    requestingPractice: { asid: '200000000202', ods: 'B99902' },
    sendingPractice: { asid: '200000000101', ods: 'A99901' },
  }).replace(/^<\?xml[^>]*\?>/, '');
  const utf16le = Buffer.from(`\uFEFF<?xml version="1.0" encoding="UTF-16"?>${request}`, 'utf16le');
  const file = (name: string, content: Buffer | string): string => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };
  const readsTheRequest = (path: string): void => {
    const r = inspect(path);
    assert.equal(r.status, 0, r.stderr);
    const summary = JSON.parse(r.stdout) as { interactionId: string; nhsNumber: string };
    assert.equal(summary.interactionId, 'RCMR_IN010000UK05');
    assert.equal(summary.nhsNumber, '9990000018');
  };

  test('a UTF-16 file with a byte order mark, little- or big-endian, is read', () => {
    readsTheRequest(file('utf16le.xml', utf16le));
    readsTheRequest(file('utf16be.xml', Buffer.from(utf16le).swap16()));
  });

  test('a message behind more whitespace than the first 64 KB is read, not called empty', () => {
    readsTheRequest(file('padded.xml', `${' \r\n'.repeat(1_000_000)}${request}`));
  });

  test('a bare HL7 message behind HTTP headers is read', () => {
    readsTheRequest(
      file(
        'http.txt',
        `POST /reliablemessaging/intermediary HTTP/1.1\r\nContent-Type: text/xml\r\n\r\n${request}`,
      ),
    );
  });

  test('a file of only whitespace is empty: exit 2 with one line saying so', () => {
    const r = inspect(file('blank.xml', ' \n'.repeat(1_000_000)));
    assert.equal(r.status, 2);
    assert.match(r.stderr, /^gp2gp inspect: .*blank\.xml is empty \(no content, or only whitespace\)\n$/);
  });

  test('a file over the input limit is refused by its size, before it is read', () => {
    const huge = file('huge.xml', '');
    truncateSync(huge, MAX_INPUT_BYTES + 1); // sparse: no disk or memory is spent on it
    const r = inspect(huge);
    assert.equal(r.status, 2);
    assert.match(
      r.stderr,
      /^gp2gp inspect: .*huge\.xml is 536870913 bytes, over the 536870912-byte input limit\n$/,
    );
  });
});
