import { createReadStream } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import type { Bundle } from 'fhir/r3.js';
import { InputError } from '../common/input-error.ts';
import {
  decodeAttachmentStream,
  detectMessageForm,
  MAX_MESSAGE_BYTES,
  readMessageBytes,
  skeletonExtract,
} from '../ebxml/index.ts';
import { CliError, type Command } from './command.ts';

/** The file given to `translate` is not something we can translate (no HL7 payload, not a Bundle). */
export class TranslateInputError extends InputError {
  override readonly name = 'TranslateInputError';
}

type Target = 'fhir' | 'hl7';

/**
 * `gp2gp translate FILE --to fhir|hl7` (DESIGN.md §5): an EHR Extract (bare HL7, SOAP or ebXML MIME) to a
 * GP Connect STU3 Bundle, or a Bundle to an RCMR_IN030000UK06 extract. Output on stdout; tolerated problems
 * (degraded or skipped entries) on stderr, one per line, so stdout stays machine-readable.
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
    const { file, to } = parseArgs(args);
    const cannotRead = (e: NodeJS.ErrnoException): never => {
      throw new CliError(`cannot read ${file}: ${e.code ?? e.message}`);
    };
    // A bare UTF-8 extract streams from disk, so a large record is never held whole (as text or as a tree).
    const streamed = to === 'fhir' && (await isBareUtf8Hl7(file).catch(cannotRead));
    const { output, warnings } = streamed
      ? await streamToFhir(file)
      : to === 'fhir'
        ? await toFhir(await readFile(file).catch(cannotRead))
        : await toHl7(await readFile(file).catch(cannotRead));
    for (const w of warnings) process.stderr.write(`warning: ${w}\n`);
    for (const chunk of output) await write(chunk);
    return 0;
  },
};

function parseArgs(args: readonly string[]): { file: string; to: Target } {
  let to: string | undefined;
  const files: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--to') to = args[++i];
    else if (a.startsWith('--to=')) to = a.slice('--to='.length);
    else if (a.startsWith('-')) throw new CliError(`unknown option ${a} (see gp2gp translate --help)`);
    else files.push(a);
  }
  if (files.length !== 1) throw new CliError('expected exactly one FILE (see gp2gp translate --help)');
  if (to !== 'fhir' && to !== 'hl7') throw new CliError('--to must be fhir or hl7');
  return { file: files[0]!, to };
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

type Output = { output: Iterable<string>; warnings: readonly string[] };

async function toFhir(bytes: Uint8Array): Promise<Output> {
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
  const { translateExtractToBundle, translateExtractStream } = await import(
    '../record/from-hl7/translate-extract.ts'
  );
  // The skeleton's extract is inflated into the parser as it is read: never held whole, refused at the limit.
  const { bundle, warnings } = skeleton
    ? await translateExtractStream(
        decodeAttachmentStream([skeleton.attachment.body], skeleton.attachment.description, {
          maxBytes: MAX_MESSAGE_BYTES,
        }),
      )
    : translateExtractToBundle(message.hl7);
  const note = skeleton
    ? [`translated the skeleton's attached extract ${skeleton.filename ?? ''}`.trim()]
    : [];
  return { output: bundleJson(bundle), warnings: [...message.warnings, ...note, ...warnings] };
}

const HEAD_BYTES = 64 * 1024;
const DECLARES_OTHER_ENCODING = /^\s*<\?xml[^>]*encoding\s*=\s*["'](?!utf-?8["'])/i;
/** Optional UTF-8 byte order mark and whitespace, then the first tag: no HTTP preamble, no MIME. */
const STARTS_AS_XML = /^(?:\xEF\xBB\xBF)?\s*</;

/**
 * True where the file is a bare HL7 extract in UTF-8 (as `summarizeFile` decides for `inspect`): only that form
 * can go straight from disk into the parser; SOAP, MIME, an HTTP preamble or another encoding are read whole.
 */
async function isBareUtf8Hl7(file: string): Promise<boolean> {
  const handle = await open(file, 'r');
  try {
    const { size } = await handle.stat();
    // Over the limit: the whole-file path refuses it with the usual message.
    if (size > MAX_MESSAGE_BYTES) return false;
    const head = Buffer.alloc(Math.min(size, HEAD_BYTES));
    await handle.read(head, 0, head.length, 0);
    const text = head.toString('latin1');
    const declaration = text.replace(/^\xEF\xBB\xBF/, '');
    return (
      detectMessageForm(head) === 'hl7' &&
      STARTS_AS_XML.test(text) &&
      !DECLARES_OTHER_ENCODING.test(declaration)
    );
  } finally {
    await handle.close();
  }
}

async function streamToFhir(file: string): Promise<Output> {
  const { translateExtractStream } = await import('../record/from-hl7/translate-extract.ts');
  const { bundle, warnings } = await translateExtractStream(createReadStream(file));
  return { output: bundleJson(bundle), warnings };
}

async function toHl7(bytes: Uint8Array): Promise<Output> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (e) {
    throw new TranslateInputError(`not a JSON document: ${(e as Error).message}`);
  }
  if (!isBundle(parsed)) throw new TranslateInputError('not a FHIR Bundle (resourceType is not "Bundle")');
  const { translateBundleToExtract } = await import('../record/to-hl7/index.ts');
  // A local translation answers no request: its ASIDs and request are written as unknown, never made up.
  const { xml, warnings } = translateBundleToExtract(parsed, { addressing: 'preview' });
  return { output: [xml.endsWith('\n') ? xml : `${xml}\n`], warnings };
}

function isBundle(v: unknown): v is Bundle {
  return typeof v === 'object' && v !== null && (v as { resourceType?: unknown }).resourceType === 'Bundle';
}
