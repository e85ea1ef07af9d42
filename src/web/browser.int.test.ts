import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import type { Role } from '../practice/roles.ts';
import { browserSkipReason, seriousViolations, startBrowser, type TestBrowser } from './testing/browser.ts';
import { movingPatient, startWebNetwork, TEST_PASSWORD, type WebNetwork } from './testing/web-network.ts';

const A = 'TESTA1';
const B = 'TESTB2';
const skip = browserSkipReason();
if (skip) process.stdout.write(`# ${skip}\n`);
/** Set GP2GP_SCREENSHOTS to a folder to save the main pages there (docs/screenshots is made this way). */
const SHOTS = process.env.GP2GP_SCREENSHOTS;

describe('the practice web app in Chromium', { skip: skip ?? false }, () => {
  let w: WebNetwork;
  let browser: TestBrowser;
  const audited = new Map<string, string>();

  before(async () => {
    w = await startWebNetwork();
    browser = await startBrowser();
    if (SHOTS) mkdirSync(SHOTS, { recursive: true });
  });
  after(async () => {
    await browser?.close();
    await w?.stop();
  });

  /** A fresh page signed in as a role (each role gets its own cookie jar through its own context page). */
  async function signedIn(ods: string, role: Role): Promise<Page> {
    await browser.context.clearCookies();
    const page = await browser.newPage();
    await page.goto(`${w.app.url}/sign-in`);
    await check(page, 'sign-in');
    await page.getByLabel('User name').fill(w.username(ods, role));
    await page.getByLabel('Password', { exact: true }).fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${w.app.url}/`);
    return page;
  }

  /** Runs axe on the page (once per page name) and saves a screenshot when asked. */
  async function check(page: Page, name: string): Promise<void> {
    if (SHOTS) await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
    if (audited.has(name)) return;
    const violations = await seriousViolations(page);
    audited.set(name, page.url());
    assert.deepEqual(violations, [], `${name} (${page.url()}) has serious accessibility violations`);
  }

  test('registration → transfer → integration → degrade and medication work → audit entry', async () => {
    const nhs = await movingPatient(w, 601);
    const clerk = await signedIn(A, 'registration-clerk');
    await check(clerk, 'home-clerk');
    await clerk.getByRole('link', { name: 'Register', exact: true }).first().click();
    await check(clerk, 'register');
    await clerk.getByRole('button', { name: 'Search PDS' }).click();
    await clerk.getByRole('alert').first().waitFor();
    await check(clerk, 'register-errors');
    assert.match(
      (await clerk.locator('.nhsuk-error-summary').textContent()) ?? '',
      /Enter the patient’s last name/,
    );
    await clerk.getByLabel('NHS number (if the patient knows it)').fill(nhs);
    await clerk.getByLabel('Last name').fill('Testpatient');
    await clerk.getByLabel('First name').fill('Ada');
    await clerk.getByLabel('Day').fill('1');
    await clerk.getByLabel('Month').fill('1');
    await clerk.getByLabel('Year').fill('1980');
    await clerk.getByLabel('Female').check();
    await clerk.getByLabel('Postcode').fill('ls1 4ap');
    await clerk.getByRole('button', { name: 'Search PDS' }).click();
    await clerk.getByRole('heading', { name: 'Check this is the right patient' }).waitFor();
    await check(clerk, 'register-check');
    await clerk.getByLabel(/I have checked these details/).check();
    await clerk.getByRole('button', { name: 'Register and request record' }).click();
    await clerk.getByText('Patient registered').first().waitFor();
    await check(clerk, 'register-done');
    await w.net.engine.settled();

    const clinician = await signedIn(A, 'clinician');
    await check(clinician, 'home-clinician');
    await clinician.goto(`${w.app.url}/incoming`);
    await check(clinician, 'incoming');
    await clinician.getByRole('link', { name: nhs.replace(/(\d{3})(\d{3})(\d{4})/, '$1 $2 $3') }).click();
    await clinician.getByRole('heading', { name: 'Decide' }).waitFor();
    await check(clinician, 'record');
    await clinician.getByRole('button', { name: 'Integrate record' }).click();
    await clinician.getByText('Integrated').first().waitFor();
    await w.net.engine.settled();

    await clinician.goto(`${w.app.url}/degrades`);
    await check(clinician, 'degrades');
    const degraded = clinician.locator('.nhsuk-card', { hasText: 'Local only finding' }).first();
    await degraded.getByLabel('Keep as degraded').check();
    await degraded.getByRole('button', { name: 'Record decision' }).click();
    await clinician.getByText('Decision recorded: keep').waitFor();

    await clinician.goto(`${w.app.url}/medication`);
    await check(clinician, 'medication');
    const med = clinician.locator('.nhsuk-card', { hasText: 'Paracetamol' }).first();
    await med.getByLabel('End', { exact: true }).check();
    await med.getByRole('button', { name: 'Record decision' }).click();
    await clinician.getByText('Enter why the medication is ended').first().waitFor();
    await check(clinician, 'medication-error');
    const again = clinician.locator('.nhsuk-card', { hasText: 'Paracetamol' }).first();
    await again.getByLabel('Authorise as a new repeat').check();
    await again.getByRole('button', { name: 'Record decision' }).click();
    await clinician.getByText('Decision recorded: authorise').waitFor();

    const manager = await signedIn(A, 'practice-manager');
    await manager.goto(`${w.app.url}/audit`);
    await manager.getByLabel('NHS number').fill(nhs);
    await manager.getByRole('button', { name: 'Search' }).click();
    await manager.locator('#audit-table').waitFor();
    await check(manager, 'audit');
    const trail = (await manager.locator('#audit-table').textContent()) ?? '';
    for (const action of ['register', 'view-record', 'integrate', 'degrade-decision', 'medication-decision'])
      assert.match(trail, new RegExp(action), `${action} is audited`);
    await manager.goto(`${w.app.url}/calendar`);
    await check(manager, 'calendar');
  });

  test('a rejected transfer → the sender’s print task → envelope posted', async () => {
    const nhs = await movingPatient(w, 602);
    const outcome = await w.net.engine.commands.requestRecord({
      practiceOds: A,
      nhsNumber: nhs,
      actor: 'setup',
    });
    assert.equal(outcome.kind, 'requested');
    await w.net.engine.settled();
    const summariser = await signedIn(A, 'summariser');
    await summariser.goto(`${w.app.url}/incoming`);
    await summariser.getByRole('link', { name: nhs.replace(/(\d{3})(\d{3})(\d{4})/, '$1 $2 $3') }).click();
    await summariser.getByRole('button', { name: 'Reject record' }).click();
    await summariser.getByText('Select why the record is rejected').first().waitFor();
    await check(summariser, 'record-reject-error');
    await summariser.getByLabel(/Wrong patient/).check();
    await summariser.getByRole('button', { name: 'Reject record' }).click();
    await summariser.getByText('Rejected').first().waitFor();
    await w.net.engine.settled();

    const sender = await signedIn(B, 'registration-clerk');
    await sender.goto(`${w.app.url}/outgoing`);
    await check(sender, 'outgoing');
    const card = sender.locator('.nhsuk-card', { hasText: nhs.replace(/(\d{3})(\d{3})(\d{4})/, '$1 $2 $3') });
    assert.match((await card.textContent()) ?? '', /Print the whole record/);
    await card.getByRole('button', { name: /Printed/ }).click();
    await sender.getByText('Print task recorded as done.').waitFor();
    await sender
      .locator('.nhsuk-card', { hasText: nhs.replace(/(\d{3})(\d{3})(\d{4})/, '$1 $2 $3') })
      .getByRole('button', { name: /Lloyd George envelope posted/ })
      .click();
    await sender.getByText('Lloyd George envelope recorded as posted.').waitFor();
    assert.equal(
      await sender
        .locator('.nhsuk-card', { hasText: nhs.replace(/(\d{3})(\d{3})(\d{4})/, '$1 $2 $3') })
        .count(),
      0,
    );
  });

  test('every other page passes the accessibility check, and refusals are pages too', async () => {
    const clerk = await signedIn(A, 'registration-clerk');
    for (const [path, name] of [
      ['/support', 'support'],
      ['/incoming?view=in-progress', 'incoming-in-progress'],
      ['/incoming?view=ended', 'incoming-ended'],
      ['/outgoing', 'outgoing-clerk'],
      ['/audit', 'forbidden'],
      ['/no-such-page', 'not-found'],
    ] as const) {
      await clerk.goto(`${w.app.url}${path}`);
      await check(clerk, name);
    }
    for (const page of [
      'sign-in',
      'home-clerk',
      'register',
      'register-errors',
      'register-check',
      'register-done',
      'incoming',
      'record',
      'degrades',
      'medication',
      'audit',
      'calendar',
      'outgoing',
      'support',
      'forbidden',
      'not-found',
    ])
      assert.ok(audited.has(page), `${page} was checked`);
  });
});
