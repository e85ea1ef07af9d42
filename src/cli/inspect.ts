import { open } from 'node:fs/promises';
import { MAX_MESSAGE_BYTES } from '../ebxml/index.ts';
import { CliError, type Command } from './command.ts';
import { summarizeMessage } from './message-summary.ts';

/** `gp2gp inspect FILE`: one JSON object describing any GP2GP message (DESIGN.md §5). */
export const inspectCommand: Command = {
  summary: 'Describe a GP2GP message (bare HL7v3, SOAP envelope, or ebXML MIME) as JSON',
  usage:
    'Usage: gp2gp inspect FILE\n\nPrints interactionId, messageId, conversationId, sender, receiver, nhsNumber,\nattachments, ack and statement counts. Exits 2 with a one-line error on bad input.',
  async run(args) {
    const files = args.filter((a) => !a.startsWith('-'));
    if (files.length !== 1) throw new CliError('expected exactly one FILE (see gp2gp inspect --help)');
    const bytes = await readBounded(files[0]!);
    process.stdout.write(`${JSON.stringify(summarizeMessage(bytes), null, 2)}\n`);
    return 0;
  },
};

/** Reads a file, refusing one over the message limit before loading it. */
async function readBounded(file: string): Promise<Buffer> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(file, 'r');
  } catch (e) {
    throw new CliError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  try {
    const { size } = await handle.stat();
    if (size > MAX_MESSAGE_BYTES)
      throw new CliError(`${file} is ${size} bytes, over the ${MAX_MESSAGE_BYTES}-byte message limit`);
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}
