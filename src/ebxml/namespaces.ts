/** Namespace URIs and fixed values of the Spine ebXML 2.0 profile. */
export const NAMESPACES = {
  soap: 'http://schemas.xmlsoap.org/soap/envelope/',
  eb: 'http://www.oasis-open.org/committees/ebxml-msg/schema/msg-header-2_0.xsd',
  hl7ebxml: 'urn:hl7-org:transport/ebxml/DSTUv1.0',
  xlink: 'http://www.w3.org/1999/xlink',
} as const;

/** The PartyId type Spine uses for MHS party keys. */
export const PARTY_ID_TYPE = 'urn:nhs:names:partyType:ocs+serviceInstance';

/** The ebXML service for GP2GP interactions. */
export const GP2GP_SERVICE = 'urn:nhs:names:services:gp2gp';

/** The ebXML service and actions of message-service-level signals (acks and errors). */
export const EBXML_SERVICE = 'urn:oasis:names:tc:ebxml-msg:service';
/** The action of a transport acknowledgement. */
export const ACK_ACTION = 'Acknowledgment';
/** The action of an ebXML error message. */
export const ERROR_ACTION = 'MessageError';

/** AckRequested is addressed to the next MHS along the path (Spine), as forward-reliable messaging asks. */
export const NEXT_MSH_ACTOR = 'urn:oasis:names:tc:ebxml-msg:actor:nextMSH';
/** An Acknowledgment comes from the receiving party's MHS. */
export const TO_PARTY_MSH_ACTOR = 'urn:oasis:names:tc:ebxml-msg:actor:toPartyMSH';
