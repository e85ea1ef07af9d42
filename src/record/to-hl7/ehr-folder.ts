import { type XmlSpec, x } from '../../xml/index.ts';
import type { TranslationContext } from './context.ts';
import { idElement, statusCode } from './datatypes.ts';

/** What the folder needs besides its compositions. */
export interface FolderParts {
  readonly id: string;
  readonly now: string;
  /** ODS code of the sending practice (the folder's author). */
  readonly senderOds: string;
  readonly agentDirectory: XmlSpec;
  readonly compositions: readonly XmlSpec[];
}

/** The `ehrFolder` element: span of the record, author practice, agent directory and compositions. */
export function ehrFolder(ctx: TranslationContext, parts: FolderParts): XmlSpec {
  const low = ctx.earliest ?? parts.now;
  const high = ctx.latest;
  return x(
    'ehrFolder',
    { classCode: 'FOLDER', moodCode: 'EVN' },
    idElement(parts.id),
    statusCode(),
    x('effectiveTime', {}, x('low', { value: low }), high && high !== low && x('high', { value: high })),
    x('availabilityTime', { value: parts.now }),
    x(
      'author',
      { typeCode: 'AUT' },
      x('time', { value: parts.now }),
      x(
        'AgentOrgSDS',
        { classCode: 'AGNT' },
        x(
          'agentOrganizationSDS',
          { classCode: 'ORG', determinerCode: 'INSTANCE' },
          // Unknown only in a preview (see ExtractAddressing): written as such, never made up.
          parts.senderOds
            ? x('id', { root: '1.2.826.0.1285.0.1.10', extension: parts.senderOds })
            : x('id', { nullFlavor: 'NI' }),
        ),
      ),
    ),
    x('responsibleParty', { typeCode: 'RESP' }, parts.agentDirectory),
    ...parts.compositions,
  );
}
