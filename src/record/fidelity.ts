/**
 * Record fidelity: what became of every statement of an EHR Extract. Each statement (the elements `inspect`
 * counts, less the compositions) is mapped (its content is in the Bundle, as a resource of its own or folded
 * into another), degraded (in the Bundle, with something lost or stood in for, and said), or skipped with the
 * reason. `source` is counted from the XML apart from the translation, so a statement the translation never
 * looked at shows as `unaccounted`: nothing is lost silently. The transfer engine stores the report with each
 * transfer; `gp2gp translate` prints its summary.
 */

import { STATEMENT_KINDS } from '../hl7/index.ts';
import type { XmlElement } from '../xml/index.ts';

/** Why a statement came through degraded. */
export type DegradeReason =
  | 'no SNOMED CT code'
  | 'SNOMED CT description id only'
  | 'part not readable'
  | 'time not readable'
  | 'document not attached'
  | 'problem statement missing'
  | 'link not kept';

/** Why a statement was not translated. */
export type SkipReason =
  | 'no id'
  | 'duplicate id'
  | 'placeholder with no content'
  | 'statement kind not carried'
  | 'links without a problem'
  | 'link target not translated'
  | 'not readable'
  | 'ehrComposition not read'
  | 'second ehrComposition in one component'
  | 'not translated';

/** How many statements came through one way for one reason, and which (their ids). */
export interface FidelityReason<R extends string = string> {
  readonly reason: R;
  readonly count: number;
  /** The statements' ids (`id/@root`); `(no id)` for those without one. */
  readonly ids: readonly string[];
}

/** What became of an extract's statements: every one is mapped, degraded or skipped with its reason. */
export interface FidelityReport {
  /** Statements in the extract (CompoundStatement, ObservationStatement, NarrativeStatement, PlanStatement,
   * RequestStatement, LinkSet, MedicationStatement, RegistrationStatement), counted from the XML. */
  readonly source: number;
  readonly mapped: number;
  readonly degraded: number;
  readonly skipped: number;
  /** `source` less the others: statements the translation never accounted for. Zero unless there is a bug. */
  readonly unaccounted: number;
  readonly degradedBy: readonly FidelityReason<DegradeReason>[];
  readonly skippedBy: readonly FidelityReason<SkipReason>[];
}

/** The element names counted as statements. */
export const STATEMENT_NAMES: ReadonlySet<string> = new Set(
  [...STATEMENT_KINDS].filter((k) => k !== 'ehrComposition'),
);

/** True where the element is a statement the report accounts for. */
export function isStatement(element: XmlElement): boolean {
  return STATEMENT_NAMES.has(element.local);
}

type Outcome =
  | { readonly kind: 'mapped' }
  | { readonly kind: 'degraded'; readonly reason: DegradeReason }
  | { readonly kind: 'skipped'; readonly reason: SkipReason };

const RANK = { mapped: 1, degraded: 2, skipped: 3 } as const;

/**
 * One statement's account, kept beyond its composition where the statement is mapped after the walk (LinkSets,
 * MedicationStatements).
 */
export class StatementAccount {
  readonly id: string;
  /** Settled after the walk: its composition's closing leaves it to the report. */
  deferred = false;
  private outcome: Outcome | undefined;

  constructor(id: string | undefined) {
    this.id = id ?? '(no id)';
  }

  /** Records an outcome; a worse one (skipped over degraded over mapped) wins. */
  record(outcome: Outcome): void {
    if (!this.outcome || RANK[outcome.kind] > RANK[this.outcome.kind]) this.outcome = outcome;
  }

  /** True once any outcome is recorded. */
  get settled(): boolean {
    return this.outcome !== undefined;
  }

  /** The outcome (skipped `not translated` where none was recorded). */
  get result(): Outcome {
    return this.outcome ?? { kind: 'skipped', reason: 'not translated' };
  }
}

/** A statement a composition held that nothing accounted for. */
export interface UnsettledStatement {
  readonly local: string;
  readonly id: string;
}

/**
 * The running account of one translation. Statements are keyed by element while their composition is walked;
 * each composition is closed once walked, tallying its statements (any not accounted for count as skipped
 * `not translated`), except those kept for later, whose accounts are tallied when the report is made.
 */
export class FidelityLedger {
  private source = 0;
  private readonly open = new Map<XmlElement, StatementAccount>();
  private readonly deferred: StatementAccount[] = [];
  private readonly tally = {
    mapped: 0,
    degraded: new Map<string, string[]>(),
    skipped: new Map<string, string[]>(),
  };

  /** Counts statements of the source (the statement elements the parser completed inside the ehrFolder). */
  countSource(count: number): void {
    this.source += count;
  }

  /** The account of a statement of the composition being walked. */
  account(element: XmlElement, id?: string): StatementAccount {
    let found = this.open.get(element);
    if (!found) {
      found = new StatementAccount(id ?? rootOf(element));
      this.open.set(element, found);
    }
    return found;
  }

  /** Marks a statement's account as settled later (after the walk): it is tallied when the report is made. */
  defer(element: XmlElement, id?: string): StatementAccount {
    const found = this.account(element, id);
    if (!found.deferred) {
      found.deferred = true;
      this.deferred.push(found);
    }
    return found;
  }

  /**
   * Closes a walked composition: every statement inside it is tallied, and one nothing accounted for is skipped
   * for `fallback` (or `not translated`). Returns the statements so closed without an account, for warnings.
   */
  close(composition: XmlElement, fallback: SkipReason = 'not translated'): UnsettledStatement[] {
    const unsettled: UnsettledStatement[] = [];
    for (const statement of statementsIn(composition)) {
      const found = this.account(statement);
      if (found.deferred) continue;
      if (!found.settled) {
        found.record({ kind: 'skipped', reason: fallback });
        unsettled.push({ local: statement.local, id: found.id });
      }
      this.add(found);
    }
    this.open.clear();
    return unsettled;
  }

  private add(found: StatementAccount): void {
    const outcome = found.result;
    if (outcome.kind === 'mapped') {
      this.tally.mapped++;
      return;
    }
    const byReason = outcome.kind === 'degraded' ? this.tally.degraded : this.tally.skipped;
    const ids = byReason.get(outcome.reason) ?? [];
    ids.push(found.id);
    byReason.set(outcome.reason, ids);
  }

  /** The report, with the deferred statements tallied (once). */
  report(): FidelityReport {
    for (const found of this.deferred.splice(0)) this.add(found);
    const reasons = <R extends string>(m: Map<string, string[]>): FidelityReason<R>[] =>
      [...m].map(([reason, ids]) => ({ reason: reason as R, count: ids.length, ids }));
    const degradedBy = reasons<DegradeReason>(this.tally.degraded);
    const skippedBy = reasons<SkipReason>(this.tally.skipped);
    const degraded = degradedBy.reduce((n, r) => n + r.count, 0);
    const skipped = skippedBy.reduce((n, r) => n + r.count, 0);
    return {
      source: this.source,
      mapped: this.tally.mapped,
      degraded,
      skipped,
      unaccounted: this.source - this.tally.mapped - degraded - skipped,
      degradedBy,
      skippedBy,
    };
  }
}

/** The statements at any depth inside an element (not the element itself), in document order. */
export function statementsIn(element: XmlElement): XmlElement[] {
  const out: XmlElement[] = [];
  const visit = (e: XmlElement) => {
    for (const c of e.children) {
      if (typeof c !== 'object') continue;
      if (isStatement(c)) out.push(c);
      visit(c);
    }
  };
  visit(element);
  return out;
}

/** A statement's `id/@root`, as written. */
function rootOf(element: XmlElement): string | undefined {
  for (const c of element.children) if (typeof c === 'object' && c.local === 'id') return c.attrs.root;
  return undefined;
}

/**
 * The summary `gp2gp translate` prints: one line of totals, then a line per reason.
 *
 * @example
 * fidelitySummary(report) // ['fidelity: 120 statements: 115 mapped, 3 degraded, 2 skipped', '  degraded …']
 */
export function fidelitySummary(report: FidelityReport): string[] {
  const lines = [
    `fidelity: ${report.source} statements: ${report.mapped} mapped, ${report.degraded} degraded, ${report.skipped} skipped${report.unaccounted ? `, ${report.unaccounted} UNACCOUNTED` : ''}`,
  ];
  const shown = (ids: readonly string[]) =>
    ids.length > 5 ? `${ids.slice(0, 5).join(', ')}, …` : ids.join(', ');
  for (const r of report.degradedBy) lines.push(`  degraded (${r.reason}): ${r.count} [${shown(r.ids)}]`);
  for (const r of report.skippedBy) lines.push(`  skipped (${r.reason}): ${r.count} [${shown(r.ids)}]`);
  return lines;
}
