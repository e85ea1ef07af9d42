/** Object identifiers GP2GP uses to say what kind of id an `<id root=… extension=…>` carries. */
export const OID = {
  /** Accredited System ID (ASID) of an MHS endpoint. */
  asid: '1.2.826.0.1285.0.2.0.107',
  /** ODS organisation code. */
  ods: '1.2.826.0.1285.0.1.10',
  /** NHS number. */
  nhsNumber: '2.16.840.1.113883.2.1.4.1',
  /** HL7 interaction ids. */
  interaction: '2.16.840.1.113883.2.1.3.2.4.12',
  /** GP2GP large-message payload codes (GP2GP_PI, GP2GPLMATTACHMENT…). */
  largeMessageCodes: '2.16.840.1.113883.2.1.3.2.4.17.202',
  /** Acknowledgement detail type (ER, WG). */
  ackDetailType: '2.16.840.1.113883.2.1.3.2.4.17.104',
  /** NPfIT message type. */
  messageType: '2.16.840.1.113883.2.1.3.2.4.18.17',
  /** SNOMED CT. */
  snomed: '2.16.840.1.113883.2.1.3.2.4.15',
  /** Confidentiality codes (NOPAT). */
  confidentiality: '2.16.840.1.113883.4.642.3.47',
} as const;

/** The GP2GP interactions we read and write. */
export const INTERACTION = {
  ehrRequest: 'RCMR_IN010000UK05',
  ehrExtract: 'RCMR_IN030000UK06',
  ehrExtractNopat: 'RCMR_IN030000UK07',
  commonContent: 'COPC_IN000001UK01',
  ack: 'MCCI_IN010000UK13',
} as const;

/** An interaction id we know. */
export type InteractionId = (typeof INTERACTION)[keyof typeof INTERACTION];

/** Narrows an interaction id read off the wire. */
export function isInteractionId(id: string | undefined): id is InteractionId {
  return id !== undefined && (Object.values(INTERACTION) as string[]).includes(id);
}
