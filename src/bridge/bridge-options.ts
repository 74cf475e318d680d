import type { Clock } from '../time/clock.js';
import type { AuditBudgetOptions } from './audit-budget.js';
import type { AuditSink } from './audit-sink.js';
import type { BrokerLink } from './broker-link.js';
import type { CommandHandlerOptions } from './command-handler.js';
import type { CommandExecutor } from './command-executor.js';
import type { SpoolFsyncPolicy } from './event-spool.js';
import type { PartnerTopicChannel } from './partner-topics.js';
import type { LedgerFeed } from './ledger-feed.js';
import type { BrokerConnectionOptions } from './mqtt-broker-link.js';
import type { NodeKey } from './node-key.js';
import type { OperatorKeyring } from './operator-keyring.js';
import type { PublishTap } from './publish-tap.js';
import type { ReliableChannelOptions } from './reliable-channel-options.js';
import type { SharingLink } from './sharing-link.js';
import type { StatePublisherOptions } from './state-publisher.js';
import type { ThreatPublisherOptions } from './threat-publisher.js';

/** What the MQTT bridge (`ShieldlinkBridge`) is built from; see each member for its default. */
export interface ShieldlinkBridgeOptions {
  /** The node id: topic root `shieldlink/v1/<nodeId>/`. */
  readonly nodeId: string;
  readonly broker: BrokerConnectionOptions;
  /** The on-disk spool file (created 0600); records left by a previous run are sent first. */
  readonly spoolFile: string;
  readonly spoolFsync?: SpoolFsyncPolicy;
  /** Operator keys; an empty keyring rejects every command. */
  readonly keyring: OperatorKeyring;
  readonly executor: CommandExecutor;
  /** The recording's audit input (default: none; the audit topic gets everything anyway). */
  readonly audit?: AuditSink;
  /** The one clock (timers for coalescing, spool, command timeouts, backoff). */
  readonly clock: Clock;
  /** Wall clock, ms since the Unix epoch: command freshness and human-readable times only. */
  readonly wallClock: () => number;
  /**
   * Id of this process start in every payload (sequence numbers restart with it). Default: 12
   * random hex digits; pass a fixed one for byte-identical virtual-time recordings.
   */
  readonly bootId?: string;
  readonly state?: StatePublisherOptions;
  /** The `threats` topic's rate (default 2 per second). */
  readonly threats?: ThreatPublisherOptions;
  readonly commands?: CommandHandlerOptions;
  readonly channel?: ReliableChannelOptions;
  /** How long `stop` waits for undelivered records before spooling them, ms (default 2000). */
  readonly stopGraceMs?: number;
  /**
   * The node's Ed25519 key: status, device states and command results carry its signature
   * (`nodeSig`). Without it they go out unsigned (displays and `shieldlink cmd` then refuse them).
   */
  readonly nodeKey?: NodeKey;
  /**
   * The replay cache file (nonces and executed command ids within the freshness window survive a
   * restart; see `replay-store.ts`). Without it nothing survives a restart.
   */
  readonly replayCacheFile?: string;
  /** Per-source allowance of rejected commands and foreign publishes audited one by one. */
  readonly auditBudget?: AuditBudgetOptions;
  /** Test seam: a link to use instead of mqtt.js. */
  readonly link?: BrokerLink;
  /** Told of every message handed to the connected broker, in order (the run's MQTT log). */
  readonly onPublish?: PublishTap;
  /**
   * The joint picture (docs/mqtt.md §Shared tracks): releases the latest track picture to each
   * partner under its policy, takes the partners' releases, and puts their state in `status`.
   */
  readonly sharing?: SharingLink;
  /** The live ledger feed (`shared/ledger`): published through the guarded link, drained at stop. */
  readonly ledgerFeed?: LedgerFeed;
  /** Further partner topics (engagement intents): subscribed, routed in, given the guarded link. */
  readonly partnerTopics?: PartnerTopicChannel;
}
