import type { Resource } from 'fhir/r3.js';
import { type XmlChild, type XmlSpec, x } from '../../xml/index.ts';
import type { TranslationContext } from './context.ts';
import { agentRef, component, effectiveTime, idElement, statusCode, tsElement } from './datatypes.ts';

/** The parts of an ehrComposition that vary. */
export interface CompositionParts {
  readonly id: string;
  readonly code: XmlSpec;
  readonly low: string | undefined;
  readonly high?: string | undefined;
  readonly availability: string | undefined;
  readonly authorTime: string | undefined;
  readonly authorId: string;
  readonly performerId?: string | undefined;
  readonly location?: XmlSpec | undefined;
  readonly statements: readonly XmlSpec[];
  /** The resource whose NOPAT label (if any) the composition carries. */
  readonly source?: Resource | undefined;
}

/** A `component` holding an ehrComposition, in MIM element order. */
export function ehrComposition(ctx: TranslationContext, parts: CompositionParts): XmlSpec {
  ctx.noteTime(parts.low);
  ctx.noteTime(parts.high ?? parts.low);
  const children: XmlChild[] = [
    idElement(parts.id),
    parts.code,
    statusCode(),
    parts.high ? effectiveTime(parts.low, parts.high) : effectiveTime(parts.low),
    tsElement('availabilityTime', parts.availability),
    ctx.confidentiality(parts.source),
    x(
      'author',
      { typeCode: 'AUT', contextControlCode: 'OP' },
      tsElement('time', parts.authorTime ?? parts.availability),
      agentRef(parts.authorId),
    ),
    parts.location,
    parts.performerId &&
      x('Participant2', { typeCode: 'PRF', contextControlCode: 'OP' }, agentRef(parts.performerId)),
    ...parts.statements.map(component),
  ];
  return x(
    'component',
    { typeCode: 'COMP' },
    x('ehrComposition', { classCode: 'COMPOSITION', moodCode: 'EVN' }, ...children),
  );
}
