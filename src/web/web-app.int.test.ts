import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'drizzle-orm';
import type { MedicationRequest } from 'fhir/r3.js';
import { syntheticNhsNumber } from '../common/nhs-number.ts';
import { schema } from '../store/index.ts';
import { testPatient } from '../transfer/testing/transfer-network.ts';
import {
  movingPatient,
  startWebNetwork,
  TEST_PASSWORD,
  WebClient,
  type WebNetwork,
} from './testing/web-network.ts';

const A = 'TESTA1';
const B = 'TESTB2';

function traceForm(nhs: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    nhsNumber: nhs,
    family: 'Testpatient',
    given: 'Ada',
    'dob[day]': '1',
    'dob[month]': '1',
    'dob[year]': '1980',
    gender: 'female',
    postcode: 'LS1 4AP',
    ...extra,
  };
}

/** Registers a patient at A through the pages; returns the transfer id. */
async function register(w: WebNetwork, clerk: WebClient, nhs: string, extra: Record<string, string> = {}) {
  const traced = await clerk.post('/register', traceForm(nhs));
  assert.equal(traced.status, 200, traced.html);
  const done = await clerk.post('/register/confirm', {
    ...traceForm(nhs),
    tracedNhsNumber: nhs,
    confirm: 'yes',
    ...extra,
  });
  assert.equal(done.status, 200, done.html);
  const id = /href="\/incoming\/([0-9a-f-]{36})"/.exec(done.html)?.[1];
  assert.ok(id, 'the confirmation links to the transfer');
  await w.net.engine.settled();
  return id;
}

describe('practice web app over a transfer network', () => {
  let w: WebNetwork;
  before(async () => {
    w = await startWebNetwork();
  });
  after(async () => {
    await w?.stop();
  });

  test('nobody signed in is sent to sign in; a wrong password is refused with an error summary', async () => {
    const anonymous = new WebClient(w.app.url);
    const r = await anonymous.get('/incoming');
    assert.equal(r.status, 303);
    assert.equal(r.location, '/sign-in?next=%2Fincoming');
    const form = await anonymous.get('/sign-in');
    const token = /name="_csrf" value="([\w-]+)"/.exec(form.html)?.[1] ?? '';
    const wrong = await anonymous.post('/sign-in', {
      _csrf: token,
      username: w.username(A, 'clinician'),
      password: 'nope',
    });
    assert.equal(wrong.status, 401);
    assert.match(wrong.html, /nhsuk-error-summary/);
    assert.match(wrong.html, /The user name or password is not right/);
  });

  test('registration → transfer → integration → degrade and medication work → audit entries', async () => {
    const nhs = await movingPatient(w, 501);
    const clerk = await w.signIn(A, 'registration-clerk');
    const traced = await clerk.post('/register', traceForm(nhs));
    assert.match(traced.html, /Check this is the right patient/);
    assert.match(traced.html, /One chance/);
    const unconfirmed = await clerk.post('/register/confirm', { ...traceForm(nhs), tracedNhsNumber: nhs });
    assert.equal(unconfirmed.status, 400, 'the one-chance confirmation is required');
    assert.match(unconfirmed.html, /Confirm that you have checked/);
    const id = await register(w, clerk, nhs);

    const clinician = await w.signIn(A, 'clinician');
    const list = await clinician.get('/incoming');
    assert.match(list.html, new RegExp(`/incoming/${id}`), 'the received record is on the worklist');
    assert.match(list.html, /On time/);
    const view = await clinician.get(`/incoming/${id}`);
    assert.equal(view.status, 200);
    assert.match(view.html, /Hypertensive disorder/, 'problems are shown');
    assert.match(view.html, /Amoxicillin allergy/, 'allergies are shown');
    assert.match(view.html, /degraded entr/, 'degraded entries are called out');
    const doc = /href="(\/incoming\/[0-9a-f-]+\/documents\/[0-9a-f]{64})"/.exec(view.html)?.[1];
    assert.ok(doc, 'documents link to a preview');
    const preview = await clinician.get(doc);
    assert.equal(preview.status, 200);
    assert.match(preview.headers.get('content-security-policy') ?? '', /sandbox/);

    const integrated = await clinician.post(`/incoming/${id}/integrate`, {});
    assert.equal(integrated.status, 303);
    await w.net.engine.settled();
    assert.match((await clinician.get(`/incoming/${id}`)).html, /Integrated/);

    const degrades = await clinician.get('/degrades');
    const degradeItem = /action="\/degrades\/([0-9a-f-]{36})"/.exec(degrades.html)?.[1];
    assert.ok(degradeItem, degrades.html);
    const badCode = await clinician.post(`/degrades/${degradeItem}`, {
      decision: 'recode',
      code: '123',
      display: 'x',
    });
    assert.equal(badCode.status, 400);
    assert.match(badCode.html, /Enter a SNOMED CT concept id/);
    const recoded = await clinician.post(`/degrades/${degradeItem}`, {
      decision: 'recode',
      code: '60621009',
      display: 'Body mass index',
    });
    assert.equal(recoded.status, 303, recoded.html);

    const medication = await clinician.get('/medication');
    const medItem = /action="\/medication\/([0-9a-f-]{36})"/.exec(medication.html)?.[1];
    assert.ok(medItem, medication.html);
    assert.equal((await clinician.post(`/medication/${medItem}`, { decision: 'authorise' })).status, 303);

    const record = await w.net.engine.context.practiceRecords.structuredRecord(A, nhs);
    assert.equal(record.kind, 'found');
    if (record.kind !== 'found') return;
    const resources = record.bundle.entry?.map((e) => e.resource) ?? [];
    assert.ok(
      resources.some(
        (r) =>
          r?.resourceType === 'MedicationRequest' &&
          (r as MedicationRequest).status === 'active' &&
          /-R/.test(r.id ?? ''),
      ),
      'the authorised repeat is in the stored record',
    );
    const recodedEntry = resources.find(
      (r) => JSON.stringify(r).includes('60621009') && r?.meta?.tag === undefined,
    );
    assert.ok(recodedEntry, 'the recoded entry carries the new code and no degrade tag');

    const manager = await w.signIn(A, 'practice-manager');
    const trail = await manager.get(`/audit?nhsNumber=${nhs}`);
    assert.equal(trail.status, 200);
    for (const action of [
      'register',
      'view-record',
      'view-document',
      'integrate',
      'degrade-decision',
      'medication-decision',
    ])
      assert.match(trail.html, new RegExp(`>${action}<`), `${action} is in the audit trail`);
  });

  test('a record integrated outside the app reaches the worklists when they are opened', async () => {
    const nhs = await movingPatient(w, 507);
    const asked = await w.net.engine.commands.requestRecord({
      practiceOds: A,
      nhsNumber: nhs,
      actor: 'script',
    });
    assert.equal(asked.kind, 'requested');
    if (asked.kind !== 'requested') return;
    await w.net.settleTo(asked.transfer.id, 'ready-to-integrate');
    const done = await w.net.engine.commands.integrate({
      practiceOds: A,
      transferId: asked.transfer.id,
      actor: 'script',
    });
    assert.equal(done.kind, 'done');
    const clinician = await w.signIn(A, 'clinician');
    const nhsShown = nhs.replace(/(\d{3})(\d{3})(\d{4})/, '$1 $2 $3');
    assert.match((await clinician.get('/degrades')).html, new RegExp(`NHS number ${nhsShown}`));
    assert.match((await clinician.get('/medication')).html, new RegExp(`NHS number ${nhsShown}`));
  });

  test('a rejected transfer gives the sender a print task, then the envelope is posted', async () => {
    const nhs = await movingPatient(w, 502);
    const clerk = await w.signIn(A, 'registration-clerk');
    const id = await register(w, clerk, nhs);
    const summariser = await w.signIn(A, 'summariser');
    const noReason = await summariser.post(`/incoming/${id}/reject`, {});
    assert.equal(noReason.status, 400);
    assert.match(noReason.html, /Select why the record is rejected/);
    assert.equal(
      (await summariser.post(`/incoming/${id}/reject`, { reason: 'failed-to-integrate' })).status,
      303,
    );
    await w.net.engine.settled();

    const sender = await w.signIn(B, 'registration-clerk');
    const outgoing = await sender.get('/outgoing');
    assert.match(outgoing.html, /Print the whole record/);
    assert.match(outgoing.html, /Who to call/);
    const sendingId = /id="transfer-([0-9a-f-]{36})"/.exec(outgoing.html)?.[1];
    const task = /action="\/outgoing\/print-tasks\/([0-9a-f-]{36})\/done"/.exec(outgoing.html)?.[1];
    assert.ok(sendingId && task);
    assert.equal(
      (await sender.post(`/outgoing/print-tasks/${task}/done`, { transferId: sendingId })).status,
      303,
    );
    assert.equal((await sender.post(`/outgoing/${sendingId}/envelope-posted`, {})).status, 303);
    const again = await sender.post(`/outgoing/${sendingId}/envelope-posted`, {});
    assert.equal(again.status, 409, 'the envelope is recorded once');
    assert.doesNotMatch((await sender.get('/outgoing')).html, new RegExp(`id="transfer-${sendingId}"`));
  });

  test('role rules: a clerk cannot integrate or open a record, only a clinician authorises medication', async () => {
    const nhs = await movingPatient(w, 503);
    const clerk = await w.signIn(A, 'registration-clerk');
    const id = await register(w, clerk, nhs);
    const refused = await clerk.post(`/incoming/${id}/integrate`, {});
    assert.equal(refused.status, 403);
    assert.match(refused.html, /You cannot do this/);
    const view = await clerk.get(`/incoming/${id}`);
    assert.equal(view.status, 200);
    assert.doesNotMatch(view.html, /Hypertensive disorder/, 'a clerk sees progress, not clinical content');
    assert.doesNotMatch(view.html, /Integrate record/);
    const summariser = await w.signIn(A, 'summariser');
    assert.equal((await summariser.get('/medication')).status, 403);
    assert.equal(
      (await summariser.post('/medication/00000000-0000-4000-8000-000000000000', { decision: 'end' })).status,
      403,
    );
    assert.equal((await clerk.get('/degrades')).status, 403);
    assert.equal((await clerk.get('/audit')).status, 403);
    const clinician = await w.signIn(A, 'clinician');
    assert.equal((await clinician.get('/register')).status, 403);
    assert.equal((await clinician.get('/calendar')).status, 403);
    const manager = await w.signIn(A, 'practice-manager');
    const trail = await manager.get('/audit?action=access-refused');
    assert.match(trail.html, /needs decide-record/, 'refusals are audited');
  });

  test('practice boundary: practice B cannot open or act on practice A’s transfer by changing the id', async () => {
    const nhs = await movingPatient(w, 504);
    const id = await register(w, await w.signIn(A, 'registration-clerk'), nhs);
    const other = await w.signIn('TESTC3', 'clinician');
    assert.equal((await other.get(`/incoming/${id}`)).status, 404);
    assert.equal((await other.post(`/incoming/${id}/integrate`, {})).status, 404);
    assert.equal((await other.post(`/incoming/${id}/reject`, { reason: 'wrong-patient' })).status, 404);
    const docs = await other.get(`/incoming/${id}/documents/${'0'.repeat(64)}`);
    assert.equal(docs.status, 404);
    assert.equal((await other.get('/incoming/not-a-uuid')).status, 404);
    assert.doesNotMatch((await other.get('/incoming')).html, new RegExp(id));
  });

  test('forms reject bad input with an NHS.UK error summary naming each field', async () => {
    const clerk = await w.signIn(A, 'registration-clerk');
    const r = await clerk.post('/register', {
      nhsNumber: '9990000019',
      family: '',
      given: 'Ada',
      'dob[day]': '31',
      'dob[month]': '2',
      'dob[year]': '1980',
      postcode: 'NOT A POSTCODE',
    });
    assert.equal(r.status, 400);
    assert.match(r.html, /There is a problem/);
    for (const [href, message] of [
      ['#nhsNumber', /fails its check digit/],
      ['#family', /Enter the patient’s last name/],
      ['#dob-day', /must be a real date/],
      ['#gender', /Select the patient’s sex/],
      ['#postcode', /Enter a real postcode/],
    ] as const) {
      assert.ok(r.html.includes(`href="${href}"`), `error summary links to ${href}`);
      assert.match(r.html, message);
    }
  });

  test('no match and several matches are guidance to refine, never a guess', async () => {
    const clerk = await w.signIn(A, 'registration-clerk');
    const none = await clerk.post('/register', traceForm('', { family: 'Nobody' }));
    assert.match(none.html, /No patient found/);
    assert.doesNotMatch(none.html, /register\/confirm/);
    const twins = [syntheticNhsNumber(520), syntheticNhsNumber(521)];
    w.net.spine.pds.load(twins.map((n) => testPatient(n, B, { family: 'Twin', birthDate: '1990-02-02' })));
    const many = await clerk.post(
      '/register',
      traceForm('', { family: 'Twin', 'dob[day]': '2', 'dob[month]': '2', 'dob[year]': '1990' }),
    );
    assert.match(many.html, /More than one patient matches/);
    assert.doesNotMatch(many.html, /register\/confirm/);
  });

  test('a duplicate registration is refused', async () => {
    const nhs = await movingPatient(w, 505);
    const clerk = await w.signIn(A, 'registration-clerk');
    await register(w, clerk, nhs);
    const again = await clerk.post('/register', traceForm(nhs));
    assert.match(again.html, /This patient cannot be registered/);
    assert.match(again.html, /already been requested/);
    const forced = await clerk.post('/register/confirm', {
      ...traceForm(nhs),
      tracedNhsNumber: nhs,
      confirm: 'yes',
    });
    assert.doesNotMatch(forced.html, /Patient registered/, 'posting the confirmation again registers nobody');
  });

  test('a restricted patient’s address is withheld and their previous practice must be given', async () => {
    const nhs = syntheticNhsNumber(506);
    w.net.spine.pds.load([testPatient(nhs, B, { restricted: true })]);
    await w.net.seedRecord(B, nhs);
    const clerk = await w.signIn(A, 'registration-clerk');
    const traced = await clerk.post('/register', traceForm(nhs));
    assert.match(traced.html, /Restricted patient/);
    assert.match(traced.html, /Withheld/);
    assert.doesNotMatch(
      traced.html,
      /LS1 4AP<\/td>\s*<td class="nhsuk-table__cell"><strong class="nhsuk-tag nhsuk-tag--green/,
    );
    const missing = await clerk.post('/register/confirm', {
      ...traceForm(nhs),
      tracedNhsNumber: nhs,
      confirm: 'yes',
    });
    assert.equal(missing.status, 400);
    assert.match(missing.html, /previous practice/);
    await register(w, clerk, nhs, { previousPractice: B });
  });

  test('CSRF: a form without the session’s token, or from another site, is refused', async () => {
    const clinician = await w.signIn(A, 'clinician');
    const noToken = await clinician.post('/calendar', { _csrf: 'forged', date: '2026-06-01', name: 'x' });
    assert.equal(noToken.status, 403);
    const crossSite = await clinician.post('/sign-out', {}, { origin: 'https://evil.example' });
    assert.equal(crossSite.status, 403);
    assert.equal((await clinician.get('/')).status, 200, 'still signed in');
  });

  test('sign-in throttling: five failures close the account for fifteen minutes of the clock', async () => {
    const user = w.username(B, 'summariser');
    const client = new WebClient(w.app.url);
    const attempt = async (password: string) => {
      const form = await client.get('/sign-in');
      const token = /name="_csrf" value="([\w-]+)"/.exec(form.html)?.[1] ?? '';
      return client.post('/sign-in', { _csrf: token, username: user, password });
    };
    for (let i = 0; i < 5; i++) assert.equal((await attempt('wrong')).status, 401);
    assert.equal((await attempt(TEST_PASSWORD)).status, 429, 'even the right password waits');
    await w.net.clock.advance(15 * 60_000 + 1_000);
    assert.equal((await attempt(TEST_PASSWORD)).status, 303);
  });

  test('sessions end after 30 idle minutes, and sign-out ends them at once', async () => {
    const client = await w.signIn(B, 'clinician');
    await w.net.clock.advance(29 * 60_000);
    assert.equal((await client.get('/')).status, 200);
    await w.net.clock.advance(31 * 60_000);
    assert.equal((await client.get('/')).status, 303, 'idle too long');
    const polled = await w.signIn(B, 'clinician');
    for (let i = 0; i < 2; i++) {
      await w.net.clock.advance(10 * 60_000);
      assert.equal((await polled.get('/incoming', { 'hx-request': 'true' })).status, 200);
    }
    await w.net.clock.advance(11 * 60_000);
    assert.equal((await polled.get('/')).status, 303, 'background refreshes do not keep a session alive');
    const again = await w.signIn(B, 'clinician');
    const out = await again.post(`/sign-out?csrf=${again.csrf}`, {});
    assert.equal(out.status, 303);
    assert.equal((await again.get('/')).status, 303);
  });

  test('the audit trail cannot be edited, even by a statement in the database', async () => {
    const appendOnly = (e: unknown) => /append-only/.test(String((e as Error).cause ?? e));
    await assert.rejects(w.net.store.db.update(schema.auditEvents).set({ detail: 'changed' }), appendOnly);
    await assert.rejects(w.net.store.db.delete(schema.auditEvents), appendOnly);
    await assert.rejects(w.net.store.db.execute(sql`truncate audit_events`), appendOnly);
  });

  test('the support directory lists every topic with who is open now, and failures link to it', async () => {
    const clerk = await w.signIn(A, 'registration-clerk');
    const page = await clerk.get('/support');
    assert.equal(page.status, 200);
    assert.match(
      page.html,
      /National Service Desk \(GP2GP escalation\)\s*<strong class="nhsuk-tag nhsuk-tag--green">Open now/,
    );
    for (const heading of [
      'GP2GP escalation',
      'Clinical system helplines',
      'Smartcards and sign-in',
      'Clinical concerns',
    ])
      assert.match(page.html, new RegExp(`<h2>${heading}</h2>`));
    assert.match(
      page.html,
      /SupplierA clinical system helpline[\s\S]*?Your system|SupplierB clinical system helpline[\s\S]*?Your system/,
    );
  });
});
