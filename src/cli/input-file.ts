import { type FileHandle, open } from 'node:fs/promises';
import { MAX_MESSAGE_BYTES } from '../ebxml/index.ts';
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
    // One byte more than its size: a file still being written to is refused rather than cut short.
    const bytes = Buffer.alloc(input.size + 1);
    let read = 0;
    for (;;) {
      const { bytesRead } = await input.handle.read(bytes, read, bytes.length - read, read);
      if (bytesRead === 0) break;
      read += bytesRead;
      if (read > input.size) throw new CliError(`${path} grew while it was being read`);
    }
    return bytes.subarray(0, read);
  } catch (e) {
    throw e instanceof CliError ? e : cannotRead(path, e);
  } finally {
    await input.handle.close();
  }
}

function cannotRead(path: string, e: unknown): CliError {
  return new CliError(`cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
}
