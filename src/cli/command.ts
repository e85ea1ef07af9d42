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
