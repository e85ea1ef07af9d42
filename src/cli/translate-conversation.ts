import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { InputError } from '../common/input-error.ts';
import { readMessageBytes } from '../ebxml/index.ts';
import type { DocumentStore } from '../store/index.ts';
import type {
  AssemblyFailure,
  LargeMessageReasonCode,
  ReceivedPartSummary,
} from '../transfer/large-message/index.ts';
import { CliError, type ExitCode } from './command.ts';

/** The large-message functions, loaded only when `translate` is given a conversation. */
type LargeMessage = typeof import('../transfer/large-message/index.ts');

/** Short names for the one-line error (the wire display names are in src/hl7/reason-codes.ts). */
const LABELS: Readonly<Record<LargeMessageReasonCode, string>> = {
  '29': 'large message reassembly failure',
  '30': 'large message general failure',
  '31': 'attachments not received',
};

/** A captured conversation that does not reassemble, with the reason code the engine would send back. */
export class BrokenConversationError extends InputError {
  override readonly name = 'BrokenConversationError';
  readonly reasonCode: LargeMessageReasonCode;

  constructor(failure: AssemblyFailure) {
    super(`reason ${failure.reasonCode} (${LABELS[failure.reasonCode]}): ${failure.detail}`);
    this.reasonCode = failure.reasonCode;
  }
}

const OPTIONS = { to: { type: 'string' }, 'attachments-out': { type: 'string' } } as const;

/**
 * True where `translate` was given a conversation rather than one message: several PATHs, a folder, or
 * `--attachments-out`. One FILE without it keeps the single-message behaviour.
 */
export async function isConversationRequest(args: readonly string[]): Promise<boolean> {
  const { values, positionals } = parseArgs({
    args: [...args],
    options: OPTIONS,
    allowPositionals: true,
    strict: false,
  });
  if (values['attachments-out'] !== undefined || positionals.length > 1) return true;
  const only = positionals[0];
  return only !== undefined && (await stat(only).catch(() => undefined))?.isDirectory() === true;
}

/**
 * `gp2gp translate PATH… --to fhir [--attachments-out DIR]`: reassembles a captured large-message conversation
 * as the engine does (docs/large-messages.md), prints the extract's FHIR Bundle as `translate FILE --to fhir`
 * does, and writes each document, decoded and inflated, into DIR.
 */
export async function translateConversation(args: readonly string[]): Promise<ExitCode> {
  const { paths, out } = conversationArgs(args);
  const files = await messageFiles(paths);
  const lm: LargeMessage = await import('../transfer/large-message/index.ts');
  // Straight from its file: the store's index also loads the database drivers, which translate never needs.
  const { DiskDocumentStore } = await import('../store/disk-document-store.ts');
  const dir = await mkdtemp(join(tmpdir(), 'gp2gp-conversation-'));
  const documents = await DiskDocumentStore.open(dir);
  try {
    const received = await receiveAll(files, documents, lm);
    const core = theCore(received);
    const assessment = lm.assessAssembly(
      core.summary,
      received.filter((r) => r !== core).map((r) => r.summary),
    );
    if (assessment.kind === 'failed') throw new BrokenConversationError(assessment);
    if (assessment.kind === 'waiting')
      throw new BrokenConversationError({
        reasonCode: '31',
        detail: `message(s) not among the files: ${assessment.missingMessageIds.join(', ')}`,
      });
    const extract = await lm.assembleExtract(assessment.extract, documents, { corePayload: core.payload });
    if (!extract.ok) throw new BrokenConversationError(extract);
    const assembled = [];
    for (const plan of assessment.documents) {
      const r = await lm.assembleDocument(plan, documents);
      if (!r.ok) throw new BrokenConversationError(r);
      assembled.push(r);
    }
    const read = await documents.read(extract.stored.id);
    if (!read.ok) throw new Error(`the reassembled extract is gone from ${dir}`);
    const { translateExtractStream } = await import('../record/from-hl7/translate-extract.ts');
    const { bundle, warnings } = await translateExtractStream(read.stream);
    if (out !== undefined) await writeDocuments(out, assembled, documents);
    const notes = [
      `reassembled ${assembled.length} document(s) from ${received.length} message(s)`,
      ...assessment.warnings,
      ...warnings,
    ];
    for (const w of notes) process.stderr.write(`warning: ${w}\n`);
    const { bundleJson, write } = await import('./translate.ts');
    for (const chunk of bundleJson(bundle)) await write(chunk);
    return 0;
  } finally {
    await documents.close();
    await rm(dir, { recursive: true, force: true });
  }
}

function conversationArgs(args: readonly string[]): { paths: string[]; out: string | undefined } {
  const parse = () => parseArgs({ args: [...args], options: OPTIONS, allowPositionals: true });
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse();
  } catch (e) {
    throw new CliError(`${(e as Error).message} (see gp2gp translate --help)`);
  }
  const { values, positionals } = parsed;
  if (values.to !== 'fhir')
    throw new CliError(
      'a conversation (several PATHs, a folder or --attachments-out) translates --to fhir only',
    );
  if (positionals.length === 0) throw new CliError('expected PATH… (see gp2gp translate --help)');
  return { paths: positionals, out: values['attachments-out'] };
}

/** The files named, and the files directly inside each folder named, sorted by name within a folder. */
async function messageFiles(paths: readonly string[]): Promise<string[]> {
  const files: string[] = [];
  for (const path of paths) {
    const s = await stat(path).catch((e: NodeJS.ErrnoException) => {
      throw new CliError(`cannot read ${path}: ${e.code ?? e.message}`);
    });
    if (!s.isDirectory()) files.push(path);
    else {
      const names = (await readdir(path, { withFileTypes: true })).filter(
        (e) => e.isFile() && !e.name.startsWith('.'),
      );
      files.push(...names.map((e) => join(path, e.name)).sort());
    }
  }
  if (files.length === 0) throw new CliError(`no message files in ${paths.join(', ')}`);
  return files;
}

interface Received {
  readonly file: string;
  readonly summary: ReceivedPartSummary;
  readonly payload: string;
}

/** Reads each file as the engine reads a message off the wire: parse, store its parts, summarise. */
async function receiveAll(
  files: readonly string[],
  documents: DocumentStore,
  lm: LargeMessage,
): Promise<Received[]> {
  const received: Received[] = [];
  for (const file of files) {
    let message: ReturnType<typeof readMessageBytes>['ebxml'];
    try {
      message = readMessageBytes(await readFile(file)).ebxml;
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      throw new BrokenConversationError({ reasonCode: '30', detail: `${basename(file)}: ${e.message}` });
    }
    if (!message)
      throw new BrokenConversationError({
        reasonCode: '30',
        detail: `${basename(file)} is not an ebXML MIME message`,
      });
    const summary = lm.summariseReceivedMessage(message, await lm.storeReceivedParts(message, documents));
    received.push({ file, summary, payload: message.payload ?? '' });
  }
  return received;
}

/** The one extract among the messages (copies of it allowed). */
function theCore(received: readonly Received[]): Received {
  const cores = received.filter((r) => r.summary.role === 'core');
  const ids = new Set(cores.map((r) => r.summary.messageId.toLowerCase()));
  if (ids.size === 0) throw new InputError('none of the messages is an EHR extract (RCMR_IN030000UK06/07)');
  if (ids.size > 1)
    throw new InputError(`more than one EHR extract: ${cores.map((r) => basename(r.file)).join(', ')}`);
  return cores[0]!;
}

/** Writes each document into `out` under its own file name, made safe (no folders, no clashes). */
async function writeDocuments(
  out: string,
  assembled: readonly { stored: { id: string }; filename: string }[],
  documents: DocumentStore,
): Promise<void> {
  await mkdir(out, { recursive: true });
  const taken = new Set<string>();
  for (const doc of assembled) {
    const name = uniqueName(safeName(doc.filename), taken);
    const read = await documents.read(doc.stored.id);
    if (!read.ok) throw new Error(`reassembled ${doc.filename} is gone from the store`);
    await pipeline(read.stream, createWriteStream(join(out, name), { flags: 'wx' })).catch(
      (e: NodeJS.ErrnoException) => {
        throw new CliError(`cannot write ${join(out, name)}: ${e.code ?? e.message}`);
      },
    );
  }
}

/** A file name from a sender: the last path segment, without control characters, never `.` or `..`. */
export function safeName(filename: string): string {
  const last = filename.split(/[\\/]/).at(-1) ?? '';
  const cleaned = last.replace(/[\p{Cc}:*?"<>|]/gu, '_').trim();
  return cleaned === '' || cleaned === '.' || cleaned === '..' ? 'attachment' : cleaned;
}

function uniqueName(name: string, taken: Set<string>): string {
  let candidate = name;
  for (let n = 2; taken.has(candidate.toLowerCase()); n++) {
    const dot = name.lastIndexOf('.');
    candidate = dot > 0 ? `${name.slice(0, dot)} (${n})${name.slice(dot)}` : `${name} (${n})`;
  }
  taken.add(candidate.toLowerCase());
  return candidate;
}
