import { type ParseArgsOptionsConfig, parseArgs } from 'node:util';

/** What a sub-command reports back to the dispatcher: an exit code (output is written by the command). */
export type ExitCode = 0 | 1 | 2;

/** A `gp2gp` sub-command: parses its own arguments and runs. */
export interface Command {
  /** One line for `gp2gp --help`. */
  readonly summary: string;
  /** Usage lines shown by `gp2gp COMMAND --help` and on a usage error. */
  readonly usage: string;
  run(args: readonly string[]): Promise<ExitCode>;
}

/**
 * A usage or input problem the user can fix; the dispatcher prints its message on one line and exits 2.
 *
 * @example
 * throw new CliError('inspect: missing FILE');
 */
export class CliError extends Error {
  override readonly name = 'CliError';
}

/**
 * Parses a sub-command's arguments with `node:util` `parseArgs` (strict: an unknown option is an error; file names
 * are positionals), turning its errors into a one-line {@link CliError} that points at the command's help.
 *
 * @example
 * const { values, positionals } = parseCommandArgs('classify', args, { month: { type: 'string' } });
 */
export function parseCommandArgs<const T extends ParseArgsOptionsConfig>(
  command: string,
  args: readonly string[],
  options: T,
) {
  try {
    return parseArgs({ args: [...args], options, strict: true, allowPositionals: true });
  } catch (e) {
    if (!isParseArgsError(e)) throw e;
    // its messages run on with advice about `--`; the first sentence says what is wrong
    const first = e.message.split(/\.\s|\n/)[0]!.replace(/\.$/, '');
    throw new CliError(`${first} (see gp2gp ${command} --help)`);
  }
}

/**
 * True for an error `parseArgs` throws on arguments it cannot take: a usage error whichever command raised it.
 *
 * @example
 * try { parseArgs({ args: ['--nope'], options: {} }) } catch (e) { isParseArgsError(e) } // true
 */
export function isParseArgsError(e: unknown): e is Error & { code: string } {
  const code = (e as { code?: unknown } | null)?.code;
  return e instanceof Error && typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_');
}
