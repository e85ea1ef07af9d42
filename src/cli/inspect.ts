import { CliError, type Command, parseCommandArgs } from './command.ts';
import { summarizeFile } from './message-summary.ts';

/**
 * `gp2gp inspect FILE`: one JSON object describing any GP2GP message
 * (docs/protocol.md#commands-that-outside-checks-call).
 */
export const inspectCommand: Command = {
  summary: 'Describe a GP2GP message (bare HL7v3, SOAP envelope, or ebXML MIME) as JSON',
  usage:
    'Usage: gp2gp inspect FILE\n\nPrints interactionId, messageId, conversationId, sender, receiver, nhsNumber,\n' +
    'attachments, ack and statement counts. Exits 2 with a one-line error on bad input.',
  async run(args) {
    const { positionals: files } = parseCommandArgs('inspect', args, {});
    if (files.length !== 1) throw new CliError('expected exactly one FILE (see gp2gp inspect --help)');
    process.stdout.write(`${JSON.stringify(await summarizeFile(files[0]!), null, 2)}\n`);
    return 0;
  },
};
