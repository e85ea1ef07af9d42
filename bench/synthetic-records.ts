/**
 * Synthetic record benchmark: how fast `generateRecord` makes Bundles (per profile: records and resources a
 * second) and how fast a synthetic document's bytes come (chunks read synchronously, and the stream a store or
 * HTTP response reads), plus invented patients a second. Generation must never be what a benchmark waits on.
 * Prints one JSON line; `documentsPeakRssMb` is the peak while only the documents had been read.
 *
 *   node bench/synthetic-records.ts [--records 200] [--megabytes 512]
 */
import { parseArgs } from 'node:util';
import {
  documentChunks,
  openDocument,
  type SyntheticContentType,
} from '../src/record/synthetic/document-bytes.ts';
import { generatePatients, generateRecord, type RecordProfile } from '../src/record/synthetic/index.ts';

const { values } = parseArgs({
  options: {
    records: { type: 'string', default: '200' },
    megabytes: { type: 'string', default: '512' },
  },
});
const records = Number(values.records);
const megabytes = Number(values.megabytes);

/** Records a second and resources a second for a profile, over `count` seeds (after a warm-up). */
function bundles(
  profile: RecordProfile,
  count: number,
): { perSecond: number; resourcesPerSecond: number; msEach: number } {
  for (let seed = 0; seed < 5; seed++)
    generateRecord({ seed: 1_000_000 + seed, practiceOds: 'A12345', profile });
  let resources = 0;
  const started = performance.now();
  for (let seed = 1; seed <= count; seed++)
    resources += generateRecord({ seed, practiceOds: 'A12345', profile }).bundle.entry?.length ?? 0;
  const seconds = (performance.now() - started) / 1000;
  return {
    perSecond: Math.round(count / seconds),
    resourcesPerSecond: Math.round(resources / seconds),
    msEach: Number(((seconds * 1000) / count).toFixed(2)),
  };
}

/** A document of the given type and size, read as chunks and as a stream: MB/s each way. */
async function documentBytes(
  contentType: SyntheticContentType,
): Promise<{ chunksMBps: number; streamMBps: number }> {
  const spec = { contentType, bytes: megabytes * 1_000_000, key: `bench/${contentType}` };
  let read = 0;
  let started = performance.now();
  for (const chunk of documentChunks(spec)) read += chunk.length;
  const chunksSeconds = (performance.now() - started) / 1000;
  if (read !== spec.bytes) throw new Error(`read ${read} bytes, not ${spec.bytes}`);
  read = 0;
  started = performance.now();
  for await (const chunk of openDocument(spec)) read += (chunk as Buffer).length;
  const streamSeconds = (performance.now() - started) / 1000;
  if (read !== spec.bytes) throw new Error(`streamed ${read} bytes, not ${spec.bytes}`);
  return {
    chunksMBps: Math.round(spec.bytes / 1e6 / chunksSeconds),
    streamMBps: Math.round(spec.bytes / 1e6 / streamSeconds),
  };
}

// Documents first, so the peak RSS after them shows what streaming them costs (they are never held whole).
const pdf = await documentBytes('application/pdf');
const text = await documentBytes('text/plain');
const documentsPeakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);

const patientsStarted = performance.now();
generatePatients(1, 100_000, 'A12345');
const patientsPerSecond = Math.round(100_000 / ((performance.now() - patientsStarted) / 1000));

const result = {
  records,
  small: bundles('small', records),
  median: bundles('median', records),
  large: bundles('large', Math.max(1, Math.round(records / 10))),
  distribution: bundles('distribution', records),
  patientsPerSecond,
  megabytes,
  pdf,
  text,
  documentsPeakRssMb,
  peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
};
process.stdout.write(`${JSON.stringify(result)}\n`);
