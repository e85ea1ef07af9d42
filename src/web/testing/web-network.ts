import { syntheticNhsNumber } from '../../common/nhs-number.ts';
import { ROLES, type Role } from '../../practice/roles.ts';
import type { PdsPatientRecord } from '../../spine/index.ts';
import {
  startTransferNetwork,
  type TransferNetwork,
  type TransferNetworkOptions,
  testPatient,
} from '../../transfer/testing/transfer-network.ts';
import { startWebApp, type WebApp, type WebAppOptions } from '../server.ts';

/** The password every test account has. */
export const TEST_PASSWORD = 'correct-horse-battery-staple';

/** A transfer network with the web app in front of it, and a local account per role at each practice. */
export interface WebNetwork {
  readonly net: TransferNetwork;
  readonly app: WebApp;
  /** `testa1-clinician` and so on. */
  username(ods: string, role: Role): string;
  /** An HTTP client signed in as that role at that practice. */
  signIn(ods: string, role: Role): Promise<WebClient>;
  stop(): Promise<void>;
}

/** A small cookie-keeping HTTP client for the app (no redirects followed, so tests see them). */
export class WebClient {
  readonly base: string;
  private readonly cookies = new Map<string, string>();
  /** The session's CSRF token, read from the last page that carried it. */
  csrf = '';

  constructor(base: string) {
    this.base = base;
  }

  /** GETs a path. */
  get(path: string, headers: Record<string, string> = {}): Promise<WebResponse> {
    return this.request('GET', path, undefined, headers);
  }

  /** POSTs a form; the session's CSRF token is added unless the form gives its own `_csrf`. */
  post(
    path: string,
    form: Record<string, string>,
    headers: Record<string, string> = {},
  ): Promise<WebResponse> {
    const body = new URLSearchParams({ _csrf: this.csrf, ...form }).toString();
    return this.request('POST', path, body, {
      'content-type': 'application/x-www-form-urlencoded',
      ...headers,
    });
  }

  private async request(
    method: string,
    path: string,
    body: string | undefined,
    headers: Record<string, string>,
  ): Promise<WebResponse> {
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await fetch(this.base + path, {
      method,
      redirect: 'manual',
      headers: { ...(cookie ? { cookie } : {}), origin: this.base, ...headers },
      ...(body === undefined ? {} : { body }),
    });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq);
      const value = pair!.slice(eq + 1);
      if (value === '' || /Expires=Thu, 01 Jan 1970/i.test(c)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const html = await res.text();
    const token = /sign-out\?csrf=([\w-]+)/.exec(html)?.[1];
    if (token) this.csrf = token;
    return {
      status: res.status,
      html,
      location: res.headers.get('location') ?? undefined,
      headers: res.headers,
    };
  }

  /** Signs in with a local account; throws unless the app redirects to a page. */
  async signIn(username: string, password = TEST_PASSWORD): Promise<void> {
    const form = await this.get('/sign-in');
    const token = /name="_csrf" value="([\w-]+)"/.exec(form.html)?.[1] ?? '';
    const r = await this.post('/sign-in', { _csrf: token, username, password });
    if (r.status !== 303) throw new Error(`sign-in as ${username} gave ${r.status}`);
    await this.get('/');
  }
}

/** What the app answered. */
export interface WebResponse {
  readonly status: number;
  readonly html: string;
  readonly location: string | undefined;
  readonly headers: Headers;
}

/**
 * Starts a transfer network (Spine simulator, engine, practices TESTA1, TESTB2, TESTC3) and the web app over
 * it, on the network's manual clock, with an account for every role at every practice.
 *
 * @example
 * const w = await startWebNetwork({ patients: [testPatient(nhs, 'TESTB2')] });
 * const clerk = await w.signIn('TESTA1', 'registration-clerk');
 */
export async function startWebNetwork(
  options: TransferNetworkOptions & { web?: Partial<WebAppOptions> } = {},
): Promise<WebNetwork> {
  const net = await startTransferNetwork(options);
  const practices = ['TESTA1', 'TESTB2', 'TESTC3'];
  const username = (ods: string, role: Role) => `${ods}-${role}`.toLowerCase();
  let app: WebApp;
  try {
    app = await startWebApp({
      engine: net.engine,
      store: net.store,
      clock: net.clock,
      secureCookies: false,
      accounts: practices.flatMap((ods) =>
        ROLES.map((role) => ({
          practiceOds: ods,
          role,
          username: username(ods, role),
          password: TEST_PASSWORD,
          displayName: `${role} at ${ods}`,
        })),
      ),
      ...options.web,
    });
  } catch (e) {
    await net.stop();
    throw e;
  }
  return {
    net,
    app,
    username,
    async signIn(ods, role) {
      const client = new WebClient(app.url);
      await client.signIn(username(ods, role));
      return client;
    },
    async stop() {
      await app.stop();
      await net.stop();
    },
  };
}

/** A patient registered at TESTB2 on PDS, with a record there, for TESTA1 to register. */
export async function movingPatient(
  w: WebNetwork,
  n: number,
  extra: Partial<PdsPatientRecord> = {},
): Promise<string> {
  const nhs = syntheticNhsNumber(n);
  w.net.spine.pds.load([testPatient(nhs, 'TESTB2', extra)]);
  await w.net.seedRecord('TESTB2', nhs, [2_000]);
  return nhs;
}
