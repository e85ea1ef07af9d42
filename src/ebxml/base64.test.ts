import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { Base64Decoder, Base64Error, decodeBase64 } from './base64.ts';

/** Decodes `text` pushed in the pieces that `cuts` (offsets) make. */
function decodeInPieces(text: Buffer, cuts: number[]): Buffer {
  const decoder = new Base64Decoder();
  const at = [0, ...cuts.filter((c) => c < text.length).sort((a, b) => a - b), text.length];
  const out: Buffer[] = [];
  for (let i = 0; i < at.length - 1; i++) out.push(decoder.push(text.subarray(at[i], at[i + 1])));
  out.push(decoder.end());
  return Buffer.concat(out);
}

/** Base64 with MIME line breaks every `width` characters. */
function wrapped(bytes: Uint8Array, width: number): Buffer {
  return Buffer.from(
    Buffer.from(bytes)
      .toString('base64')
      .replace(new RegExp(`.{${width}}`, 'g'), '$&\r\n'),
  );
}

test('gives back the bytes however the text is wrapped and cut into pieces (property)', () => {
  fc.assert(
    fc.property(
      fc.uint8Array({ maxLength: 200 }),
      fc.integer({ min: 1, max: 80 }),
      fc.array(fc.nat({ max: 300 }), { maxLength: 8 }),
      (bytes, width, cuts) => {
        const text = wrapped(bytes, width);
        assert.deepEqual(decodeInPieces(text, cuts), Buffer.from(bytes));
        assert.deepEqual(decodeBase64(text), Buffer.from(bytes));
      },
    ),
  );
});

test('pieces encoded separately and joined decode to all the pieces, not just the first', () => {
  const joined = Buffer.from(
    `${Buffer.from('A').toString('base64')}\r\n${Buffer.from('BC').toString('base64')}`,
  );
  assert.equal(joined.toString(), 'QQ==\r\nQkM=');
  assert.equal(decodeBase64(joined).toString(), 'ABC');
  assert.equal(decodeInPieces(joined, [3, 5]).toString(), 'ABC');
  assert.equal(Buffer.from(joined.toString(), 'base64').toString(), 'A'); // what Node's decoder would lose
});

test('unpadded text of two or three characters in its last group is accepted', () => {
  assert.equal(decodeBase64(Buffer.from('QUJDRA')).toString(), 'ABCD');
  assert.equal(decodeBase64(Buffer.from('QUJDREU')).toString(), 'ABCDE');
});

test('stray characters, misplaced padding and a cut-off last group are refused', () => {
  for (const bad of ['QUJD*REVG', 'Q=JD', 'QU=D', '=QUJ', 'QUJDR', 'QUJD\u00a0REVG']) {
    assert.throws(
      () => decodeBase64(Buffer.from(bad, 'latin1')),
      (e: unknown) => e instanceof Base64Error,
      JSON.stringify(bad),
    );
  }
});

test('refuses a stray character even when it comes long after the start', () => {
  const text = Buffer.concat([wrapped(new Uint8Array(3 * 1024 * 1024), 76), Buffer.from('!')]);
  assert.throws(() => decodeBase64(text), /not base64/);
});
