export * from './intent-schema.js';
export * from './deconfliction.js';
export { ClaimBook, type HeldClaim, MAX_CLAIMS_PER_NODE } from './claim-book.js';
export * from './intent-intake.js';
export * from './partner-links.js';
export * from './partner-requests.js';
export * from './coordination-events.js';
export {
  CoordinationAgent,
  type CoordinationCounters,
  type CoordinationOptions,
  type CoordinationTick,
  type IntentSigner,
  type OutgoingIntents,
  type ThreatView,
} from './coordination-agent.js';
