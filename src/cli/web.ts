import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { openStore } from '../store/index.ts';
import { spineUrls, TransferEngine } from '../transfer/index.ts';
import { startWebApp } from '../web/server.ts';
import { CliError, type Command } from './command.ts';
import { enginePractices } from './practice-options.ts';

const USAGE = `Usage: gp2gp web --ods CODE[,CODE…] [options]

Runs the practice web app for those practices beside \`gp2gp practice\` engines: registration, incoming and
outgoing records, degrades and medication worklists, the support directory and the audit trail. It uses the
engine's commands and queries only (no endpoints, no workers), so it shares the engines' database: give the same
--database-url (an embedded database can be opened by one process only).

Options:
  --ods CODES            practices staff may belong to (comma-separated ODS codes, each in SDS)
  --spine URL            Spine, for PDS and SDS (default https://127.0.0.1:8443)
  --certs DIR            the practices' certificates (default .data/spine/certs)
  --data-dir DIR         embedded database and documents (default .data/practices)
  --database-url URL     PostgreSQL (default DATABASE_URL when set)
  --host HOST            address to listen on (default 127.0.0.1)
  --port N               port (default 8080)
  --support FILE         the practice's support directory (default: the shipped example)
  --demo-accounts        create a local account per role per practice and print the sign-ins
  --oidc-issuer URL      Smartcard sign-in: the OpenID Connect issuer (NHS Care Identity Service)
  --oidc-client-id ID    …its client id
  --oidc-client-secret S …its client secret (default OIDC_CLIENT_SECRET)
  --public-url URL       the app's address as browsers see it (for the OpenID Connect callback)

Cookies are marked Secure unless the app listens on a loopback address over plain HTTP; anywhere else put it
behind a TLS-terminating proxy.`;

/** `gp2gp web`: the practice web app beside engine processes. */
export const webCommand: Command = {
  summary: 'Run the practice web app (registration, worklists, audit) beside gp2gp practice engines',
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
        host: { type: 'string' },
        port: { type: 'string' },
        support: { type: 'string' },
        'demo-accounts': { type: 'boolean' },
        'oidc-issuer': { type: 'string' },
        'oidc-client-id': { type: 'string' },
        'oidc-client-secret': { type: 'string' },
        'public-url': { type: 'string' },
      },
      strict: true,
      allowPositionals: false,
    });
    const port = Number(values.port ?? 8080);
    if (!Number.isInteger(port) || port < 0 || port > 65535)
      throw new CliError(`--port: "${values.port}" is not a port`);
    const host = values.host ?? '127.0.0.1';
    const publicUrl = values['public-url'] ?? `http://${host}:${port}`;
    const oidcSecret = values['oidc-client-secret'] ?? process.env.OIDC_CLIENT_SECRET;
    if (values['oidc-issuer'] && (!values['oidc-client-id'] || !oidcSecret))
      throw new CliError(
        '--oidc-issuer needs --oidc-client-id and --oidc-client-secret (or OIDC_CLIENT_SECRET)',
      );
    // Certificates are read last: a usage error is reported before a missing file.
    const { practices, spineBase } = enginePractices(values, 'web');
    const codes = practices.map((p) => p.ods);
    const databaseUrl = values['database-url'] ?? process.env.DATABASE_URL;
    const store = await openStore({
      dataDir: resolve(values['data-dir'] ?? '.data/practices'),
      database: databaseUrl ? { kind: 'postgres', url: databaseUrl } : { kind: 'pglite' },
    });
    let engine: TransferEngine | undefined;
    try {
      engine = await TransferEngine.start({ store, spine: spineUrls(spineBase), practices, serve: false });
      const app = await startWebApp({
        engine,
        store,
        host,
        port,
        secureCookies: !(isLoopback(host) && publicUrl.startsWith('http:')),
        ...(values.support ? { supportDirectory: resolve(values.support) } : {}),
        ...(values['oidc-issuer'] && values['oidc-client-id'] && oidcSecret
          ? {
              oidc: {
                issuer: values['oidc-issuer'],
                clientId: values['oidc-client-id'],
                clientSecret: oidcSecret,
                allowHttp: values['oidc-issuer'].startsWith('http:'),
              },
              publicUrl,
            }
          : {}),
      });
      process.stdout.write(`practice web app on ${app.url} (${store.kind})\n`);
      if (values['demo-accounts'])
        for (const s of await app.createDemoSignIns(codes))
          process.stdout.write(`  ${s.practiceOds} ${s.role}: ${s.username} / ${s.password}\n`);
      await new Promise<void>((done) => {
        process.once('SIGINT', () => done());
        process.once('SIGTERM', () => done());
      });
      await app.stop();
    } finally {
      await engine?.stop();
      await store.close();
    }
    return 0;
  },
};

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host.startsWith('127.');
}
