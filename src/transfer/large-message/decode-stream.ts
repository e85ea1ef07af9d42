import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import type { LargeMessageReasonCode } from './assembly-types.ts';

/** A reassembly that cannot go on; thrown inside the byte streams, turned into a typed outcome by the caller. */
export class AssemblyError extends Error {
  override readonly name = 'AssemblyError';
  readonly reasonCode: LargeMessageReasonCode;

  constructor(reasonCode: LargeMessageReasonCode, message: string) {
    super(message);
    this.reasonCode = reasonCode;
  }
}

/** The first `bytes` of a stream to look at, and the whole stream (those bytes included) to go on with. */
export interface Peeked {
  readonly head: Buffer;
  readonly stream: AsyncIterable<Buffer>;
}

/** Reads just enough of a stream to see its first `bytes`, without losing them. */
export async function peek(source: AsyncIterable<Uint8Array>, bytes: number): Promise<Peeked> {
  const iterator = source[Symbol.asyncIterator]();
  const taken: Buffer[] = [];
  let length = 0;
  let done = false;
  while (length < bytes) {
    const next = await iterator.next();
    if (next.done) {
      done = true;
      break;
    }
    const chunk = Buffer.from(next.value);
    taken.push(chunk);
    length += chunk.length;
  }
  async function* stream(): AsyncGenerator<Buffer> {
    yield* taken;
    if (done) return;
    for (let next = await iterator.next(); !next.done; next = await iterator.next())
      yield Buffer.from(next.value);
  }
  return { head: Buffer.concat(taken).subarray(0, bytes), stream: stream() };
}

/** Base64 as MIME writes it: the alphabet, padding and line breaks; no spaces, which plain text would have. */
const BASE64_HEAD = /^[A-Za-z0-9+/=\r\n]+$/;

/** True when the first bytes of a document can only be base64 text (see docs/large-messages.md#decoding). */
export function looksLikeBase64(head: Buffer): boolean {
  return head.length > 0 && !isGzip(head) && BASE64_HEAD.test(head.toString('latin1'));
}

/** True when the bytes start with the gzip magic number. */
export function isGzip(head: Buffer): boolean {
  return head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
}

/**
 * Decodes base64 text as it streams, strictly: any character outside the alphabet (line breaks aside), or text
 * after the padding, is an {@link AssemblyError} with reason 29, since the pieces did not join into a document.
 */
export async function* decodeBase64(source: AsyncIterable<Uint8Array>): AsyncGenerator<Buffer> {
  let carry = '';
  let finished = false;
  for await (const chunk of source) {
    const text =
      carry +
      Buffer.from(chunk)
        .toString('latin1')
        .replace(/[\r\n]/g, '');
    if (text === '') continue;
    // Padding may only end the text; once a padded quad is decoded, nothing may follow.
    if (finished || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) throw invalid();
    const whole = text.length - (text.length % 4);
    if (whole > 0) yield Buffer.from(text.slice(0, whole), 'base64');
    finished = text.charCodeAt(whole - 1) === 0x3d; // '='
    carry = text.slice(whole);
    if (finished && carry !== '') throw invalid();
  }
  if (carry.length === 1 || carry.includes('=')) throw invalid();
  if (carry.length > 0) yield Buffer.from(carry, 'base64');
}

function invalid(): AssemblyError {
  return new AssemblyError('29', 'the joined pieces are not valid base64');
}

/** Inflates gzip as it streams; bad gzip is an {@link AssemblyError} with reason 29. */
export async function* gunzip(source: AsyncIterable<Uint8Array>): AsyncGenerator<Buffer> {
  const inflater = createGunzip();
  const feeding = pipeline(Readable.from(source), inflater);
  feeding.catch(() => undefined); // surfaced below, through the inflater's own error or the await
  try {
    for await (const chunk of inflater) yield chunk as Buffer;
    await feeding;
  } catch (e) {
    if (e instanceof AssemblyError) throw e;
    throw new AssemblyError('29', `the joined pieces are not valid gzip (${(e as Error).message})`);
  } finally {
    inflater.destroy();
  }
}

/** Passes bytes through up to `max`, then stops with reason 30: a guard against a gzip bomb. */
export async function* capped(
  source: AsyncIterable<Uint8Array>,
  max: number,
  what: string,
): AsyncGenerator<Buffer> {
  let total = 0;
  for await (const chunk of source) {
    total += chunk.byteLength;
    if (total > max) throw new AssemblyError('30', `${what} is over the ${max}-byte limit`);
    yield Buffer.from(chunk);
  }
}
