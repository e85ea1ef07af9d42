import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { syntheticNhsNumber } from '../common/nhs-number.ts';
import { validateXsd, xsdUnavailable } from '../common/testing/xsd.ts';
import { buildAck } from './ack.ts';
import { buildCommonContent, type CommonContent } from './common-content.ts';
import { buildEhrExtractMessage, type EhrExtractEnvelope, ExtractIdentityError } from './ehr-extract.ts';
import { buildEhrRequest, type EhrRequest } from './ehr-request.ts';
import { readHl7 } from './read-hl7.ts';
import { REASON_CODES, type ReasonCode } from './reason-codes.ts';
import { minimalEhrFolder } from './testing/minimal-folder.ts';

const uuid = fc.uuid().map((u) => u.toUpperCase());
const asid = fc.stringMatching(/^[1-9][0-9]{11}$/);
const ods = fc.stringMatching(/^[A-Z][0-9]{5}$/);
const practice = fc.record({ asid, ods }).map((p) => ({ ...p }));
/** Synthetic NHS numbers that pass the modulus 11 check: an extract is never written for any other. */
const nhsNumber = fc.integer({ min: 0, max: 5000 }).map(syntheticNhsNumber);
/** Whole seconds: HL7 TS as GP2GP writes it carries no fraction. */
const instant = fc
  .date({ noInvalidDate: true, min: new Date('2000-01-01'), max: new Date('2099-12-31') })
  .map((d) => new Date(Math.floor(d.getTime() / 1000) * 1000));
const skipXsd = xsdUnavailable();
const XSD_RUNS = 15;

describe('EHR request (RCMR_IN010000UK05)', () => {
  const request = fc
    .record({
      messageId: uuid,
      creationTime: instant,
      requestId: uuid,
      nhsNumber,
      requestingPractice: practice,
      sendingPractice: practice,
    })
    .map((r): EhrRequest => ({ ...r }));

  test('build then read gives back the same request (property)', () => {
    fc.assert(
      fc.property(request, (r) => {
        const m = readHl7(buildEhrRequest(r));
        assert.equal(m.kind, 'ehr-request');
        if (m.kind === 'ehr-request') assert.deepEqual(m.request, r);
      }),
    );
  });

  test('a request without an NHS number is refused with reason 18', () => {
    const xml = buildEhrRequest(fc.sample(request, 1)[0]!).replace(
      /<patient[^>]*>\s*<id[^>]*\/>/,
      '<patient classCode="PAT">',
    );
    assert.throws(
      () => readHl7(xml),
      (e: unknown) => (e as { reasonCode?: string }).reasonCode === '18',
    );
  });
});

describe('EHR extract (RCMR_IN030000UK06 / UK07)', () => {
  const envelope = fc
    .record({
      messageId: uuid,
      creationTime: instant,
      extractId: uuid,
      availabilityTime: instant,
      nhsNumber,
      sendingPractice: practice,
      requestingPractice: practice,
      requestId: uuid,
      nopat: fc.boolean(),
    })
    .map((e): EhrExtractEnvelope => ({ ...e }));

  test('build then read gives back the same envelope and the record inside it (property)', () => {
    fc.assert(
      fc.property(envelope, (env) => {
        const m = readHl7(buildEhrExtractMessage(env, minimalEhrFolder(env.sendingPractice.ods)));
        assert.equal(m.kind, 'ehr-extract');
        if (m.kind !== 'ehr-extract') return;
        assert.deepEqual(m.envelope, env);
        assert.equal(m.interactionId, env.nopat ? 'RCMR_IN030000UK07' : 'RCMR_IN030000UK06');
        assert.deepEqual(m.counts, { ehrComposition: 1, NarrativeStatement: 1 });
      }),
    );
  });

  test('counting without keeping the record gives the same counts', () => {
    const env = fc.sample(envelope, 1)[0]!;
    const xml = buildEhrExtractMessage(env, minimalEhrFolder('A99901'));
    const light = readHl7(xml, { countOnly: true });
    assert.equal(light.kind, 'ehr-extract');
    if (light.kind === 'ehr-extract')
      assert.deepEqual(light.counts, { ehrComposition: 1, NarrativeStatement: 1 });
  });

  test('every extract built validates against its MIM schema (UK06 and UK07)', {
    skip: skipXsd ?? false,
  }, () => {
    for (const env of fc.sample(envelope, XSD_RUNS)) {
      for (const nopat of [false, true]) {
        const xml = buildEhrExtractMessage(
          { ...env, nopat },
          minimalEhrFolder(env.sendingPractice.ods, 'Note with <markup> & "quotes"'),
        );
        const r = validateXsd(xml, nopat ? 'RCMR_IN030000UK07' : 'RCMR_IN030000UK06');
        assert.ok(r.valid, r.valid ? '' : r.errors);
      }
    }
  });

  test('an extract is never written with a made-up or missing identity: reason 10 names what is missing', () => {
    const env = fc.sample(envelope, 1)[0]!;
    const cases: [string, EhrExtractEnvelope, RegExp][] = [
      ['no NHS number', { ...env, nhsNumber: '' }, /no patient NHS number/],
      ['an all-zero NHS number', { ...env, nhsNumber: '0000000000' }, /not an NHS number/],
      ['a placeholder NHS number', { ...env, nhsNumber: 'UNKNOWN' }, /not an NHS number/],
      [
        'an UNKNOWN ASID',
        { ...env, sendingPractice: { asid: 'UNKNOWN', ods: 'A99901' } },
        /ASID for the sending/,
      ],
      [
        'no requesting ASID',
        { ...env, requestingPractice: { asid: '', ods: 'B99902' } },
        /ASID for the requesting/,
      ],
      [
        'an UNKNOWN ODS code',
        { ...env, requestingPractice: { asid: '200000000001', ods: 'UNKNOWN!' } },
        /ODS code/,
      ],
      ['no request id', { ...env, requestId: ' ' }, /no EHR request id/],
    ];
    for (const [what, bad, message] of cases) {
      assert.throws(
        () => buildEhrExtractMessage(bad, minimalEhrFolder('A99901')),
        (e: unknown) => e instanceof ExtractIdentityError && e.reasonCode === '10' && message.test(e.message),
        what,
      );
    }
  });

  test('a preview writes unknown ASIDs and request as null flavours, never invented values', () => {
    const env = fc.sample(envelope, 1)[0]!;
    const xml = buildEhrExtractMessage(
      {
        ...env,
        preview: true,
        requestId: '',
        sendingPractice: { asid: '', ods: 'A99901' },
        requestingPractice: { asid: '', ods: 'B99902' },
      },
      minimalEhrFolder('A99901'),
    );
    assert.equal(xml.match(/<id nullFlavor="NI"\/>/g)?.length, 4);
    assert.doesNotMatch(xml, /UNKNOWN|000000000000/);
    assert.throws(
      () => buildEhrExtractMessage({ ...env, preview: true, nhsNumber: '' }, minimalEhrFolder('A99901')),
      ExtractIdentityError,
    );
  });
});

describe('COPC_IN000001UK01', () => {
  const content = fc
    .record({
      messageId: uuid,
      creationTime: instant,
      kind: fc.constantFrom('continue' as const, 'attachment' as const),
      from: practice,
      to: practice,
      acknowledgedMessageId: uuid,
      references: fc.array(fc.stringMatching(/^[A-Z0-9-]{8}_[a-z]{1,8}\.(pdf|tif)$/), {
        minLength: 1,
        maxLength: 4,
      }),
    })
    .map(
      (c): CommonContent =>
        c.kind === 'continue'
          ? { ...c, subject: 'Continue Acknowledgement', references: [] }
          : {
              messageId: c.messageId,
              creationTime: c.creationTime,
              kind: c.kind,
              from: c.from,
              to: c.to,
              subject: `Attachment: ${c.references[0]}`,
              references: c.references,
            },
    );

  test('build then read gives back the same continue or attachment information (property)', () => {
    fc.assert(
      fc.property(content, (c) => {
        const m = readHl7(buildCommonContent(c));
        assert.equal(m.kind, 'common-content');
        if (m.kind === 'common-content') assert.deepEqual(m.content, c);
      }),
    );
  });

  test('every COPC message built validates against the MIM schema', { skip: skipXsd ?? false }, () => {
    for (const c of fc.sample(content, XSD_RUNS)) {
      const r = validateXsd(buildCommonContent(c), 'COPC_IN000001UK01');
      assert.ok(r.valid, r.valid ? '' : r.errors);
    }
  });
});

describe('MCCI_IN010000UK13 application acknowledgement', () => {
  const codes = Object.keys(REASON_CODES) as ReasonCode[];
  const ack = fc
    .record({
      messageId: uuid,
      creationTime: instant,
      senderAsid: asid,
      receiverAsid: asid,
      acknowledgedMessageId: uuid,
      typeCode: fc.constantFrom('AA' as const, 'AE' as const, 'AR' as const),
      reasonCode: fc.constantFrom(...codes),
    })
    .map((a) => (a.typeCode === 'AA' ? { ...a, reasonCode: undefined } : { ...a }));

  test('build then read gives back the type, reason code and its display text (property)', () => {
    fc.assert(
      fc.property(ack, (a) => {
        const m = readHl7(buildAck(a));
        assert.equal(m.kind, 'ack');
        if (m.kind !== 'ack') return;
        assert.equal(m.ack.typeCode, a.typeCode);
        assert.equal(m.ack.acknowledgedMessageId, a.acknowledgedMessageId);
        assert.equal(m.ack.messageId, a.messageId);
        assert.equal(m.ack.reasonCode, a.reasonCode);
        assert.equal(m.ack.reasonText, a.reasonCode ? REASON_CODES[a.reasonCode].displayName : undefined);
      }),
    );
  });

  test('a negative acknowledgement cannot be built without a reason', () => {
    const a = fc.sample(ack, 1)[0]!;
    assert.throws(() => buildAck({ ...a, typeCode: 'AE', reasonCode: undefined }), /needs a reason code/);
  });

  test('every acknowledgement built validates against the MIM schema', { skip: skipXsd ?? false }, () => {
    for (const a of fc.sample(ack, XSD_RUNS)) {
      const r = validateXsd(buildAck(a), 'MCCI_IN010000UK13');
      assert.ok(r.valid, r.valid ? '' : r.errors);
    }
  });
});
