import { formatNhsNumber } from '../practice/registration-form.ts';
import { roleName } from '../practice/roles.ts';
import type { PdsPatientRecord } from '../spine/index.ts';
import type { Demo } from './demo-start.ts';

/**
 * What the demo prints once it is up: where the web app is, the practices, the records moving, the sign-ins and
 * what to try. The web app's address is on a line of its own starting `Open `, and each sign-in on a line
 * `  ODS  Role  username  password`, for people and tests alike.
 *
 * @example
 * process.stdout.write(demoSummary(demo, '.data/demo'));
 */
export function demoSummary(demo: Demo, dataDir: string): string {
  const { network } = demo;
  const odsWidth = Math.max(...network.practices.map((p) => p.entry.ods.length));
  const nameWidth = Math.max(...network.practices.map((p) => p.entry.name.length));
  const supplierWidth = Math.max(...network.practices.map((p) => p.entry.supplier.length));
  const lines = [
    `GP2GP demo: a Spine simulator and ${network.practices.length} practices on this machine (${demo.store.kind} in ${dataDir}).`,
    '',
    `Open ${demo.app.url}`,
    '',
    'Practices:',
    ...network.practices.map(
      (p) =>
        `  ${p.entry.ods.padEnd(odsWidth)}  ${p.entry.name.padEnd(nameWidth)}  ${p.entry.supplier.padEnd(supplierWidth)}  ${p.note}`,
    ),
    '',
    `Patients: ${network.patients.length} on PDS; records ${
      demo.seed.seeded > 0 ? `filed for ${demo.seed.seeded} now` : 'kept from the last start'
    } (${demo.seed.seeded + demo.seed.alreadyThere} at the live practices).`,
    demo.moves.every((m) => m.kind === 'earlier')
      ? 'Moves registered at the first start (carried on from where they stood):'
      : 'Moves registered now, so records are on their way:',
    ...demo.moves.map(
      (m) =>
        `  ${formatNhsNumber(m.move.nhsNumber)}  ${m.move.from} → ${m.move.to}  ${m.move.shows}${
          m.kind === 'refused' ? ` (not made: ${m.message})` : ''
        }`,
    ),
    '',
    'Sign in (user name, password):',
    ...signInLines(demo),
    '',
    'Try:',
    `  - Sign in as a clinician at ${network.moves[0]?.to}: Incoming records lists the records that arrived;`,
    '    open one to read it, then integrate it (or reject it, with a reason).',
    ...tryRegistering(demo),
    '  - At the old practice, Outgoing records shows what was sent, refused or failed, and what to print.',
    '  - Stop with Ctrl-C. Starting again carries on with the same data; --reset starts afresh.',
    '',
    'Transfers as they move:',
    '',
  ];
  return lines.join('\n');
}

function signInLines(demo: Demo): string[] {
  const width = Math.max(...demo.signIns.map((s) => s.username.length));
  const roleWidth = Math.max(...demo.signIns.map((s) => roleName(s.role).length));
  return [
    ...demo.signIns.map(
      (s) =>
        `  ${s.practiceOds}  ${roleName(s.role).padEnd(roleWidth)}  ${s.username.padEnd(width)}  ${s.password}`,
    ),
    ...demo.signInsUnknown.map(
      (ods) => `  ${ods}: accounts exist but their passwords were not kept here; start with --reset`,
    ),
  ];
}

/** Two patients still at their first practice, for the user to register somewhere else through the web app. */
function tryRegistering(demo: Demo): string[] {
  const { network } = demo;
  const hosted = network.practices.filter((p) => p.hosted).map((p) => p.entry.ods);
  const moving = new Set(network.moves.map((m) => m.nhsNumber));
  const candidates = network.patients.filter((p) => {
    const current = demo.spine.pds.get(p.patient.nhsNumber)?.registrations.at(-1);
    return (
      hosted.includes(p.ods) && !moving.has(p.patient.nhsNumber) && current?.ods === p.ods && !current.end
    );
  });
  const picked = [candidates[0], candidates.find((c) => c.ods !== candidates[0]?.ods)].filter(
    (c) => c !== undefined,
  );
  if (picked.length === 0) return [];
  return [
    '  - Sign in as a registration clerk and register a patient from another practice, e.g.',
    ...picked.map((p) => {
      const to = hosted.find((ods) => ods !== p.ods) ?? '';
      return `      at ${to}: ${describePatient(demo.spine.pds.get(p.patient.nhsNumber) ?? p.patient)} (now at ${p.ods})`;
    }),
  ];
}

function describePatient(p: PdsPatientRecord): string {
  return `${p.given.join(' ')} ${p.family}, ${p.gender}, born ${p.birthDate}, postcode ${p.address?.postalCode ?? '-'}, NHS number ${formatNhsNumber(p.nhsNumber)}`;
}
