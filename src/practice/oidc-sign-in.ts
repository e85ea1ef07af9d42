import { eq, lt } from 'drizzle-orm';
import * as oidc from 'openid-client';
import type { Clock } from '../common/clock.ts';
import { type Database, schema } from '../store/index.ts';
import { accountBySubject, type StaffMember } from './accounts.ts';

const { oidcSignIns } = schema;

/** An OpenID Connect provider to sign staff in with: NHS Care Identity Service (Smartcard) in production. */
export interface OidcSettings {
  /** The issuer (its discovery document is at `/.well-known/openid-configuration`). */
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** The app's callback URL, as registered with the provider (default: the app's own `/sign-in/smartcard/callback`). */
  readonly redirectUri?: string;
  /** Default `openid profile`. */
  readonly scope?: string;
  /** Allow an `http:` issuer (a local provider in development and tests only). */
  readonly allowHttp?: boolean;
}

/** The outcome of a callback: a member signed in, or why not (fit to show on the sign-in page). */
export type OidcOutcome =
  | { readonly kind: 'signed-in'; readonly member: StaffMember; readonly subject: string }
  | { readonly kind: 'refused'; readonly message: string; readonly subject?: string };

const PENDING_MS = 10 * 60_000;

/**
 * Sign-in through an OpenID Connect provider: authorization code flow with PKCE, state and nonce kept in the
 * database between the redirect and the callback. The provider's subject must belong to an enabled staff
 * account: the provider proves who someone is, the practice decides what they may do.
 *
 * @example
 * const signIn = await OidcSignIn.discover(db, clock, settings);
 * reply.redirect(await signIn.begin());
 * const r = await signIn.complete(new URLSearchParams(req.query));
 */
export class OidcSignIn {
  private readonly db: Database;
  private readonly clock: Clock;
  private readonly config: oidc.Configuration;
  private readonly settings: OidcSettings & { readonly redirectUri: string };

  private constructor(
    db: Database,
    clock: Clock,
    config: oidc.Configuration,
    settings: OidcSettings & { readonly redirectUri: string },
  ) {
    this.db = db;
    this.clock = clock;
    this.config = config;
    this.settings = settings;
  }

  /** Reads the provider's discovery document. */
  static async discover(
    db: Database,
    clock: Clock,
    settings: OidcSettings & { readonly redirectUri: string },
  ): Promise<OidcSignIn> {
    const config = await oidc.discovery(
      new URL(settings.issuer),
      settings.clientId,
      undefined,
      oidc.ClientSecretPost(settings.clientSecret),
      settings.allowHttp ? { execute: [oidc.allowInsecureRequests] } : undefined,
    );
    return new OidcSignIn(db, clock, config, settings);
  }

  /** Starts a sign-in: the provider URL to redirect to. */
  async begin(): Promise<URL> {
    const codeVerifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const now = this.clock.now();
    await this.db.delete(oidcSignIns).where(lt(oidcSignIns.createdAt, new Date(now - PENDING_MS)));
    await this.db.insert(oidcSignIns).values({ state, nonce, codeVerifier, createdAt: new Date(now) });
    return oidc.buildAuthorizationUrl(this.config, {
      redirect_uri: this.settings.redirectUri,
      scope: this.settings.scope ?? 'openid profile',
      code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });
  }

  /** Completes a sign-in from the callback's query (the code and state the provider sent back). */
  async complete(query: URLSearchParams): Promise<OidcOutcome> {
    // The token request names the registered callback, whatever host or proxy the request came through.
    const callback = new URL(this.settings.redirectUri);
    callback.search = query.toString();
    const state = query.get('state');
    const error = query.get('error');
    if (error) return { kind: 'refused', message: `The identity service said: ${error}` };
    if (!state) return { kind: 'refused', message: 'The sign-in came back without its state: start again.' };
    const [pending] = await this.db.delete(oidcSignIns).where(eq(oidcSignIns.state, state)).returning();
    if (!pending || this.clock.now() - pending.createdAt.getTime() > PENDING_MS)
      return { kind: 'refused', message: 'That sign-in has expired or was already used: start again.' };
    let subject: string;
    try {
      const tokens = await oidc.authorizationCodeGrant(this.config, callback, {
        pkceCodeVerifier: pending.codeVerifier,
        expectedState: state,
        expectedNonce: pending.nonce,
      });
      const claims = tokens.claims();
      if (!claims?.sub) return { kind: 'refused', message: 'The identity service gave no subject.' };
      subject = claims.sub;
    } catch (e) {
      return {
        kind: 'refused',
        message: `The identity service’s answer was refused: ${(e as Error).message}`,
      };
    }
    const member = await accountBySubject(this.db, subject);
    if (!member)
      return {
        kind: 'refused',
        subject,
        message:
          'Your Smartcard identity is not linked to an account at this practice: ask your practice manager.',
      };
    return { kind: 'signed-in', member, subject };
  }
}
