export type { ClaimResult, SeenMessageIds } from '../common/seen-message-ids.ts';
export { DevPki, type DevPkiOptions } from './certs/dev-pki.ts';
export { spineAgent } from './http/agents.ts';
export { InFlight } from './http/in-flight.ts';
export { ByteBudget, type ServerLimits } from './http/server-limits.ts';
export { InMemorySeenMessageIds, type InMemorySeenOptions } from './mhs/in-memory-seen-message-ids.ts';
export {
  type InboundDelivery,
  type InboundParty,
  MhsInboundEndpoint,
  type MhsInboundOptions,
} from './mhs/mhs-inbound.ts';
export {
  type AttemptOptions,
  type BuiltMessage,
  buildOutboundMessage,
  describeOutcome,
  MhsOutboundClient,
  type MhsOutboundOptions,
  type OutboundEnvelope,
  type OutboundMessage,
  type SendOutcome,
} from './mhs/mhs-outbound.ts';
export { backoffMs, type RetryBudget, retryBudget } from './mhs/retry-schedule.ts';
export { type AttemptOutcome, describeFaults, isTransientFault } from './mhs/transport-signals.ts';
export { type GpHistoryOutcome, PdsClient } from './pds/pds-client.ts';
export type * from './pds/pds-types.ts';
export { SdsClient } from './sds/sds-client.ts';
export { gp2gpReadiness, reliabilityFor, SdsDirectory } from './sds/sds-directory.ts';
export type * from './sds/sds-types.ts';
export { DatabaseSimulatorState } from './simulator/database-simulator-state.ts';
export { evenFaultPlan, FaultInjector, type FaultKind, type FaultPlan } from './simulator/fault-injector.ts';
export { type LocalNetwork, type LocalPractice, startLocalNetwork } from './simulator/local-network.ts';
export { samplePatients, samplePractice, samplePractices } from './simulator/sample-network.ts';
export {
  loadSimulatorConfig,
  parseSimulatorConfig,
  type SimulatorConfig,
} from './simulator/simulator-config.ts';
export {
  InMemorySimulatorState,
  type InMemorySimulatorStateOptions,
  type SimulatorState,
} from './simulator/simulator-state.ts';
export { SPINE_LOG_COLUMNS, type SpineLogEntry, SpineMessageLog } from './simulator/spine-message-log.ts';
export {
  type EndpointRegistration,
  SpineSimulator,
  type SpineSimulatorOptions,
} from './simulator/spine-simulator.ts';
export type { TlsIdentity, TlsMode } from './tls/tls-identity.ts';
