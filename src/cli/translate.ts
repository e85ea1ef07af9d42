import { createReadStream } from 'node:fs';
import type { Bundle } from 'fhir/r3.js';
import { InputError } from '../common/input-error.ts';
import {
  decodeAttachmentStream,
  MAX_MESSAGE_BYTES,
  readMessageBytes,
  skeletonExtract,
} from '../ebxml/index.ts';
import { CliError, type Command, parseCommandArgs } from './command.ts';
import { readInputFile, readMessageInput } from './input-file.ts';

/** The file given to `translate` is not something we can translate (no HL7 payload, not a Bundle). */
export class TranslateInputError extends InputError {
  override readonly name = 'TranslateInputError';
}

type Target = 'fhir' | 'hl7';

/**
 * `gp2gp translate FILE --to fhir|hl7` (docs/protocol.md#commands-that-outside-checks-call): an EHR Extract
 * (bare HL7, SOAP or ebXML MIME) to a GP Connect STU3 Bundle, or a Bundle to an RCMR_IN030000UK06 extract.
 * Output on stdout; tolerated problems (degraded or skipped entries) on stderr, one per line, so stdout stays
 * machine-readable.
 */
export const translateCommand: Command = {
  summary: 'Translate an EHR Extract to a GP Connect FHIR Bundle, or a Bundle to an EHR Extract',
  usage:
    'Usage: gp2gp translate FILE --to fhir|hl7\n' +
    '       gp2gp translate PATH… --to fhir [--attachments-out DIR]\n\n' +
    '  --to fhir  FILE is an EHR Extract (bare HL7v3, SOAP envelope or ebXML MIME): prints the STU3 Bundle JSON\n' +
    '  --to hl7   FILE is a GP Connect STU3 Bundle (JSON): prints the RCMR_IN030000UK06 XML\n' +
    '  PATH…      the messages of a large-message conversation (files or folders, any order): reassembled,\n' +
    '             the Bundle printed, each document written into DIR; a broken one names reason 29, 30 or 31\n' +
    'Degraded and skipped entries are reported on stderr. Exits 2 with a one-line error on bad input.',
  async run(args) {
    const conversation = await import('./translate-conversation.ts');
    if (await conversation.isConversationRequest(args)) return conversation.translateConversation(args);
    const { file, to } = readArgs(args);
    const {
      output,
      warnings,
      summary = [],
    } = to === 'fhir'
      ? await extractFileToBundle(file)
      : await bundleBytesToExtract(await readInputFile(file));
    for (const w of warnings) process.stderr.write(`warning: ${w}\n`);
    // What became of every statement (extract → FHIR): docs/record-translation.md#fidelity.
    for (const line of summary) process.stderr.write(`${line}\n`);
    for (const chunk of output) await write(chunk);
    return 0;
  },
};

function readArgs(args: readonly string[]): { file: string; to: Target } {
  const { values, positionals } = parseCommandArgs('translate', args, { to: { type: 'string' } });
  if (positionals.length !== 1) throw new CliError('expected exactly one FILE (see gp2gp translate --help)');
  const to = values.to;
  if (to !== 'fhir' && to !== 'hl7') throw new CliError('--to must be fhir or hl7');
  return { file: positionals[0]!, to };
}

/** Writes to stdout, waiting when the pipe is full so a large Bundle is never buffered whole. */
export function write(chunk: string): Promise<void> {
  return new Promise((resolve, reject) => {
    if (process.stdout.write(chunk)) resolve();
    else process.stdout.once('drain', resolve).once('error', reject);
  });
}

/**
 * The same text as `JSON.stringify(bundle, null, 2)`, produced one entry at a time: a large record's Bundle
 * is then never held as one string next to its objects.
 */
export function* bundleJson(bundle: Bundle): Generator<string> {
  const { entry, ...rest } = bundle;
  const head = JSON.stringify(rest, null, 2);
  if (!entry || entry.length === 0) {
    yield `${JSON.stringify(bundle, null, 2)}\n`;
    return;
  }
  yield `${head.slice(0, -2)}${head.length > 3 ? ',' : ''}\n  "entry": [\n`;
  for (let i = 0; i < entry.length; i++) {
    const text = JSON.stringify(entry[i], null, 2).replace(/\n/g, '\n    ');
    yield `    ${text}${i < entry.length - 1 ? ',' : ''}\n`;
  }
  yield '  ]\n}\n';
}

/** What a translation prints: the output in pieces, and the warnings for stderr. */
export interface TranslateOutput {
  readonly output: Iterable<string>;
  readonly warnings: readonly string[];
  /** The fidelity summary (extract → FHIR): statements mapped, degraded and skipped. */
  readonly summary?: readonly string[];
}

async function toFhir(bytes: Uint8Array): Promise<TranslateOutput> {
  const message = readMessageBytes(bytes);
  if (message.hl7 === undefined)
    throw new TranslateInputError(`the ${message.form} message carries no HL7 payload`);
  // A large record arrives as a skeleton core message whose real extract is a compressed attachment.
  const skeleton = message.ebxml ? skeletonExtract(message.ebxml) : undefined;
  if (skeleton?.kind === 'external') {
    throw new TranslateInputError(
      `this is a large-message skeleton: its extract (${skeleton.href}) travels in separate messages; translate the reassembled extract`,
    );
  }
  // Loaded on demand so `translate --to hl7` never pays for the other direction.
  const { translateExtractToBundle, translateExtractStream, fidelitySummary } = await import(
    '../record/from-hl7/translate-extract.ts'
  );
  // The skeleton's extract is inflated into the parser as it is read: never held whole, refused at the limit.
  const { bundle, warnings, fidelity } = skeleton
    ? await translateExtractStream(
        decodeAttachmentStream([skeleton.attachment.body], skeleton.attachment.description, {
          maxBytes: MAX_MESSAGE_BYTES,
        }),
      )
    : translateExtractToBundle(message.hl7);
  const note = skeleton
    ? [`translated the skeleton's attached extract ${skeleton.filename ?? ''}`.trim()]
    : [];
  return {
    output: bundleJson(bundle),
    warnings: [...message.warnings, ...note, ...warnings],
    summary: fidelitySummary(fidelity),
  };
}

/**
 * `--to fhir` on a file: a bare HL7 extract streams from disk, so a large record is never held whole (as text
 * or as a tree); SOAP, MIME and a message behind HTTP headers are read whole.
 */
async function extractFileToBundle(file: string): Promise<TranslateOutput> {
  const input = await readMessageInput(file);
  if (input.kind === 'whole') return toFhir(input.bytes);
  const { translateExtractStream, fidelitySummary } = await import('../record/from-hl7/translate-extract.ts');
  const { bundle, warnings, fidelity } = await translateExtractStream(
    createReadStream(input.path, { start: input.start }),
  );
  return { output: bundleJson(bundle), warnings, summary: fidelitySummary(fidelity) };
}

/**
 * Most resources a Bundle may hold for `--to hl7`. The extract is built in memory and written as one string
 * (at most the XML limit): about 300,000 simple Observations already take 4.7 GB and most of that string, so
 * the limit keeps every accepted Bundle well inside both; the largest real records hold tens of thousands.
 */
export const MAX_BUNDLE_RESOURCES = 100_000;
const RESOURCE_TYPE_KEY = Buffer.from('"resourceType"');

/** What turns a Bundle into an extract: the record layer's translator, loaded when first needed. */
type BundleTranslator = (bundle: Bundle) => { xml: string; warnings: readonly string[] };

/**
 * `--to hl7` on a file's bytes: checks they are a Bundle within the limits, translates it, and turns what a
 * too-large or too-deep structure throws (a RangeError) into a refusal, exit 2.
 *
 * @example
 * const { output } = await bundleBytesToExtract(readFileSync('bundle.json'));
 */
export async function bundleBytesToExtract(
  bytes: Buffer,
  translator?: BundleTranslator,
): Promise<TranslateOutput> {
  // Counted on the text before it is parsed, so a Bundle of millions of entries costs no memory to refuse.
  // The Bundle's own resourceType is one more than its resources'.
  if (countUpTo(bytes, RESOURCE_TYPE_KEY, MAX_BUNDLE_RESOURCES + 2) > MAX_BUNDLE_RESOURCES + 1)
    throw tooManyResources();
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (e) {
    throw new TranslateInputError(`not a JSON document: ${(e as Error).message}`);
  }
  if (!isBundle(parsed)) throw new TranslateInputError('not a FHIR Bundle (resourceType is not "Bundle")');
  // Keys written with escapes (`"resource\u0054ype"`) escape the count above, not this one.
  if (Array.isArray(parsed.entry) && parsed.entry.length > MAX_BUNDLE_RESOURCES) throw tooManyResources();
  const translate = translator ?? (await localTranslator());
  let translated: ReturnType<BundleTranslator>;
  try {
    translated = translate(parsed);
  } catch (e) {
    // A structure nested past the stack or an extract longer than a string can be: refused, not a crash.
    if (e instanceof RangeError)
      throw new TranslateInputError(
        `the Bundle is too large or too deeply nested to translate (${e.message})`,
      );
    throw e;
  }
  const { xml, warnings } = translated;
  return { output: [xml.endsWith('\n') ? xml : `${xml}\n`], warnings };
}

/**
 * The record layer's translator, for a local translation: it answers no request, so its ASIDs and request are
 * written as unknown, never made up.
 */
async function localTranslator(): Promise<BundleTranslator> {
  const { translateBundleToExtract } = await import('../record/to-hl7/index.ts');
  return (bundle) => translateBundleToExtract(bundle, { addressing: 'preview' });
}

function tooManyResources(): TranslateInputError {
  return new TranslateInputError(
    `the Bundle holds more than ${MAX_BUNDLE_RESOURCES} resources, more than one extract can carry here`,
  );
}

/** Occurrences of `needle` in `bytes`, counting no further than `limit`. */
function countUpTo(bytes: Buffer, needle: Buffer, limit: number): number {
  let count = 0;
  for (
    let at = bytes.indexOf(needle);
    at !== -1 && count < limit;
    at = bytes.indexOf(needle, at + needle.length)
  )
    count++;
  return count;
}

function isBundle(v: unknown): v is Bundle {
  return typeof v === 'object' && v !== null && (v as { resourceType?: unknown }).resourceType === 'Bundle';
}
