import type { HostedPractice } from '../engine-context.ts';
import type { RecordLookup, RecordSource, SourceDocument } from './record-source.ts';

/**
 * Picks a hosted practice's record source when the engine starts (its endpoint URL too, where it serves one);
 * undefined leaves the practice on the built-in record store.
 *
 * @example
 * const choice: RecordSourceChoice = (p) => (p.ods === 'A12345' ? gpConnectFor(p) : undefined);
 */
export type RecordSourceChoice = (
  practice: HostedPractice,
  endpointUrl: string | undefined,
) => RecordSource | undefined;

/**
 * The engine's record source when practices have sources of their own: each practice's request goes to the
 * source chosen for it, the rest to the built-in store.
 *
 * @example
 * const sources = new PracticeRecordSources(builtIn);
 * sources.use('A12345', gpConnectSource);
 */
export class PracticeRecordSources implements RecordSource {
  private readonly fallback: RecordSource;
  private readonly chosen = new Map<string, RecordSource>();

  constructor(fallback: RecordSource) {
    this.fallback = fallback;
  }

  /** Sends this practice's requests to `source`. */
  use(practiceOds: string, source: RecordSource): void {
    this.chosen.set(practiceOds, source);
  }

  /** The source a practice's requests go to. */
  sourceFor(practiceOds: string): RecordSource {
    return this.chosen.get(practiceOds) ?? this.fallback;
  }

  structuredRecord(practiceOds: string, nhsNumber: string): Promise<RecordLookup> {
    return this.sourceFor(practiceOds).structuredRecord(practiceOds, nhsNumber);
  }

  document(practiceOds: string, url: string): Promise<SourceDocument | undefined> {
    return this.sourceFor(practiceOds).document(practiceOds, url);
  }
}
