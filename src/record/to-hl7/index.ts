import type { Bundle } from 'fhir/r3.js';
import { isValidNhsNumber } from '../../common/nhs-number.ts';
import { hl7Timestamp } from '../../hl7/hl7-time.ts';
import { buildEhrExtractMessage, ExtractIdentityError, type PracticeAddress } from '../../hl7/index.ts';
import { agentDirectoryElement, registerAgents } from './agent-directory.ts';
import { BundleIndex } from './bundle-index.ts';
import { type ConsultationLayout, consultationComposition, consultationListOf } from './consultation.ts';
import { anyNopat, TranslationContext } from './context.ts';
import type { ReferencedDocument } from './document.ts';
import { ehrFolder } from './ehr-folder.ts';
import { emptyRecordComposition } from './empty-record.ts';
import { nonConsultationCompositions } from './non-consultation.ts';
import { cleanText } from './text.ts';

export type { ConsultationLayout } from './consultation.ts';
export type { ReferencedDocument } from './document.ts';

/**
 * Who an extract is from and for, and the request it answers: everything a transfer knows and a record does
 * not. The NHS number defaults to the Bundle's Patient (and must agree with it where both are given).
 */
export interface ExtractAddress {
  /** The EHR request this extract answers. */
  readonly requestId: string;
  readonly sendingPractice: PracticeAddress;
  readonly requestingPractice: PracticeAddress;
  readonly nhsNumber?: string;
}

/**
 * Where the extract goes: a transfer's {@link ExtractAddress}, or `'preview'` for a local translation that is
 * never sent (`gp2gp translate --to hl7`): its ASIDs and request are then written as unknown (HL7 null flavours),
 * never made up, and Spine would refuse it. The NHS number is required either way.
 */
export type ExtractAddressing = ExtractAddress | 'preview';

/** Ids, addressing and clock for one translation; ids left out are generated. */
export interface BundleToExtractOptions {
  readonly addressing: ExtractAddressing;
  readonly messageId?: string;
  readonly extractId?: string;
  readonly folderId?: string;
  readonly clock?: () => Date;
  /** Id generator (upper-case UUIDs); tests pass a deterministic one. */
  readonly newId?: () => string;
  readonly consultationLayout?: ConsultationLayout;
}

/** The extract message and what the translation had to say about the record. */
export interface BundleToExtractResult {
  readonly xml: string;
  readonly warnings: string[];
  /** Documents the extract refers to: the sender attaches these (or AbsentAttachment placeholders). */
  readonly documents: ReferencedDocument[];
  /** RCMR_IN030000UK06, or UK07 when any entry is NOPAT. */
  readonly interactionId: 'RCMR_IN030000UK06' | 'RCMR_IN030000UK07';
}

const NHS_NUMBER_SYSTEM = 'https://fhir.nhs.uk/Id/nhs-number';
const ODS_SYSTEM = 'https://fhir.nhs.uk/Id/ods-organization-code';

/**
 * Translates a GP Connect 1.6 structured record (FHIR STU3 Bundle) into a GP2GP EHR Extract message.
 * Consultations become ehrCompositions with their topics and categories; everything else gets a composition of
 * its own. Unmappable entries are degraded or skipped with a warning; the rest of the record always translates.
 *
 * @example
 * const { xml, warnings } = translateBundleToExtract(bundle, { requestId, requestingPractice });
 */
export function translateBundleToExtract(
  bundle: Bundle,
  options: BundleToExtractOptions,
): BundleToExtractResult {
  const index = new BundleIndex(
    bundle && typeof bundle === 'object' ? bundle : { resourceType: 'Bundle', type: 'collection' },
  );
  const ctx = new TranslationContext(index, options.newId);
  const now = (options.clock ?? (() => new Date()))();
  registerAgents(ctx);

  const documents: ReferencedDocument[] = [];
  const compositions = [];
  for (const encounter of index.ofType('Encounter')) {
    // An Encounter with no consultation List (a consultation with nothing recorded, or whose entries were
    // withheld) is still sent: the consultation happened.
    const list = consultationListOf(ctx, encounter);
    compositions.push(
      consultationComposition(ctx, encounter, list, options.consultationLayout ?? 'topics', documents),
    );
  }
  compositions.push(...nonConsultationCompositions(ctx, documents));
  if (compositions.length === 0) {
    ctx.warn(undefined, 'record has no clinical content: an empty-record placeholder was sent');
    compositions.push(emptyRecordComposition(ctx, hl7Timestamp(now)));
  }

  const patient = index.ofType('Patient')[0];
  const bundleNhsNumber = cleanText(patient?.identifier?.find((i) => i?.system === NHS_NUMBER_SYSTEM)?.value);
  const practice = index.resolve(patient?.managingOrganization);
  const practiceOds =
    practice?.resourceType === 'Organization'
      ? cleanText(practice.identifier?.find((i) => i?.system === ODS_SYSTEM)?.value)
      : undefined;
  const { addressing } = options;
  const address: ExtractAddress =
    addressing === 'preview'
      ? {
          requestId: '',
          sendingPractice: { asid: '', ods: practiceOds ?? '' },
          requestingPractice: { asid: '', ods: '' },
        }
      : addressing;
  if (address.nhsNumber && bundleNhsNumber && address.nhsNumber !== bundleNhsNumber) {
    throw new ExtractIdentityError([
      `the record is for NHS number ${bundleNhsNumber}, the request for ${address.nhsNumber}`,
    ]);
  }
  const nhsNumber = address.nhsNumber ?? bundleNhsNumber ?? '';
  if (nhsNumber && !isValidNhsNumber(nhsNumber))
    ctx.warn(patient, `NHS number ${nhsNumber} fails the modulus 11 check (sent as the record gives it)`);
  const { sendingPractice, requestingPractice } = address;

  const folder = ehrFolder(ctx, {
    id: options.folderId ?? ctx.newId(),
    now: hl7Timestamp(now),
    senderOds: sendingPractice.ods,
    agentDirectory: agentDirectoryElement(ctx),
    compositions,
  });
  const nopat = ctx.usedNopat || anyNopat(index.resources);
  const xml = buildEhrExtractMessage(
    {
      messageId: options.messageId ?? ctx.newId(),
      creationTime: now,
      extractId: options.extractId ?? ctx.newId(),
      availabilityTime: now,
      nhsNumber,
      sendingPractice,
      requestingPractice,
      requestId: address.requestId,
      nopat,
      ...(addressing === 'preview' ? { preview: true } : {}),
    },
    folder,
  );
  return {
    xml,
    warnings: ctx.warnings,
    documents,
    interactionId: nopat ? 'RCMR_IN030000UK07' : 'RCMR_IN030000UK06',
  };
}
