/** The MQTT bridge (docs/mqtt.md): the only place that imports `mqtt`, `aedes` and `ws`. */
export { ShieldlinkBridge, type ShieldlinkBridgeOptions, type BridgeHealth } from './shieldlink-bridge.js';
export type {
  BridgeSink,
  BridgeSource,
  DetailMap,
  DeviceStateUpdate,
  EngagementChange,
  LoopMetrics,
  NodeBirth,
  NumberMap,
  TrackPicture,
  TrackView,
} from './bridge-source.js';
export type { CommandExecutor, CommandOutcome, CommandProgress, VerifiedCommand } from './command-executor.js';
export { type AuditSink, NULL_AUDIT_SINK } from './audit-sink.js';
export { BridgeError, type BridgeErrorCode } from './bridge-error.js';
export type { BrokerLink, BrokerLinkListener, InboundMessage, OutboundMessage } from './broker-link.js';
export { type PublishTap, tappedLink } from './publish-tap.js';
export { MqttBrokerLink, type BrokerConnectionOptions } from './mqtt-broker-link.js';
export {
  startEmbeddedBroker,
  type EmbeddedBroker,
  type EmbeddedBrokerLimits,
  type EmbeddedBrokerOptions,
  type EmbeddedBrokerRefusals,
} from './embedded-broker.js';
export {
  brokerCredentialsFile,
  generateBrokerCredentials,
  loadBrokerCredentials,
  loadOrCreateBrokerCredentials,
  type BrokerCredentials,
  type BrokerRole,
} from './broker-credentials.js';
export {
  NodeKey,
  NodePublicKey,
  nodeSigningBytes,
  NODE_SIGNATURE_MEMBER,
  type NodeSignatureVerdict,
} from './node-key.js';
export { KeyFileError, publicKeyFileOf, type KeyFileProblem } from './key-file.js';
export {
  shieldlinkAclRules,
  aclAllows,
  topicMatches,
  parseMosquittoAcl,
  ACL_PATTERNS,
  type AclRule,
} from './broker-acl.js';
export { ReplayStore, type ReplayEntry, type ReplayStoreOpened } from './replay-store.js';
export { AuditBudget, type AuditBudgetOptions, type SuppressedSummary } from './audit-budget.js';
export { OperatorKey } from './operator-key.js';
export {
  HmacOperatorKey,
  OperatorPublicKey,
  operatorPublicKeyFile,
  operatorPrivateKeyFile,
  operatorHmacKeyFile,
  MIN_SECRET_BYTES,
  type OperatorKeyAlgorithm,
  type OperatorVerifier,
  type SignatureCheck,
} from './operator-public-key.js';
export {
  OperatorKeyring,
  loadOperatorKeyFile,
  loadOperatorVerifierFile,
  OPERATOR_KEYS_ENV,
  type KeyringSources,
} from './operator-keyring.js';
export { signCommand, newNonce, type CommandDraft, type SignOptions } from './command-signer.js';
export { canonicalJson, commandSigningBytes } from './canonical-json.js';
export {
  OperatorClient,
  type OperatorClientOptions,
  type CommandExchange,
  type UntrustedResult,
} from './operator-client.js';
export { TopicTree, TOPIC_ROOT, encodeTopicLevel } from './topic-tree.js';
export { exportJsonSchemas, PAYLOADS, payloadSpecForTopic, type PayloadSpec } from './json-schemas.js';
export { needsTwoOperators } from './two-operator-gate.js';
export {
  COMMAND_VERBS,
  WEAPONS_CONTROL_STATUSES,
  commandRequest,
  unsignedCommandRequest,
  isCommandVerb,
  type CommandAction,
  type CommandRequest,
  type CommandVerb,
} from './schemas/command-request.js';
export {
  BRIDGE_REJECT_REASONS,
  commandResultPayload,
  type BridgeRejectReason,
  type CommandResultPayload,
} from './schemas/command-result-payload.js';
export type { AuditRecord } from './schemas/audit-record-payload.js';
export type { StatusPayload } from './schemas/status-payload.js';
export type { DeviceStatePayload } from './schemas/device-state-payload.js';
export type { TrackSnapshotPayload } from './schemas/track-snapshot-payload.js';
export type { EngagementEventPayload } from './schemas/engagement-event-payload.js';
export type { MetricsPayload } from './schemas/metrics-payload.js';
export type { ThreatPicturePayload, ThreatEntryPayload, AssetEntryPayload } from './schemas/threat-picture-payload.js';
export {
  ThreatPublisher,
  threatPicturePayloadOf,
  MAX_THREATS_PER_MESSAGE,
  type ThreatPicture,
  type ThreatView,
  type AssetView,
  type GroundAreaView,
  type ThreatPublisherOptions,
} from './threat-publisher.js';
export {
  SharingLink,
  type SharingEvents,
  type SharingLinkOptions,
  type SharingStatus,
  releasableTracks,
  sharedTracksInFilters,
  sharedTracksTopic,
} from './sharing-link.js';
export { LedgerFeed, ledgerTopic, MAX_QUEUED_LEDGER_LINES } from './ledger-feed.js';
export { type PartnerTopicCounters, PartnerTopicChannel } from './partner-topics.js';
