import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { buildEhrExtractMessage } from '../src/hl7/index.ts';
import { minimalEhrFolder } from '../src/hl7/testing/minimal-folder.ts';

/**
 * Writes a synthetic EHR extract of about `megabytes` MB: a real envelope and folder from our builders,
 * with the consultation repeated (each copy with its own ids and text) until the size is reached.
 * Streams to disk so that making a 500 MB file needs no more memory than a 5 MB one.
 */
export async function writeSyntheticExtract(file: string, megabytes: number): Promise<number> {
  const now = new Date('2026-01-01T00:00:00Z');
  const xml = buildEhrExtractMessage(
    {
      messageId: '0A000000-0000-4000-8000-000000000001',
      creationTime: now,
      extractId: '0A000000-0000-4000-8000-000000000002',
      availabilityTime: now,
      nhsNumber: '9990000018',
      sendingPractice: { asid: '200000000101', ods: 'A99901' },
      requestingPractice: { asid: '200000000202', ods: 'B99902' },
      requestId: '0A000000-0000-4000-8000-000000000003',
      nopat: false,
    },
    minimalEhrFolder('A99901', 'Synthetic consultation note '.repeat(8)),
  );
  const start = /<component typeCode="COMP">\s*<ehrComposition/.exec(xml)?.index ?? -1;
  const end = xml.indexOf('</ehrFolder>');
  if (start < 0 || end < 0)
    throw new Error('builder output changed shape: no ehrComposition component found');
  const head = xml.slice(0, start);
  const composition = xml.slice(start, end);
  const tail = xml.slice(end);
  const out = createWriteStream(file);
  let written = 0;
  const write = async (s: string): Promise<void> => {
    written += Buffer.byteLength(s);
    if (!out.write(s)) await once(out, 'drain');
  };
  await write(head);
  const target = megabytes * 1024 * 1024 - tail.length;
  for (let i = 0; written < target; i++) {
    const n = i.toString(16).padStart(12, '0').toUpperCase();
    await write(
      composition.replace(
        /5E1F7C0A-0000-4000-8000-00000000000([34])/g,
        (_m, d) => `5E1F7C0${d}-0000-4000-8000-${n}`,
      ),
    );
  }
  await write(tail);
  out.end();
  await once(out, 'finish');
  return written;
}
