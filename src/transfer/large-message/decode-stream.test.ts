import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { type AssemblyError, capped, decodeBase64, gunzip, looksLikeBase64, peek } from './decode-stream.ts';

/** Cuts bytes at the given points, as a stream would deliver them. */
async function* chunks(bytes: Buffer, cuts: number[]): AsyncGenerator<Buffer> {
  let at = 0;
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    if (cut > at && cut < bytes.length) {
      yield bytes.subarray(at, cut);
      at = cut;
    }
  }
  yield bytes.subarray(at);
}

async function collect(source: AsyncIterable<Buffer>): Promise<Buffer> {
  const out: Buffer[] = [];
  for await (const c of source) out.push(c);
  return Buffer.concat(out);
}

const MIME_BASE64 = (b: Buffer): Buffer => Buffer.from(b.toString('base64').replace(/.{76}/g, '$&\r\n'));

describe('decodeBase64', () => {
  test('decodes MIME base64 however the text is cut into chunks (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 600 }),
        fc.array(fc.nat(900), { maxLength: 8 }),
        async (raw, cuts) => {
          const text = MIME_BASE64(Buffer.from(raw));
          assert.deepEqual(await collect(decodeBase64(chunks(text, cuts))), Buffer.from(raw));
        },
      ),
    );
  });

  for (const [name, text] of [
    ['a character outside the alphabet', 'QUJD*EVG'],
    ['text after the padding', 'QQ==QUJD'],
    ['a space', 'QUJD REVG'],
    ['a lone trailing character', 'QUJDR'],
    ['three padding characters', 'Q==='],
  ] as const) {
    test(`${name} is a reassembly failure (29)`, async () => {
      await assert.rejects(collect(decodeBase64(chunks(Buffer.from(text), [3]))), (e: AssemblyError) => {
        assert.equal(e.reasonCode, '29');
        return true;
      });
    });
  }
});

describe('content sniffing', () => {
  test('base64 text is told from prose, which has spaces, and from gzip', () => {
    assert.equal(looksLikeBase64(Buffer.from('SGVsbG8gd29ybGQ=\r\n')), true);
    assert.equal(looksLikeBase64(Buffer.from('WAR AND PEACE\n\nBy Leo Tolstoy')), false);
    assert.equal(looksLikeBase64(gzipSync('x')), false);
    assert.equal(looksLikeBase64(Buffer.alloc(0)), false);
  });

  test('peek shows the first bytes and still yields every byte', async () => {
    const bytes = Buffer.from('0123456789');
    const { head, stream } = await peek(chunks(bytes, [2, 5]), 4);
    assert.equal(head.toString(), '0123');
    assert.deepEqual(await collect(stream), bytes);
  });
});

describe('gunzip and capped', () => {
  test('inflate a stream cut anywhere', async () => {
    const raw = Buffer.from('GP2GP '.repeat(5000));
    assert.deepEqual(await collect(gunzip(chunks(gzipSync(raw), [10, 100, 1000]))), raw);
  });

  test('broken gzip is a reassembly failure (29)', async () => {
    const bad = gzipSync('hello world');
    bad[12] = bad[12]! ^ 0xff;
    await assert.rejects(collect(gunzip(chunks(bad, []))), (e: AssemblyError) => e.reasonCode === '29');
  });

  test('more bytes than the cap is a general failure (30)', async () => {
    const bomb = gzipSync(Buffer.alloc(1_000_000));
    await assert.rejects(
      collect(capped(gunzip(chunks(bomb, [])), 1000, 'bomb.bin')),
      (e: AssemblyError) => e.reasonCode === '30' && /bomb\.bin is over the 1000-byte limit/.test(e.message),
    );
  });
});
