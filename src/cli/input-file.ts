import { type FileHandle, open } from 'node:fs/promises';
import {
  detectMessageForm,
  firstContentOffset,
  MAX_MESSAGE_BYTES,
  readHttpPreamble,
} from '../ebxml/index.ts';
import { CliError } from './command.ts';

/**
 * Largest file a command reads: the XML reader's and message reader's own limit, for JSON as for XML, so no
 * input is read whole past what we would parse anyway.
 */
export const MAX_INPUT_BYTES = MAX_MESSAGE_BYTES;

/** A file opened for reading, its size known to be within the limit. Close it when done. */
export interface InputFile {
  readonly path: string;
  readonly handle: FileHandle;
  readonly size: number;
}

/**
 * Opens a command's input file, refusing it by its size before anything is read. Errors are `CliError`s
 * (exit 2, one line).
 *
 * @example
 * const input = await openInputFile('extract.xml'); try { … } finally { await input.handle.close(); }
 */
export async function openInputFile(path: string, maxBytes = MAX_INPUT_BYTES): Promise<InputFile> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (e) {
    throw cannotRead(path, e);
  }
  try {
    const { size } = await handle.stat();
    if (size > maxBytes)
      throw new CliError(`${path} is ${size} bytes, over the ${maxBytes}-byte input limit`);
    return { path, handle, size };
  } catch (e) {
    await handle.close();
    throw e instanceof CliError ? e : cannotRead(path, e);
  }
}

/**
 * Reads a whole input file within the limit.
 *
 * @example
 * const bytes = await readInputFile('bundle.json');
 */
export async function readInputFile(path: string, maxBytes = MAX_INPUT_BYTES): Promise<Buffer> {
  const input = await openInputFile(path, maxBytes);
  try {
    return await readWhole(input);
  } finally {
    await input.handle.close();
  }
}

/** Reads the whole of an opened input file. */
async function readWhole(input: InputFile): Promise<Buffer> {
  try {
    // One byte more than its size: a file still being written to is refused rather than cut short.
    const bytes = Buffer.alloc(input.size + 1);
    let read = 0;
    for (;;) {
      const { bytesRead } = await input.handle.read(bytes, read, bytes.length - read, read);
      if (bytesRead === 0) break;
      read += bytesRead;
      if (read > input.size) throw new CliError(`${input.path} grew while it was being read`);
    }
    return bytes.subarray(0, read);
  } catch (e) {
    throw e instanceof CliError ? e : cannotRead(input.path, e);
  }
}

/** Bytes read at a time to find where content starts; each piece is let go before the next. */
const SCAN_BYTES = 1 << 20;
/** Bytes of content read to tell a message's form. */
const HEAD_BYTES = 64 * 1024;

/**
 * Where a file's content starts, after a UTF-8 byte order mark and any whitespace: read a megabyte at a time
 * and not kept, so content behind any amount of whitespace (within the size limit) is found. A file of
 * nothing else is refused as empty.
 */
async function contentStart(input: InputFile): Promise<number> {
  const piece = Buffer.alloc(Math.min(SCAN_BYTES, input.size));
  for (let at = 0; at < input.size; at += piece.length) {
    const { bytesRead } = await input.handle.read(piece, 0, piece.length, at);
    if (bytesRead === 0) break;
    // the byte order mark only counts at the start of the file
    const found = firstContentOffset(piece.subarray(0, bytesRead), { atFileStart: at === 0 });
    if (found >= 0) return at + found;
  }
  throw new CliError(`${input.path} is empty (no content, or only whitespace)`);
}

/**
 * A message file to read: a bare HL7 message (no HTTP headers, no MIME, no SOAP envelope: the usual form of a
 * large extract), in any encoding the XML reader takes, is streamed from where its content starts; any other
 * form is read whole.
 */
export type MessageInput =
  | { readonly kind: 'stream'; readonly path: string; readonly start: number }
  | { readonly kind: 'whole'; readonly bytes: Buffer };

/**
 * Opens a message file for `inspect` or `translate --to fhir`: refused by its size over the limit, or as empty;
 * a bare HL7 message is left to be streamed, anything else read whole.
 *
 * @example
 * const input = await readMessageInput('extract.xml');
 * if (input.kind === 'stream') await readHl7Stream(createReadStream(input.path, { start: input.start }));
 */
export async function readMessageInput(path: string): Promise<MessageInput> {
  const input = await openInputFile(path);
  try {
    const start = await contentStart(input);
    const head = Buffer.alloc(Math.min(HEAD_BYTES, input.size - start));
    await input.handle.read(head, 0, head.length, start);
    const bare = readHttpPreamble(head).bodyOffset === 0 && detectMessageForm(head) === 'hl7';
    return bare ? { kind: 'stream', path, start } : { kind: 'whole', bytes: await readWhole(input) };
  } finally {
    await input.handle.close();
  }
}

function cannotRead(path: string, e: unknown): CliError {
  return new CliError(`cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
}
