import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { EbxmlError } from './ebxml-error.ts';
import { base64Lines, buildMultipart, decodeMimePart, parseMultipart, splitMultipart } from './mime.ts';

const B = '--=_MIME-Boundary';

test('a built multipart body parses back to the same parts, binary content intact (property)', () => {
  fc.assert(
    fc.property(
      fc.array(
        fc.record({
          body: fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a)),
          transferEncoding: fc.constantFrom('base64' as const, 'binary' as const),
        }),
        { minLength: 1, maxLength: 5 },
      ),
      (specs) => {
        const parts = specs.map((s, i) => ({
          contentId: `part${i}@test`,
          contentType: 'application/octet-stream',
          ...s,
        }));
        const boundary = 'b-0123456789';
        const { contentType, body } = buildMultipart(parts, boundary);
        assert.match(contentType, /boundary="b-0123456789"/);
        const parsed = parseMultipart(body, boundary);
        assert.equal(parsed.parts.length, parts.length);
        parsed.parts.forEach((p, i) => {
          assert.equal(p.contentId, `part${i}@test`);
          assert.deepEqual(p.body, parts[i]!.body);
        });
      },
    ),
  );
});

test('reads parts whose headers run straight into the content with no blank line, with a warning', () => {
  const body = Buffer.from(`--${B}\r\nContent-Type: text/xml\r\n\t<a/>\r\n--${B}--\r\n`);
  const { parts, warnings } = parseMultipart(body, B);
  assert.equal(parts[0]?.body.toString(), '\t<a/>');
  assert.equal(warnings.length, 1);
});

test('reads LF-only line ends and Content-Id written without a space', () => {
  const body = Buffer.from(`--${B}\nContent-Id:<root@x>\n\n<a/>\n--${B}--\n`);
  assert.equal(parseMultipart(body, B).parts[0]?.contentId, 'root@x');
});

test('refuses a message cut off before its closing boundary', () => {
  const body = Buffer.from(
    `--${B}\r\nContent-Type: text/xml\r\n\r\n<a/>\r\n--${B}\r\nContent-Type: text/plain\r\n\r\nhalf a docu`,
  );
  assert.throws(
    () => parseMultipart(body, B),
    (e: unknown) => e instanceof EbxmlError && /truncated/.test(e.message),
  );
});

test('refuses a body that does not use the boundary its Content-Type names', () => {
  const body = Buffer.from(`--other\r\n\r\n<a/>\r\n--other--\r\n`);
  assert.throws(() => parseMultipart(body, B), /boundary "--=_MIME-Boundary" not found/);
});

test('refuses base64 content with characters outside the alphabet', () => {
  const body = Buffer.from(`--${B}\r\nContent-Transfer-Encoding: base64\r\n\r\nnot*base64!\r\n--${B}--\r\n`);
  assert.throws(() => parseMultipart(body, B), /not valid base64/);
});

test('splitting leaves content as sent, so bad base64 is refused only when that part is decoded', () => {
  const body = Buffer.from(
    `--${B}\r\nContent-Id: <a>\r\n\r\n<a/>\r\n--${B}\r\nContent-Transfer-Encoding: base64\r\n\r\nnot*base64!\r\n--${B}--\r\n`,
  );
  const { parts } = splitMultipart(body, B);
  assert.deepEqual(
    parts.map((p) => p.raw.toString()),
    ['<a/>', 'not*base64!'],
  );
  assert.equal(decodeMimePart(parts[0]!).body.toString(), '<a/>');
  assert.throws(() => decodeMimePart(parts[1]!), /MIME part 2: content is not valid base64/);
});

test('ignores a boundary string that appears mid-line inside content', () => {
  const body = Buffer.from(`--${B}\r\n\r\ntext with --${B} inside\r\n--${B}--\r\n`);
  assert.equal(parseMultipart(body, B).parts[0]?.body.toString(), `text with --${B} inside`);
});

test('base64 lines are 76 characters, each full one ended by CRLF, and decode back (property)', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => {
      const data = Buffer.from(bytes);
      const text = base64Lines(data).toString('latin1');
      assert.equal(text, data.toString('base64').replace(/.{76}/g, '$&\r\n'));
      assert.deepEqual(Buffer.from(text, 'base64'), data);
    }),
    { numRuns: 200 },
  );
});
