import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { test } from 'node:test';
import { binaryContentStream } from './binary-content-stream.ts';

/** Runs `json` through the decoder in chunks of `size` bytes. */
function decode(json: string, size = 7): Promise<Buffer> {
  const bytes = Buffer.from(json, 'utf8');
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
  return buffer(Readable.from(chunks).pipe(binaryContentStream()));
}

function binary(content: string, extra = ''): string {
  return `{"resourceType":"Binary","id":"d1","meta":{"versionId":"1"},"contentType":"application/pdf"${extra},"content":"${content}"}`;
}

test('a Binary resource gives back exactly the bytes its base64 content holds, however it is chunked', async () => {
  for (const length of [0, 1, 2, 3, 4, 5, 1000, 65_537]) {
    const bytes = randomBytes(length);
    for (const size of [1, 3, 1024]) {
      const out = await decode(binary(bytes.toString('base64')), size);
      assert.ok(out.equals(bytes), `${length} bytes in chunks of ${size}`);
    }
  }
});

test('keys come in any order, nested content keys are not the document, and escaped slashes are decoded', async () => {
  const bytes = Buffer.from([0xff, 0xef, 0xfe, 0x3f, 0xbf, 0xff]); // base64 with slashes: "/+/+P7//"
  const b64 = bytes.toString('base64').replaceAll('/', '\\/');
  const json = `{ "content" : "${b64}", "meta": {"content": "bm90IGl0", "tag": [{"content": "x"}]}, "resourceType": "Binary" }`;
  assert.ok((await decode(json, 2)).equals(bytes));
});

test('base64 wrapped with escaped line breaks still decodes', async () => {
  const bytes = randomBytes(200);
  const wrapped = (bytes.toString('base64').match(/.{1,76}/g) ?? []).join('\\r\\n');
  assert.ok((await decode(binary(wrapped), 5)).equals(bytes));
});

test('an answer that is not a Binary fails the stream', async () => {
  await assert.rejects(
    decode('{"resourceType":"OperationOutcome","content":"AAAA"}'),
    /OperationOutcome, not a Binary/,
  );
  await assert.rejects(decode('[1,2,3]'), /not a JSON object/);
});

test('a Binary without content, with content that is not base64, or cut short fails the stream', async () => {
  await assert.rejects(decode('{"resourceType":"Binary","contentType":"text/plain"}'), /no content/);
  await assert.rejects(decode(binary('AAA*AAAA')), /not base64/);
  await assert.rejects(decode(binary('AA==AAAA')), /not base64/);
  await assert.rejects(decode(binary('A')), /not base64/);
  await assert.rejects(decode(binary('\\u0041AAA')), /not base64/);
  const whole = binary(randomBytes(300).toString('base64'));
  await assert.rejects(decode(whole.slice(0, 200)), /ends early/);
  await assert.rejects(decode(`${whole} {}`), /text after/);
});
