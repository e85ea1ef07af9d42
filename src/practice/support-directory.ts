import { readFile } from 'node:fs/promises';
import { londonDate, weekday } from './london-date.ts';
import type { WorkingDayCalendar } from './working-days.ts';

/** What a contact is for. */
export type SupportTopic =
  | 'gp2gp-escalation'
  | 'clinical-system'
  | 'document-system'
  | 'pathology-system'
  | 'smartcard'
  | 'training'
  | 'clinical-concern';

const TOPICS: readonly SupportTopic[] = [
  'gp2gp-escalation',
  'clinical-system',
  'document-system',
  'pathology-system',
  'smartcard',
  'training',
  'clinical-concern',
];

/** Opening hours on one day: [opens, closes] as minutes after midnight, London time. */
type Hours = readonly (readonly [number, number])[];

/** A contact in the support directory. */
export interface SupportContact {
  readonly id: string;
  readonly topic: SupportTopic;
  readonly name: string;
  /** For a clinical system helpline: the supplier it serves, as SDS names it. */
  readonly supplier?: string;
  readonly phone: string;
  readonly email?: string;
  readonly notes?: string;
  /** Opening hours as written in the file, for the page. */
  readonly hoursText: string;
  /** Hours by day of the week (0 Sunday … 6 Saturday). */
  readonly hours: readonly Hours[];
  /** Open on bank holidays too (otherwise closed on them). */
  readonly bankHolidays: boolean;
}

const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

/** Why a directory file was refused: every problem, naming the contact. */
export class SupportDirectoryError extends Error {
  override readonly name = 'SupportDirectoryError';
}

/**
 * Reads the directory a practice keeps: `{ "contacts": [{ id, topic, name, phone, hours: { "mon-fri":
 * "08:00-18:30", "sat": "09:00-12:00" }, supplier?, email?, notes?, bankHolidays? }] }`.
 *
 * @example
 * const dir = parseSupportDirectory(JSON.parse(text)); dir.openNow(Date.now(), calendar)
 */
export function parseSupportDirectory(json: unknown): SupportDirectory {
  const problems: string[] = [];
  const list = (json as { contacts?: unknown })?.contacts;
  if (!Array.isArray(list)) throw new SupportDirectoryError('the support directory needs a "contacts" list');
  const contacts: SupportContact[] = [];
  for (const [i, raw] of list.entries()) {
    const c = raw as Record<string, unknown>;
    const where = `contact ${i + 1}${typeof c.id === 'string' ? ` (${c.id})` : ''}`;
    const str = (k: string) =>
      typeof c[k] === 'string' && (c[k] as string).trim() ? (c[k] as string).trim() : undefined;
    const id = str('id');
    const name = str('name');
    const phone = str('phone');
    const topic = str('topic') as SupportTopic | undefined;
    if (!id || !name || !phone) problems.push(`${where}: id, name and phone are required`);
    if (!topic || !TOPICS.includes(topic))
      problems.push(`${where}: topic must be one of ${TOPICS.join(', ')}`);
    const hours = parseHours(c.hours, (p) => problems.push(`${where}: ${p}`));
    if (!id || !name || !phone || !topic || !TOPICS.includes(topic) || !hours) continue;
    const supplier = str('supplier');
    const email = str('email');
    const notes = str('notes');
    contacts.push({
      id,
      topic,
      name,
      phone,
      hours,
      hoursText: Object.entries(c.hours as Record<string, string>)
        .map(([d, h]) => `${d}: ${h}`)
        .join(', '),
      bankHolidays: c.bankHolidays === true,
      ...(supplier ? { supplier } : {}),
      ...(email ? { email } : {}),
      ...(notes ? { notes } : {}),
    });
  }
  if (problems.length) throw new SupportDirectoryError(problems.join('; '));
  return new SupportDirectory(contacts);
}

/** Reads and checks the directory file. */
export async function loadSupportDirectory(path: string): Promise<SupportDirectory> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new SupportDirectoryError(`cannot read the support directory ${path}: ${(e as Error).message}`);
  }
  try {
    return parseSupportDirectory(JSON.parse(text));
  } catch (e) {
    if (e instanceof SupportDirectoryError) throw new SupportDirectoryError(`${path}: ${e.message}`);
    throw new SupportDirectoryError(`${path} is not JSON: ${(e as Error).message}`);
  }
}

function parseHours(value: unknown, problem: (p: string) => void): Hours[] | undefined {
  if (!value || typeof value !== 'object') {
    problem('hours are required, like { "mon-fri": "08:00-18:30" }');
    return undefined;
  }
  const week: [number, number][][] = DAYS.map(() => []);
  for (const [days, span] of Object.entries(value as Record<string, unknown>)) {
    const range = /^([a-z]{3})(?:-([a-z]{3}))?$/.exec(days.toLowerCase());
    const first = range ? DAYS.indexOf(range[1]!) : -1;
    const last = range?.[2] ? DAYS.indexOf(range[2]) : first;
    const time = typeof span === 'string' ? /^(\d{2}):(\d{2})-(\d{2}):(\d{2})$/.exec(span) : null;
    if (first < 0 || last < 0 || !time) {
      problem(`"${days}": "${String(span)}" is not like "mon-fri": "08:00-18:30"`);
      return undefined;
    }
    const open = Number(time[1]) * 60 + Number(time[2]);
    const close = Number(time[3]) * 60 + Number(time[4]);
    if (close <= open || close > 24 * 60) {
      problem(`"${days}": closing time must be after opening time`);
      return undefined;
    }
    for (let d = first; ; d = (d + 1) % 7) {
      week[d]!.push([open, close]);
      if (d === last) break;
    }
  }
  return week;
}

const LONDON_MINUTES = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** Which topic to call about a failed transfer, by its GP2GP reason code. */
export function topicForReason(code: string | null | undefined): SupportTopic {
  switch (code) {
    case '07': // GP2GP switched off
    case '10': // failed to generate the extract
    case '11': // failed to integrate
    case '14': // not large-message compliant
    case '21': // extract malformed
    case '23':
      return 'clinical-system';
    case '26': // filed as an attachment
    case '29': // large message reassembly
    case '30':
    case '31': // missing attachments
      return 'document-system';
    default:
      // Spine, directory, timeouts, identity questions and anything unexpected: the national escalation route.
      return 'gp2gp-escalation';
  }
}

/** The practice's support contacts, with who is open when. */
export class SupportDirectory {
  readonly contacts: readonly SupportContact[];

  constructor(contacts: readonly SupportContact[]) {
    this.contacts = contacts;
  }

  /** Whether a contact is open at an instant (London time; closed on bank holidays unless it says so). */
  isOpen(c: SupportContact, now: number, calendar: WorkingDayCalendar): boolean {
    const date = londonDate(now);
    const day = weekday(date);
    if (!c.bankHolidays && day !== 0 && day !== 6 && !calendar.isWorkingDay(date)) return false;
    const [h, m] = LONDON_MINUTES.format(new Date(now)).split(':').map(Number) as [number, number];
    const minute = h * 60 + m;
    return (c.hours[day] ?? []).some(([open, close]) => minute >= open && minute < close);
  }

  /** The contacts for a topic; for a clinical system, the practice's own supplier's first. */
  forTopic(topic: SupportTopic, supplier?: string): SupportContact[] {
    const all = this.contacts.filter((c) => c.topic === topic);
    if (topic !== 'clinical-system' || !supplier) return all;
    const own = all.filter((c) => c.supplier === supplier);
    return own.length ? own : all;
  }

  /** A contact by id. */
  byId(id: string): SupportContact | undefined {
    return this.contacts.find((c) => c.id === id);
  }
}
