import { parseArgs } from 'node:util';
import { runSimulation } from '../src/demo/simulate.ts';

/**
 * `gp2gp simulate`'s run with the timings its contract output leaves out: prints the report plus the run's
 * duration (first registration to last transfer's end) and the seeding time, as one JSON line, for
 * `npm run bench`. Usage: node bench/simulate-e2e.ts --patients 200 [--database-url URL --engines 2]
 */
const { values } = parseArgs({
  options: {
    patients: { type: 'string', default: '200' },
    concurrency: { type: 'string' },
    'database-url': { type: 'string' },
    engines: { type: 'string' },
  },
});
const result = await runSimulation({
  patients: Number(values.patients),
  ...(values.concurrency ? { concurrency: Number(values.concurrency) } : {}),
  ...(values['database-url'] ? { databaseUrl: values['database-url'] } : {}),
  ...(values.engines ? { engines: Number(values.engines) } : {}),
});
process.stdout.write(
  `${JSON.stringify({
    ...result.report,
    duration_ms: Math.round(result.elapsedMs),
    seed_ms: Math.round(result.seedMs),
    database: result.database,
    engines: result.engines,
    problems: result.problems,
  })}\n`,
);
