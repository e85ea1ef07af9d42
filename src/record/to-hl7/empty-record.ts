import type { XmlSpec } from '../../xml/index.ts';
import { x } from '../../xml/index.ts';
import { snomedCode } from './coded.ts';
import { ehrComposition } from './composition.ts';
import type { TranslationContext } from './context.ts';
import { idElement, statusCode, tsElement } from './datatypes.ts';

/**
 * The composition sent when a record has no entries: the MIM needs at least one, and a NarrativeStatement
 * saying so is what a receiving clinician can understand.
 */
export function emptyRecordComposition(ctx: TranslationContext, now: string): XmlSpec {
  const note = x(
    'NarrativeStatement',
    { classCode: 'OBS', moodCode: 'EVN' },
    idElement(ctx.newId()),
    x('text', {}, 'The sending practice record holds no clinical entries.'),
    statusCode(),
    tsElement('availabilityTime', now),
  );
  return ehrComposition(ctx, {
    id: ctx.newId(),
    code: snomedCode('code', '196401000000100', 'Non-consultation data'),
    low: now,
    availability: now,
    authorTime: now,
    authorId: ctx.defaultAgentId,
    statements: [note],
  });
}
