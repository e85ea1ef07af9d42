import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { createAccount } from '../practice/accounts.ts';
import { browserSkipReason, startBrowser, type TestBrowser } from './testing/browser.ts';
import { type LocalOidcProvider, startOidcProvider } from './testing/oidc-provider.ts';
import { startWebNetwork, type WebNetwork } from './testing/web-network.ts';

const skip = browserSkipReason();
if (skip) process.stdout.write(`# ${skip}\n`);

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((done) => s.listen(0, '127.0.0.1', done));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((done) => s.close(() => done()));
  return port;
}

describe('Smartcard sign-in through a real OpenID Connect provider', { skip: skip ?? false }, () => {
  let w: WebNetwork;
  let op: LocalOidcProvider;
  let browser: TestBrowser;

  before(async () => {
    const port = await freePort();
    const callback = `http://127.0.0.1:${port}/sign-in/smartcard/callback`;
    op = await startOidcProvider([callback]);
    w = await startWebNetwork({
      web: {
        port,
        oidc: { issuer: op.issuer, clientId: op.clientId, clientSecret: op.clientSecret, allowHttp: true },
      },
    });
    await createAccount(
      w.net.store.db,
      {
        practiceOds: 'TESTA1',
        displayName: 'Dr Smartcard',
        role: 'clinician',
        oidcSubject: 'cis2-555000111',
      },
      new Date(w.net.clock.now()),
    );
    browser = await startBrowser();
  });
  after(async () => {
    await browser?.close();
    await w?.stop();
    await op?.stop();
  });

  async function signInAs(subject: string) {
    await browser.context.clearCookies();
    const page = await browser.newPage();
    await page.goto(`${w.app.url}/sign-in`);
    await page.getByRole('link', { name: /Sign in with your Smartcard/ }).click();
    await page.locator('input[name="login"]').fill(subject);
    await page.locator('input[name="password"]').fill('any');
    await page.getByRole('button', { name: 'Sign-in' }).click();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL((u) => u.origin === w.app.url);
    return page;
  }

  test('a linked Smartcard identity signs in with the account’s practice and role', async () => {
    const page = await signInAs('cis2-555000111');
    assert.equal(new URL(page.url()).pathname, '/');
    assert.match((await page.locator('header').textContent()) ?? '', /Dr Smartcard[\s\S]*Clinician/);
    await page.goto(`${w.app.url}/medication`);
    assert.match((await page.locator('h1').textContent()) ?? '', /Medication to review/);
  });

  test('an identity linked to no account is refused with whom to ask, and nobody is signed in', async () => {
    const page = await signInAs('cis2-unknown');
    assert.equal(new URL(page.url()).pathname, '/sign-in/smartcard/callback');
    assert.match(
      (await page.locator('.nhsuk-error-summary').textContent()) ?? '',
      /not linked to an account/,
    );
    await page.goto(`${w.app.url}/`);
    assert.equal(new URL(page.url()).pathname, '/sign-in');
  });

  test('a callback with a state that was never issued is refused', async () => {
    await browser.context.clearCookies();
    const page = await browser.newPage();
    await page.goto(`${w.app.url}/sign-in/smartcard/callback?code=forged&state=forged`);
    assert.match(
      (await page.locator('.nhsuk-error-summary').textContent()) ?? '',
      /expired or was already used/,
    );
  });
});
