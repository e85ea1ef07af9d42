import { readFileSync } from 'node:fs';
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { spineAgent } from '../spine/index.ts';
import { openStore } from '../store/index.ts';
import {
  type EnginePractice,
  GpConnectSource,
  type RecordSourceChoice,
  spineUrls,
  TransferEngine,
} from '../transfer/index.ts';
import { CliError, type Command } from './command.ts';
import { enginePractices, odsCodes } from './practice-options.ts';

const USAGE = `Usage: gp2gp practice --ods CODE[,CODE…] [options]

Runs a transfer engine for those practices until SIGINT or SIGTERM: their MHS endpoints, the requesting and
sending state machines, large messages and timers. Any number of engine processes may share one PostgreSQL
(--database-url), each hosting any practices; work is shared out through the database.

Options:
  --ods CODES          practices to host (comma-separated ODS codes, each in SDS)
  --spine URL          Spine (default https://127.0.0.1:8443)
  --certs DIR          the practices' certificates: <ODS>.key.pem, <ODS>.cert.pem, ca.cert.pem
                       (default .data/spine/certs, where \`gp2gp spine\` makes them)
  --data-dir DIR       embedded database and documents (default .data/practices)
  --database-url URL   PostgreSQL instead (default DATABASE_URL when set); documents then go in the database
  --documents-dir DIR  keep documents in this folder instead (shared storage when engines share PostgreSQL)
  --host HOST          address the MHS endpoints listen on (default 127.0.0.1; each on a free port)
  --no-register        do not tell Spine the endpoints' addresses (a real Spine has them in SDS)
  --records SOURCE     where the practices send records from: builtin (default, the engine's own store) or a
                       GP Connect provider's FHIR base, {ods} standing for the practice's ODS code, e.g.
                       https://gpc.example.nhs.uk/{ods}/STU3/1/gpconnect/fhir (without {ods}, /{ods}/STU3/1/
                       gpconnect/fhir is added); over https each practice presents its certificate (--certs)
  --records-for CODES  only these practices use --records (default: every practice hosted)
  --records-documents URL  the provider's Access Document base, for relative Binary references
                       (default: the --records base)
  --records-ca FILE    CA the provider's certificate is checked against (default: ca.cert.pem in --certs)
  --json               one JSON line per transfer state change on stdout`;

/** `gp2gp practice`: a transfer engine process for some practices. */
export const practiceCommand: Command = {
  summary: 'Run a transfer engine (both practice roles, large messages, timers) for the given practices',
  usage: USAGE,
  async run(args) {
    const { values } = parseArgs({
      args: [...args],
      options: {
        ods: { type: 'string' },
        spine: { type: 'string' },
        certs: { type: 'string' },
        'data-dir': { type: 'string' },
        'database-url': { type: 'string' },
        'documents-dir': { type: 'string' },
        host: { type: 'string' },
        'no-register': { type: 'boolean' },
        json: { type: 'boolean' },
        records: { type: 'string' },
        'records-for': { type: 'string' },
        'records-documents': { type: 'string' },
        'records-ca': { type: 'string' },
      },
      strict: true,
      allowPositionals: false,
    });
    const { practices, spineBase, certs } = enginePractices(values, 'practice');
    const databaseUrl = values['database-url'] ?? process.env.DATABASE_URL;
    const store = await openStore({
      dataDir: resolve(values['data-dir'] ?? '.data/practices'),
      ...(values['documents-dir'] ? { documentsDir: resolve(values['documents-dir']) } : {}),
      ...(databaseUrl
        ? { database: { kind: 'postgres' as const, url: databaseUrl } }
        : { database: { kind: 'pglite' as const } }),
    });
    const urls = spineUrls(spineBase);
    const records = gpConnectRecords(values, practices, certs);
    let engine: TransferEngine;
    try {
      engine = await TransferEngine.start({
        store,
        spine: urls,
        practices,
        ...(records ? { records: records.choice } : {}),
        ...(values.host ? { host: values.host } : {}),
        ...(values['no-register']
          ? {}
          : { registerEndpoint: (p, url) => registerEndpoint(spineBase, p, url) }),
      });
    } catch (e) {
      records?.close();
      await store.close();
      throw e;
    }
    engine.on('transition', (t) => {
      const line = values.json
        ? JSON.stringify({ at: new Date().toISOString(), ...t })
        : `${t.practiceOds} ${t.role} ${t.transferId}: ${t.from ?? 'new'} → ${t.to}`;
      process.stdout.write(`${line}\n`);
    });
    if (!values.json) {
      for (const [ods, endpoint] of engine.endpoints)
        process.stdout.write(`${ods} MHS endpoint ${endpoint.url}\n`);
      process.stdout.write(`engine running on ${store.kind}; stop with Ctrl-C (SIGINT) or SIGTERM\n`);
    }
    await new Promise<void>((done) => {
      process.once('SIGINT', () => done());
      process.once('SIGTERM', () => done());
    });
    await engine.stop();
    records?.close();
    await store.close();
    return 0;
  },
};

/**
 * The GP Connect record sources `--records` asks for: a choice for the engine (one source per practice, each
 * with its own certificate over https), and a way to close their connection pools. Undefined for `builtin`.
 */
export function gpConnectRecords(
  values: {
    records?: string | undefined;
    'records-for'?: string | undefined;
    'records-documents'?: string | undefined;
    'records-ca'?: string | undefined;
  },
  practices: readonly EnginePractice[],
  certs: string,
): { choice: RecordSourceChoice; close: () => void } | undefined {
  const records = values.records ?? 'builtin';
  if (records === 'builtin') return undefined;
  let base: URL;
  try {
    base = new URL(records.replaceAll('{ods}', 'ODS'));
  } catch {
    throw new CliError(`--records: "${records}" is neither builtin nor a URL`);
  }
  if (base.protocol !== 'https:' && base.protocol !== 'http:')
    throw new CliError('--records: a GP Connect provider is reached over http(s)');
  const url = records.includes('{ods}')
    ? records
    : `${records.replace(/\/+$/, '')}/{ods}/STU3/1/gpconnect/fhir`;
  const hosted = new Set(practices.map((p) => p.ods));
  const only =
    values['records-for'] === undefined ? undefined : odsCodes(values['records-for'], '--records-for');
  const stranger = only?.find((c) => !hosted.has(c));
  if (stranger) throw new CliError(`--records-for: ${stranger} is not one of the --ods practices`);
  const using = new Set(only ?? hosted);
  const https = base.protocol === 'https:';
  const ca = https ? readCa(values['records-ca'] ?? join(certs, 'ca.cert.pem')) : undefined;
  const identities = new Map(practices.map((p) => [p.ods, p.identity]));
  const agents: (HttpAgent | HttpsAgent)[] = [];
  const choice: RecordSourceChoice = (practice, endpointUrl) => {
    if (!using.has(practice.ods)) return undefined;
    const identity = identities.get(practice.ods);
    const agent =
      https && ca
        ? new HttpsAgent({
            keepAlive: true,
            ca,
            ...(identity ? { key: identity.keyPem, cert: identity.certPem } : {}),
            minVersion: 'TLSv1.2',
          })
        : new HttpAgent({ keepAlive: true });
    agents.push(agent);
    return new GpConnectSource({
      url,
      ...(values['records-documents'] ? { documentsUrl: values['records-documents'] } : {}),
      consumer: {
        ods: practice.ods,
        asid: practice.asid,
        name: practice.name,
        ...(endpointUrl ? { endpointUrl } : {}),
      },
      agent,
    });
  };
  return {
    choice,
    close: () => {
      for (const a of agents) a.destroy();
    },
  };
}

function readCa(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    throw new CliError(`--records-ca: cannot read ${file}`);
  }
}

/** Tells the simulator where the practice's endpoint is, as the practice itself (its own certificate). */
async function registerEndpoint(spineBase: string, practice: EnginePractice, url: string): Promise<void> {
  const agent = spineAgent(practice.identity);
  try {
    const target = new URL(`/_admin/practices/${practice.ods}/endpoint`, spineBase);
    const request = target.protocol === 'https:' ? httpsRequest : httpRequest;
    await new Promise<void>((done, fail) => {
      const body = JSON.stringify({ endpoint: url });
      const req = request(
        target,
        { method: 'PUT', agent, headers: { 'content-type': 'application/json' } },
        (res: IncomingMessage) => {
          res.resume();
          res.on('end', () =>
            res.statusCode === 200
              ? done()
              : fail(new Error(`Spine refused ${practice.ods}'s endpoint (${res.statusCode})`)),
          );
        },
      );
      req.on('error', fail);
      req.end(body);
    });
  } finally {
    agent.destroy();
  }
}
