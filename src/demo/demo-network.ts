import { DEFAULT_AS_OF, generatePatients, type SyntheticPatient } from '../record/synthetic/index.ts';
import { type PracticeDirectoryEntry, samplePractice } from '../spine/index.ts';

/** Everything the demo seeds follows from this number, so every data folder holds the same patients. */
export const DEMO_SEED = 2026;

/** Patients registered at each practice at the start. */
export const PATIENTS_PER_PRACTICE = 6;

/** An attachment large enough to be sent in large-message fragments (over the 4.5 MB part limit). */
export const LARGE_SCAN_BYTES = 5_000_000;

/** A practice of the demo network: its SDS entry and a line saying what it shows. */
export interface DemoPractice {
  readonly entry: PracticeDirectoryEntry;
  /** Hosted by the demo's engine, with web sign-ins (every practice live with GP2GP). */
  readonly hosted: boolean;
  readonly note: string;
}

/** A patient of the demo, with where their record is held and what it carries. */
export interface DemoPatient {
  readonly patient: SyntheticPatient;
  /** The practice the patient is registered at on PDS at the start. */
  readonly ods: string;
  /** Their index among that practice's patients. */
  readonly index: number;
  /** Seed of their record (generateRecord). */
  readonly recordSeed: number;
  /** The attachment sizes of their record. */
  readonly documentSizes: readonly number[];
  readonly profile: 'small' | 'median';
}

/** A registration the demo makes at its first start, so that records are moving when the user arrives. */
export interface DemoMove {
  readonly nhsNumber: string;
  readonly from: string;
  readonly to: string;
  /** What it shows, for the summary. */
  readonly shows: string;
}

/** The demo network: practices, patients and the moves under way at the first start. */
export interface DemoNetwork {
  readonly practices: readonly DemoPractice[];
  readonly patients: readonly DemoPatient[];
  readonly moves: readonly DemoMove[];
}

// Made-up supplier labels in the style of the three big clinical systems; no real supplier is named.
const EMIS_STYLE = 'SupplierE (EMIS-style)';
const TPP_STYLE = 'SupplierT (TPP-style)';
const VISION_STYLE = 'SupplierV (Vision-style)';

/** The demo's practices: ODS codes made up (DEMO…), belonging to no real practice. */
function demoPractices(): DemoPractice[] {
  const practice = (
    ods: string,
    n: number,
    name: string,
    supplier: string,
    note: string,
    overrides: Partial<PracticeDirectoryEntry> = {},
  ): DemoPractice => {
    const entry = samplePractice(ods, n, { name, supplier, ...overrides });
    return { entry, hosted: entry.gp2gpLive, note };
  };
  return [
    practice('DEMOE1', 11, 'Riverside Medical Centre', EMIS_STYLE, 'receives most of the records under way'),
    practice('DEMOT2', 12, 'Hillcrest Surgery', TPP_STYLE, 'sends a record with a 5 MB scan in fragments'),
    practice('DEMOV3', 13, 'Orchard Lane Practice', VISION_STYLE, 'sends and receives small records'),
    practice(
      'DEMOL4',
      14,
      'Meadow View Surgery',
      VISION_STYLE,
      'not large-message compliant: a record needing fragments is refused (reason 14)',
      { largeMessageCompliant: false },
    ),
    practice(
      'DEMON5',
      15,
      'Castle Street Surgery',
      EMIS_STYLE,
      "not live with GP2GP: its patients' records come on paper",
      { gp2gpLive: false },
    ),
  ];
}

/**
 * The demo network, the same on every call: five practices (three suppliers' styles, one not large-message
 * compliant, one not live with GP2GP), {@link PATIENTS_PER_PRACTICE} synthetic patients at each, modest records
 * (a few attachments of tens to hundreds of kB; two with a 5 MB scan) and eight moves to start with.
 *
 * @example
 * const { practices, patients, moves } = demoNetwork();
 */
export function demoNetwork(): DemoNetwork {
  const practices = demoPractices();
  // One run of consecutive test numbers for everyone, so no two patients share an NHS number.
  const people = generatePatients(
    DEMO_SEED,
    practices.length * PATIENTS_PER_PRACTICE,
    practices[0]!.entry.ods,
    {
      asOf: DEFAULT_AS_OF,
    },
  );
  const patients = people.map((p, i): DemoPatient => {
    const ods = practices[Math.floor(i / PATIENTS_PER_PRACTICE)]!.entry.ods;
    const index = i % PATIENTS_PER_PRACTICE;
    return {
      patient: { ...p, registrations: p.registrations.map((r) => ({ ...r, ods })) },
      ods,
      index,
      recordSeed: DEMO_SEED * 1000 + i,
      documentSizes: documentSizes(i, largeScan(ods, index)),
      profile: i % 3 === 0 ? 'median' : 'small',
    };
  });
  const nhs = (ods: string, index: number) =>
    patients.find((p) => p.ods === ods && p.index === index)!.patient.nhsNumber;
  const move = (from: string, index: number, to: string, shows: string): DemoMove => ({
    nhsNumber: nhs(from, index),
    from,
    to,
    shows,
  });
  const moves = [
    move('DEMOT2', 0, 'DEMOE1', 'arrives and waits to be integrated'),
    move('DEMOT2', 1, 'DEMOE1', 'a 5 MB scan sent in large-message fragments'),
    move('DEMOV3', 0, 'DEMOE1', 'arrives and waits to be integrated'),
    move('DEMOE1', 0, 'DEMOT2', 'arrives and waits to be integrated'),
    move('DEMOE1', 1, 'DEMOV3', 'arrives and waits to be integrated'),
    move('DEMOE1', 2, 'DEMOL4', 'needs large messages: refused with reason 14'),
    move('DEMOL4', 0, 'DEMOV3', 'small enough for a practice without large messages'),
    move('DEMON5', 0, 'DEMOE1', 'old practice not live with GP2GP: no electronic request'),
  ];
  return { practices, patients, moves };
}

// The two records whose 5 MB scan needs large messages: one that travels, one that is refused.
function largeScan(ods: string, index: number): boolean {
  return (ods === 'DEMOT2' && index === 1) || (ods === 'DEMOE1' && index === 2);
}

/** Two to five attachments of 20–320 kB, spread by a fixed rule (no randomness to drift between versions). */
function documentSizes(i: number, large: boolean): number[] {
  const count = 2 + (i % 4);
  const sizes = Array.from({ length: count }, (_, k) => 20_000 + ((i * 7_919 + k * 104_729) % 300_000));
  return large ? [...sizes, LARGE_SCAN_BYTES] : sizes;
}
