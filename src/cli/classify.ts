import { classifySpineLogs } from '../reporting/classify-logs.ts';
import { transfersJson } from '../reporting/transfer-json.ts';
import { CliError, type Command, parseCommandArgs } from './command.ts';

/** The cutoff NHS England's published figures use. */
const DEFAULT_CUTOFF_DAYS = 14;

/**
 * `gp2gp classify --cutoff-days N FILE.csv…` (docs/protocol.md#commands-that-outside-checks-call): Spine
 * message log exports → a JSON array of transfers classified by NHS England's rules (docs/reporting.md).
 */
export const classifyCommand: Command = {
  summary: "Classify GP2GP transfers in Spine message log exports by NHS England's rules",
  usage:
    'Usage: gp2gp classify [--cutoff-days N] [--month YYYY-MM] FILE.csv…\n\n' +
    `  --cutoff-days N  ignore messages logged more than N days after a conversation began (default ${DEFAULT_CUTOFF_DAYS},\n` +
    '                   as published; 0 = no cutoff)\n' +
    '  --month YYYY-MM  print only transfers requested in that UTC month\n' +
    'FILE.csv are Spine log exports (_time,conversationID,GUID,interactionID,messageSender,messageRecipient,\n' +
    'messageRef,jdiEvent,toSystem,fromSystem); give a month and the files after it so late messages are seen.\n' +
    'Prints a JSON array: conversation_id, status, failure_reason, sla_duration, date_requested, date_completed, …\n' +
    'Exits 2 with a one-line error on a malformed file.',
  async run(args) {
    const { files, cutoffDays, month } = readArgs(args);
    const { transfers } = await classifySpineLogs(
      files,
      month === undefined ? { cutoffDays } : { cutoffDays, month },
    );
    for (const piece of transfersJson(transfers)) await write(piece);
    return 0;
  },
};

function readArgs(args: readonly string[]): {
  files: string[];
  cutoffDays: number;
  month: string | undefined;
} {
  const { values, positionals: files } = parseCommandArgs('classify', args, {
    'cutoff-days': { type: 'string' },
    month: { type: 'string' },
  });
  const cutoff = values['cutoff-days'];
  const month = values.month;
  if (files.length === 0) throw new CliError('expected one or more FILE.csv (see gp2gp classify --help)');
  if (cutoff !== undefined && !/^\d+$/.test(cutoff))
    throw new CliError('--cutoff-days must be a whole number of days');
  if (month !== undefined && !/^\d{4}-(0[1-9]|1[0-2])$/.test(month))
    throw new CliError('--month must be YYYY-MM');
  return { files, cutoffDays: cutoff === undefined ? DEFAULT_CUTOFF_DAYS : Number(cutoff), month };
}

/** Writes to stdout, waiting when the pipe is full so a month of transfers is never buffered whole. */
function write(chunk: string): Promise<void> {
  return new Promise((resolve, reject) => {
    if (process.stdout.write(chunk)) resolve();
    else process.stdout.once('drain', resolve).once('error', reject);
  });
}
