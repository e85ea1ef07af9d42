import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { parseSupportDirectory, SupportDirectoryError, topicForReason } from './support-directory.ts';
import { WorkingDayCalendar } from './working-days.ts';

const example = JSON.parse(
  readFileSync(new URL('./support-directory.example.json', import.meta.url), 'utf8'),
);
const calendar = new WorkingDayCalendar(['2026-04-03']);

test('the shipped example covers every topic and uses only drama phone numbers', () => {
  const dir = parseSupportDirectory(example);
  const topics = new Set(dir.contacts.map((c) => c.topic));
  assert.equal(topics.size, 7);
  for (const c of dir.contacts) assert.match(c.phone, /^(01632 960\d{3}|07700 900\d{3})$/);
});

test('a contact is open inside its London hours on its days, and closed on bank holidays unless it says so', () => {
  const dir = parseSupportDirectory(example);
  const docs = dir.byId('document-supplier')!;
  const desk = dir.byId('national-service-desk')!;
  assert.equal(dir.isOpen(docs, Date.parse('2026-01-07T09:00:00Z'), calendar), true); // Wed 09:00 GMT
  assert.equal(dir.isOpen(docs, Date.parse('2026-01-07T08:59:00Z'), calendar), false);
  assert.equal(dir.isOpen(docs, Date.parse('2026-07-01T08:30:00Z'), calendar), true, '09:30 BST');
  assert.equal(dir.isOpen(docs, Date.parse('2026-07-01T16:00:00Z'), calendar), false, '17:00 BST closes');
  assert.equal(dir.isOpen(docs, Date.parse('2026-01-10T10:00:00Z'), calendar), false, 'Saturday');
  assert.equal(dir.isOpen(docs, Date.parse('2026-04-03T10:00:00Z'), calendar), false, 'Good Friday');
  assert.equal(dir.isOpen(desk, Date.parse('2026-04-03T03:00:00Z'), calendar), true, 'the desk never closes');
});

test('a clinical system failure points to the practice’s own supplier first', () => {
  const dir = parseSupportDirectory(example);
  assert.equal(topicForReason('11'), 'clinical-system');
  assert.equal(topicForReason('31'), 'document-system');
  assert.equal(topicForReason('25'), 'gp2gp-escalation');
  assert.deepEqual(
    dir.forTopic('clinical-system', 'SupplierB').map((c) => c.id),
    ['supplier-b-helpline'],
  );
  assert.equal(
    dir.forTopic('clinical-system', 'Unknown').length,
    2,
    'an unknown supplier sees every helpline',
  );
});

test('a broken directory file is refused naming each contact and problem', () => {
  assert.throws(
    () =>
      parseSupportDirectory({
        contacts: [
          {
            id: 'x',
            topic: 'nonsense',
            name: 'X',
            phone: '01632 960999',
            hours: { 'mon-fri': '09:00-17:00' },
          },
          { id: 'y', topic: 'training', name: 'Y', phone: '01632 960998', hours: { weekdays: '9-5' } },
          { id: 'z', topic: 'training', name: 'Z', hours: { mon: '10:00-09:00' } },
        ],
      }),
    (e: unknown) =>
      e instanceof SupportDirectoryError &&
      /contact 1 \(x\): topic/.test(e.message) &&
      /contact 2 \(y\): "weekdays"/.test(e.message) &&
      /contact 3 \(z\): id, name and phone/.test(e.message),
  );
  assert.throws(() => parseSupportDirectory({}), SupportDirectoryError);
});
