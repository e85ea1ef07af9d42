import { type XmlSpec, x } from '../../xml/index.ts';
import { OID } from '../oids.ts';

/**
 * A small, schema-valid synthetic ehrFolder (one consultation with one narrative note), for envelope tests
 * that need a whole extract without the record translator.
 */
export function minimalEhrFolder(ods: string, note = 'Synthetic test note'): XmlSpec {
  const agentId = '5E1F7C0A-0000-4000-8000-000000000001';
  return x(
    'ehrFolder',
    { classCode: 'FOLDER', moodCode: 'EVN' },
    x('id', { root: '5E1F7C0A-0000-4000-8000-000000000002' }),
    x('statusCode', { code: 'COMPLETE' }),
    x('effectiveTime', {}, x('low', { value: '20240101' })),
    x('availabilityTime', { value: '20240101' }),
    x(
      'author',
      { typeCode: 'AUT' },
      x('time', { value: '20240101' }),
      x(
        'AgentOrgSDS',
        { classCode: 'AGNT' },
        x(
          'agentOrganizationSDS',
          { classCode: 'ORG', determinerCode: 'INSTANCE' },
          x('id', { root: OID.ods, extension: ods }),
        ),
      ),
    ),
    x(
      'responsibleParty',
      { typeCode: 'RESP' },
      x(
        'agentDirectory',
        { classCode: 'AGNT' },
        x(
          'part',
          { typeCode: 'PART' },
          x(
            'Agent',
            { classCode: 'AGNT' },
            x('id', { root: agentId }),
            x(
              'agentPerson',
              { classCode: 'PSN', determinerCode: 'INSTANCE' },
              x('name', {}, x('given', {}, 'Alex'), x('family', {}, 'Example')),
            ),
          ),
        ),
      ),
    ),
    x(
      'component',
      { typeCode: 'COMP' },
      x(
        'ehrComposition',
        { classCode: 'COMPOSITION', moodCode: 'EVN' },
        x('id', { root: '5E1F7C0A-0000-4000-8000-000000000003' }),
        x('code', { code: '24591000000103', codeSystem: OID.snomed, displayName: 'Other report' }),
        x('statusCode', { code: 'COMPLETE' }),
        x('effectiveTime', {}, x('center', { value: '20240101' })),
        x('availabilityTime', { value: '20240101' }),
        x(
          'author',
          { typeCode: 'AUT', contextControlCode: 'OP' },
          x('time', { value: '20240101' }),
          x('agentRef', { classCode: 'AGNT' }, x('id', { root: agentId })),
        ),
        x(
          'Participant2',
          { typeCode: 'PRF', contextControlCode: 'OP' },
          x('agentRef', { classCode: 'AGNT' }, x('id', { root: agentId })),
        ),
        x(
          'component',
          { typeCode: 'COMP' },
          x(
            'NarrativeStatement',
            { classCode: 'OBS', moodCode: 'EVN' },
            x('id', { root: '5E1F7C0A-0000-4000-8000-000000000004' }),
            x('text', {}, note),
            x('statusCode', { code: 'COMPLETE' }),
            x('availabilityTime', { value: '20240101' }),
          ),
        ),
      ),
    ),
  );
}
