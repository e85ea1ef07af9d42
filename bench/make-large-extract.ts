/**
 * Writes a large synthetic EHR Extract for benchmarks by repeating the ehrComposition components of the
 * corpus extract PWTP4 until the target size is reached, giving each copy fresh ids so nothing collides.
 *
 * Usage: node bench/make-large-extract.ts OUT.xml [MEGABYTES=30]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { sharedPath } from '../src/common/testing/shared-corpus.ts';

/** Builds the large extract text from a source extract, repeating its compositions to about `bytes`. */
export function makeLargeExtract(source: string, bytes: number): string {
  const start = source.indexOf('<component typeCode="COMP">', source.indexOf('</responsibleParty>'));
  const end = source.lastIndexOf('</ehrFolder>');
  if (start < 0 || end < 0) throw new Error('source has no ehrFolder components');
  const head = source.slice(0, start);
  const body = source.slice(start, end);
  const tail = source.slice(end);
  const parts: string[] = [head];
  let size = head.length + tail.length;
  for (let copy = 0; size < bytes; copy++) {
    // Each copy's UUIDs get the copy number in their first group, so ids stay unique and links still meet.
    const prefix = copy.toString(16).toUpperCase().padStart(8, '0');
    const part = body.replace(
      /root="[0-9A-Fa-f]{8}(-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12})"/g,
      (_m, rest: string) => `root="${prefix}${rest}"`,
    );
    parts.push(part);
    size += part.length;
  }
  parts.push(tail);
  return parts.join('');
}

if (import.meta.main) {
  const [out, mb = '30'] = process.argv.slice(2);
  const source = sharedPath('corpus/ehr-extract/PWTP4.xml');
  if (!out || !source) {
    process.stderr.write('usage: node bench/make-large-extract.ts OUT.xml [MEGABYTES] (needs ../shared)\n');
    process.exit(2);
  }
  const text = makeLargeExtract(readFileSync(source, 'utf8'), Number(mb) * 1024 * 1024);
  writeFileSync(out, text);
  process.stdout.write(`${out}: ${(Buffer.byteLength(text) / 1048576).toFixed(1)} MB\n`);
}
