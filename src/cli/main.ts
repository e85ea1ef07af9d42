import { InputError } from '../common/input-error.ts';
import type { Command, ExitCode } from './command.ts';
import { CliError, isParseArgsError } from './command.ts';

/** Sub-commands, loaded lazily so `gp2gp inspect` never pays for the web server or database. */
const COMMANDS: Readonly<Record<string, () => Promise<Command>>> = {
  classify: async () => (await import('./classify.ts')).classifyCommand,
  demo: async () => (await import('./demo.ts')).demoCommand,
  inspect: async () => (await import('./inspect.ts')).inspectCommand,
  practice: async () => (await import('./practice.ts')).practiceCommand,
  simulate: async () => (await import('./simulate.ts')).simulateCommand,
  spine: async () => (await import('./spine.ts')).spineCommand,
  translate: async () => (await import('./translate.ts')).translateCommand,
  web: async () => (await import('./web.ts')).webCommand,
};

async function help(): Promise<string> {
  // Only help pays for loading every command, to show what each one does.
  const names = Object.keys(COMMANDS);
  const commands = await Promise.all(names.map((n) => COMMANDS[n]!()));
  const width = Math.max(...names.map((n) => n.length));
  return [
    'gp2gp: GP2GP electronic health record transfer (HL7v3 over Spine ebXML)',
    '',
    'Usage: gp2gp COMMAND [options]',
    '',
    'Commands:',
    ...names.map((n, i) => `  ${n.padEnd(width)}  ${commands[i]!.summary}`),
    '',
    "Run `gp2gp COMMAND --help` for a command's options.",
  ].join('\n');
}

/** Runs the CLI with the given arguments and returns the process exit code. */
export async function main(argv: readonly string[]): Promise<ExitCode> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    process.stderr.write(`${await help()}\n`);
    return 2;
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${await help()}\n`);
    return 0;
  }
  const load = COMMANDS[name];
  if (!load) {
    process.stderr.write(`gp2gp: unknown command "${name}" (see gp2gp --help)\n`);
    return 2;
  }
  const command = await load();
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(`${command.summary}\n\n${command.usage}\n`);
    return 0;
  }
  try {
    return await command.run(rest);
  } catch (e) {
    // Every failure reaches the user as one line: a stack trace is no use to a practice.
    const message = e instanceof Error ? e.message : String(e);
    process.stderr.write(`gp2gp ${name}: ${message.split('\n')[0]}\n`);
    return e instanceof CliError || e instanceof InputError || isParseArgsError(e) ? 2 : 1;
  }
}

if (import.meta.main) {
  process.exitCode = await main(process.argv.slice(2));
}
