import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { decodeXml, decodeXmlChunks, xmlEncoding } from './decode.ts';
import { XmlError } from './xml-error.ts';

const utf16be = (text: string): Buffer => Buffer.from(text, 'utf16le').swap16();

test('the BOM decides UTF-8, UTF-16LE or UTF-16BE; else the declaration; else UTF-8', () => {
  assert.deepEqual(xmlEncoding(Buffer.from('\uFEFF<a/>')), { label: 'utf-8', start: 3 });
  assert.deepEqual(xmlEncoding(Buffer.from('\uFEFF<a/>', 'utf16le')), { label: 'utf-16le', start: 2 });
  assert.deepEqual(xmlEncoding(utf16be('\uFEFF<a/>')), { label: 'utf-16be', start: 2 });
  assert.deepEqual(xmlEncoding(Buffer.from('<?xml version="1.0" encoding="ISO-8859-1"?><a/>')), {
    label: 'latin1',
    start: 0,
  });
  assert.deepEqual(xmlEncoding(Buffer.from('<a/>')), { label: 'utf-8', start: 0 });
  assert.throws(
    () => xmlEncoding(Buffer.from('<?xml version="1.0" encoding="EBCDIC-US"?><a/>')),
    (e: unknown) => e instanceof XmlError && e.kind === 'encoding' && /"ebcdic-us"/.test(e.message),
  );
});

test('UTF-16 with a BOM decodes to the same text as UTF-8', () => {
  const text = '<?xml version="1.0" encoding="UTF-16"?><a b="café">ünïcode €</a>';
  assert.equal(decodeXml(Buffer.from(`\uFEFF${text}`, 'utf16le')), text);
  assert.equal(decodeXml(utf16be(`\uFEFF${text}`)), text);
});

test('bytes not valid in the encoding are refused, naming it', () => {
  const loneSurrogate = Buffer.concat([Buffer.from('\uFEFF<a>', 'utf16le'), Buffer.from([0x00, 0xd8])]);
  assert.throws(
    () => decodeXml(Buffer.concat([loneSurrogate, Buffer.from('</a>', 'utf16le')])),
    (e: unknown) => e instanceof XmlError && e.kind === 'encoding' && /UTF-16LE/.test(e.message),
  );
  assert.throws(
    () => decodeXml(Buffer.from([0x3c, 0x61, 0x3e, 0xe9, 0x3c])),
    (e: unknown) => e instanceof XmlError && /not valid UTF-8/.test(e.message),
  );
});

test('decoding in pieces gives the same text wherever the pieces split a character (property)', () => {
  fc.assert(
    fc.property(
      fc.string({ unit: 'grapheme', maxLength: 40 }),
      fc.constantFrom('utf-8', 'utf-16le', 'utf-16be'),
      fc.integer({ min: 1, max: 7 }),
      (body, encoding, chunkBytes) => {
        const text = `<a>${body}</a>`;
        const bytes =
          encoding === 'utf-8'
            ? Buffer.from(text)
            : encoding === 'utf-16le'
              ? Buffer.from(`\uFEFF${text}`, 'utf16le')
              : utf16be(`\uFEFF${text}`);
        assert.equal([...decodeXmlChunks(bytes, chunkBytes)].join(''), text);
      },
    ),
  );
});
