/**
 * Makes the README's screenshots: a small network with records in every state, each main page in Chromium.
 *
 *   node src/web/testing/screenshots.ts docs/screenshots
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import type { Role } from '../../practice/roles.ts';
import { browserSkipReason, startBrowser } from './browser.ts';
import { movingPatient, startWebNetwork, TEST_PASSWORD } from './web-network.ts';

const out = resolve(process.argv[2] ?? 'docs/screenshots');
const skip = browserSkipReason();
if (skip) throw new Error(skip);
mkdirSync(out, { recursive: true });
const A = 'TESTA1';
const B = 'TESTB2';
const w = await startWebNetwork();
const browser = await startBrowser();
try {
  const request = async (n: number) => {
    const nhs = await movingPatient(w, n);
    const r = await w.net.engine.commands.requestRecord({ practiceOds: A, nhsNumber: nhs, actor: 'clerk' });
    if (r.kind !== 'requested') throw new Error(r.kind);
    await w.net.engine.settled();
    return r.transfer.id;
  };
  // Received over a week: the oldest are past the 3 working days.
  const ids = [await request(701), await request(702)];
  await w.net.clock.advance(2 * 86_400_000);
  ids.push(await request(703));
  await w.net.clock.advance(2 * 86_400_000);
  ids.push(await request(704), await request(705));
  await w.net.clock.advance(3 * 3_600_000);
  const clinician = await w.signIn(A, 'clinician');
  await clinician.post(`/incoming/${ids[3]}/integrate`, {});
  await clinician.post(`/incoming/${ids[4]}/reject`, { reason: 'failed-to-integrate' });
  await w.net.engine.settled();

  const shot = async (
    ods: string,
    role: Role,
    path: string,
    name: string,
    act?: (p: Page) => Promise<void>,
  ) => {
    await browser.context.clearCookies();
    const page = await browser.newPage();
    await page.goto(`${w.app.url}/sign-in`);
    await page.getByLabel('User name').fill(w.username(ods, role));
    await page.getByLabel('Password', { exact: true }).fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${w.app.url}/`);
    await page.goto(`${w.app.url}${path}`);
    await act?.(page);
    await page.screenshot({ path: join(out, `${name}.png`), fullPage: true });
    await page.close();
  };
  const signIn = await browser.newPage();
  await signIn.goto(`${w.app.url}/sign-in`);
  await signIn.screenshot({ path: join(out, 'sign-in.png') });
  await signIn.close();
  await shot(A, 'clinician', '/', 'home');
  await shot(A, 'registration-clerk', '/register', 'register-check', async (p) => {
    const nhs = await movingPatient(w, 706);
    await p.getByLabel('NHS number (if the patient knows it)').fill(nhs);
    await p.getByLabel('Last name').fill('Testpatient');
    await p.getByLabel('First name').fill('Ada');
    await p.getByLabel('Day').fill('1');
    await p.getByLabel('Month').fill('1');
    await p.getByLabel('Year').fill('1980');
    await p.getByLabel('Female').check();
    await p.getByLabel('Postcode').fill('LS2 7UE');
    await p.getByRole('button', { name: 'Search PDS' }).click();
    await p.getByRole('heading', { name: 'Check this is the right patient' }).waitFor();
  });
  await shot(A, 'registration-clerk', '/register', 'register-errors', async (p) => {
    await p.getByLabel('NHS number (if the patient knows it)').fill('999 000 0019');
    await p.getByRole('button', { name: 'Search PDS' }).click();
    await p.locator('.nhsuk-error-summary').waitFor();
  });
  await shot(A, 'clinician', '/incoming', 'incoming');
  await shot(A, 'clinician', `/incoming/${ids[0]}`, 'record');
  await shot(A, 'clinician', '/degrades', 'degrades');
  await shot(A, 'clinician', '/medication', 'medication');
  await shot(B, 'registration-clerk', '/outgoing', 'outgoing');
  await shot(A, 'registration-clerk', '/support', 'support');
  await shot(A, 'practice-manager', '/audit', 'audit');
  process.stdout.write(`screenshots in ${out}\n`);
} finally {
  await browser.close();
  await w.stop();
}
