import {
  type ParseOptions,
  parseXml,
  parseXmlStream,
  type XmlDocument,
  type XmlElement,
} from '../xml/index.ts';
import { type ReadAck, readAck } from './ack.ts';
import { type CommonContent, readCommonContent } from './common-content.ts';
import { type EhrExtractEnvelope, readEhrExtract } from './ehr-extract.ts';
import { type EhrRequest, readEhrRequest } from './ehr-request.ts';
import { INTERACTION } from './oids.ts';
import { readTransmission, type TransmissionHeader } from './transmission.ts';

/** The statement elements of an extract, counted by `inspect` and by reconciliation after integration. */
export const STATEMENT_KINDS: ReadonlySet<string> = new Set([
  'ehrComposition',
  'CompoundStatement',
  'ObservationStatement',
  'NarrativeStatement',
  'PlanStatement',
  'RequestStatement',
  'LinkSet',
  'MedicationStatement',
  'RegistrationStatement',
]);

/** Any GP2GP HL7v3 message, read into its typed form. */
export type Hl7Message =
  | {
      readonly kind: 'ehr-request';
      readonly interactionId: string;
      readonly request: EhrRequest;
      readonly warnings: readonly string[];
    }
  | {
      readonly kind: 'ehr-extract';
      readonly interactionId: string;
      readonly envelope: EhrExtractEnvelope;
      /** The EhrExtract element; its ehrFolder is empty when read with `countOnly`. */
      readonly extract: XmlElement;
      /** Statements by element name (filled when read with `countOnly`). */
      readonly counts: Readonly<Record<string, number>>;
      readonly warnings: readonly string[];
    }
  | {
      readonly kind: 'common-content';
      readonly interactionId: string;
      readonly content: CommonContent;
      readonly warnings: readonly string[];
    }
  | {
      readonly kind: 'ack';
      readonly interactionId: string;
      readonly ack: ReadAck;
      readonly warnings: readonly string[];
    }
  | {
      readonly kind: 'other';
      readonly interactionId: string;
      readonly header: TransmissionHeader;
      readonly warnings: readonly string[];
    };

/** Options for {@link readHl7}. */
export interface ReadHl7Options {
  /** Count an extract's statements without keeping its record in memory (for summaries of large extracts). */
  readonly countOnly?: boolean;
}

/**
 * Parses HL7v3 text and reads it as the interaction its root names.
 *
 * @example
 * const m = readHl7(text); if (m.kind === 'ehr-request') console.log(m.request.nhsNumber);
 */
export function readHl7(text: string | Uint8Array, options: ReadHl7Options = {}): Hl7Message {
  const counts: Record<string, number> = {};
  return interpret(parseXml(text, parseOptions(options, counts)), options, counts);
}

/**
 * Like {@link readHl7}, for UTF-8 text arriving in chunks (a file or socket): with `countOnly`, memory stays
 * flat however large the extract.
 *
 * @example
 * const m = await readHl7Stream(createReadStream('extract.xml'), { countOnly: true });
 */
export async function readHl7Stream(
  chunks: AsyncIterable<Uint8Array>,
  options: ReadHl7Options = {},
): Promise<Hl7Message> {
  const counts: Record<string, number> = {};
  return interpret(await parseXmlStream(chunks, parseOptions(options, counts)), options, counts);
}

function parseOptions(options: ReadHl7Options, counts: Record<string, number>): ParseOptions {
  if (!options.countOnly) return {};
  return {
    prune: (local) => local === 'ehrFolder',
    onPruned: (local) => {
      if (STATEMENT_KINDS.has(local)) counts[local] = (counts[local] ?? 0) + 1;
    },
  };
}

function interpret(doc: XmlDocument, options: ReadHl7Options, counts: Record<string, number>): Hl7Message {
  const root = doc.root;
  const xmlWarnings = doc.warnings;
  const interactionId = readTransmission(root, []).interactionId;
  switch (interactionId) {
    case INTERACTION.ehrRequest: {
      const r = readEhrRequest(root);
      return {
        kind: 'ehr-request',
        interactionId,
        request: r.request,
        warnings: [...xmlWarnings, ...r.warnings],
      };
    }
    case INTERACTION.ehrExtract:
    case INTERACTION.ehrExtractNopat: {
      const r = readEhrExtract(root);
      return {
        kind: 'ehr-extract',
        interactionId,
        envelope: r.envelope,
        extract: r.extract,
        counts: options.countOnly ? counts : countStatements(r.extract),
        warnings: [...xmlWarnings, ...r.warnings],
      };
    }
    case INTERACTION.commonContent: {
      const r = readCommonContent(root);
      return {
        kind: 'common-content',
        interactionId,
        content: r.content,
        warnings: [...xmlWarnings, ...r.warnings],
      };
    }
    case INTERACTION.ack: {
      const ack = readAck(root);
      return { kind: 'ack', interactionId, ack, warnings: [...xmlWarnings, ...ack.warnings] };
    }
    default: {
      const warnings = [...xmlWarnings];
      return { kind: 'other', interactionId, header: readTransmission(root, warnings), warnings };
    }
  }
}

/** Counts statement elements below an element (used when the whole tree is already in memory). */
export function countStatements(el: XmlElement): Record<string, number> {
  const counts: Record<string, number> = {};
  const walk = (e: XmlElement): void => {
    for (const c of e.children) {
      if (typeof c === 'string') continue;
      if (STATEMENT_KINDS.has(c.local)) counts[c.local] = (counts[c.local] ?? 0) + 1;
      walk(c);
    }
  };
  walk(el);
  return counts;
}
