import type { Bundle, BundleEntry } from 'fhir/r3.js';
import { InputError } from '../../common/input-error.ts';
import { attr, child, type ParseOptions, type XmlDocument, type XmlElement } from '../../xml/index.ts';
import { LocationDirectory, mapAgentDirectory, mapPatient } from './agent-directory.ts';
import { mapCondition } from './condition.ts';
import { MappingContext, NOPAT_SECURITY } from './context.ts';
import { mapMedications } from './medication.ts';
import { OwnStrings } from './own-strings.ts';
import { isNopat } from './statement.ts';
import { ExtractWalker } from './walk.ts';

/** The input is not an EHR Extract we can read (wrong interaction, no EhrExtract, no ehrFolder). */
export class ExtractError extends InputError {
  override readonly name = 'ExtractError';
}

/** A translated record: the GP Connect Bundle and what was degraded or skipped on the way. */
export interface ExtractTranslation {
  readonly bundle: Bundle;
  readonly warnings: readonly string[];
}

const EXTRACT_INTERACTIONS = new Set(['RCMR_IN030000UK06', 'RCMR_IN030000UK07']);

/**
 * The streaming core of EHR Extract → FHIR: hooks for the XML parser ({@link ExtractStreamTranslator.options})
 * that map the patient and agentDirectory as they complete and walk each ehrComposition as soon as the parser
 * has it, then let it go; {@link ExtractStreamTranslator.finish} runs the whole-record steps (medications,
 * problem LinkSets) from what the walk kept. Memory so follows the output, not the extract. One per extract.
 */
export class ExtractStreamTranslator {
  /** Parser options to pass to `parseXml` / `parseXmlStream`. */
  readonly options: ParseOptions = {
    prune: (local, depth) => this.open(local, depth),
    release: (element, depth) => this.completed(element, depth),
  };
  private rootLocal = '';
  /** Local names from the root to the ehrFolder: the root (or its ControlActEvent/subject/EhrExtract), component/ehrFolder. */
  private pathToFolder: readonly string[] = [];
  private extractDepth = -1;
  private folderDepth = -1;
  /** onPath[d]: the element open at depth d is the one on the path (the first of its name, as `path` takes). */
  private readonly onPath: boolean[] = [];
  private readonly claimed: boolean[] = [];
  private sawExtract = false;
  private sawFolder = false;
  /** The extract's and folder's own children (not components), for the patient, ODS code, times and NOPAT. */
  private readonly extractChildren: XmlElement[] = [];
  private readonly folderChildren: XmlElement[] = [];
  private folderChildLocal = '';
  private compositionTaken = false;
  private ctx: MappingContext | undefined;
  private walker: ExtractWalker | undefined;
  private directoryDone = false;
  private folderNopat = false;
  /** A mapping error outside any per-entry guard: thrown once the parse is over, as before streaming. */
  private failure: unknown;
  private readonly strings = new OwnStrings();

  private open(local: string, depth: number): boolean {
    if (depth === 0) this.startDocument(local);
    else if (depth < this.pathToFolder.length) {
      const on =
        this.onPath[depth - 1] === true && local === this.pathToFolder[depth] && !this.claimed[depth];
      this.onPath[depth] = on;
      if (on) {
        this.claimed[depth] = true;
        if (depth === this.extractDepth) this.sawExtract = true;
        if (depth === this.folderDepth) this.sawFolder = true;
      }
    } else if (depth === this.folderDepth + 1 && this.onPath[this.folderDepth]) {
      this.folderChildLocal = local;
      this.compositionTaken = false;
    }
    // Never prunes: the hook only follows where the parser is.
    return false;
  }

  private startDocument(local: string): void {
    this.rootLocal = local;
    if (local === 'EhrExtract') this.pathToFolder = ['EhrExtract', 'component', 'ehrFolder'];
    else if (EXTRACT_INTERACTIONS.has(local))
      this.pathToFolder = [local, 'ControlActEvent', 'subject', 'EhrExtract', 'component', 'ehrFolder'];
    else return;
    this.onPath[0] = true;
    this.extractDepth = this.pathToFolder.length - 3;
    this.folderDepth = this.pathToFolder.length - 1;
    if (this.extractDepth === 0) this.sawExtract = true;
  }

  /** Returns true to let the parser drop a finished element. */
  private completed(element: XmlElement, depth: number): boolean {
    // Not an extract: nothing will be read, so nothing is kept.
    if (this.pathToFolder.length === 0) return depth > 0;
    this.strings.own(element);
    if (depth === this.extractDepth + 1 && this.onPath[this.extractDepth] && element.local !== 'component') {
      this.extractChildren.push(element);
      return false;
    }
    if (depth === this.folderDepth + 1 && this.onPath[this.folderDepth]) return this.folderChild(element);
    if (
      depth === this.folderDepth + 2 &&
      element.local === 'ehrComposition' &&
      this.onPath[this.folderDepth] &&
      this.folderChildLocal === 'component' &&
      !this.compositionTaken
    ) {
      // As before streaming: a component's first ehrComposition is the one walked.
      this.compositionTaken = true;
      this.guard(() => {
        const walker = this.walkerReady();
        walker.walkComposition(element, this.folderNopat);
      });
      return true;
    }
    return false;
  }

  private folderChild(element: XmlElement): boolean {
    if (element.local === 'component') return true;
    if (element.local === 'responsibleParty') {
      if (!this.directoryDone) {
        this.guard(() => {
          const ctx = this.started();
          this.directoryDone = true;
          mapAgentDirectory(child(element, 'agentDirectory'), ctx);
        });
      }
      return true;
    }
    this.folderChildren.push(element);
    return false;
  }

  private guard(work: () => void): void {
    if (this.failure !== undefined) return;
    try {
      work();
    } catch (e) {
      this.failure = e;
    }
  }

  /** The mapping context, made (and the Patient mapped) on first need: the extract's header is complete by then. */
  private started(): MappingContext {
    if (this.ctx) return this.ctx;
    const extract = this.extractHead();
    const ods = attr(extract, 'extension', 'author/AgentOrgSDS/agentOrganizationSDS/id') ?? '';
    const extractTime = attr(extract, 'value', 'availabilityTime') ?? attr(extract, 'value', 'author/time');
    const extractId = attr(extract, 'root', 'id');
    const patientId = extractId ? `${extractId}-PAT` : 'patient';
    const ctx = new MappingContext({ patientId, odsCode: ods, extractTime });
    this.ctx = ctx;
    mapPatient(extract, patientId, ctx);
    return ctx;
  }

  private walkerReady(): ExtractWalker {
    if (this.walker) return this.walker;
    const ctx = this.started();
    // A folder whose agentDirectory comes after its compositions (not schema-valid) is read without one.
    this.directoryDone = true;
    this.folderNopat = isNopat(this.folderHead()) || isNopat(this.extractHead());
    this.walker = new ExtractWalker(ctx, new LocationDirectory(ctx));
    return this.walker;
  }

  private extractHead(): XmlElement {
    return { name: 'EhrExtract', local: 'EhrExtract', ns: '', attrs: {}, children: this.extractChildren };
  }

  private folderHead(): XmlElement {
    return { name: 'ehrFolder', local: 'ehrFolder', ns: '', attrs: {}, children: this.folderChildren };
  }

  /** Runs the whole-record steps once the parse is over and builds the Bundle. */
  finish(doc: XmlDocument): ExtractTranslation {
    if (this.pathToFolder.length === 0) {
      throw new ExtractError(`not an EHR Extract: root element is ${this.rootLocal}`);
    }
    if (!this.sawExtract)
      throw new ExtractError(`${this.rootLocal} has no ControlActEvent/subject/EhrExtract`);
    if (!this.sawFolder) throw new ExtractError('EhrExtract has no component/ehrFolder');
    if (this.failure !== undefined) throw this.failure;
    const walker = this.walkerReady();
    const ctx = this.started();
    mapMedications(walker.medications, ctx);
    walker.fillMedicationEntries();
    for (const found of walker.linkSets) {
      try {
        mapCondition(found, walker.statements, ctx);
      } catch (e) {
        ctx.warn(`LinkSet skipped: ${(e as Error).message}`);
      }
    }
    // UK07 is the interaction for an extract holding NOPAT content; the folder or extract may also say so.
    const recordNopat =
      this.rootLocal === 'RCMR_IN030000UK07' || isNopat(this.extractHead()) || isNopat(this.folderHead());
    const entry: BundleEntry[] = ctx.resources.map((resource) => ({ resource }));
    const bundle: Bundle = {
      resourceType: 'Bundle',
      meta: {
        profile: ['https://fhir.nhs.uk/STU3/StructureDefinition/GPConnect-StructuredRecord-Bundle-1'],
        ...(recordNopat ? { security: [{ ...NOPAT_SECURITY }] } : {}),
      },
      type: 'collection',
      entry,
    };
    // The parser's warnings come first, as when the whole tree was parsed before any mapping.
    return { bundle, warnings: [...doc.warnings, ...ctx.warnings] };
  }
}
