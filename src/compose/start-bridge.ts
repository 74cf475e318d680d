import { chmod, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { BenchConfig } from '../config/bench-config-schema.js';
import {
  type AuditSink,
  type BrokerCredentials,
  type CommandExecutor,
  loadOrCreateBrokerCredentials,
  NodeKey,
  BridgeError,
  NodePublicKey,
  publicKeyFileOf,
  SharingLink,
  type EmbeddedBroker,
  type OperatorKeyring,
  type PartnerTopicChannel,
  type PublishTap,
  ShieldlinkBridge,
  startEmbeddedBroker,
} from '../bridge/index.js';
import type { BridgePublisher } from '../session/bridge-publisher.js';
import type { Clock } from '../time/clock.js';
import type { LedgerFeed } from '../bridge/index.js';
import { DEFAULT_SITE, LocalFrame } from '../geo/index.js';

/** A running bridge and the embedded broker it may have started. */
export interface RunningBridge {
  readonly bridge: ShieldlinkBridge;
  readonly broker: EmbeddedBroker | undefined;
  /** Where clients connect (`mqtt://…`), and the WebSocket URL for browsers when embedded. */
  readonly url: string;
  readonly wsUrl: string | null;
  /** The node's key pair (signs status, device states, results) and where its files are. */
  readonly nodeKey: NodeKey;
  readonly nodeKeyFile: string;
  readonly nodePublicKeyFile: string;
  /** The embedded broker's generated logins (file mode 0600), when embedded. */
  readonly credentials: BrokerCredentials | null;
  readonly credentialsFile: string | null;
  /** The joint picture's sharing link on this broker (the config's `sharing:`), started by the bridge. */
  readonly sharing: SharingLink | undefined;
  /** The partners' public keys of `sharing:`, by partner id (empty without it). */
  readonly partnerKeys: ReadonlyMap<string, NodePublicKey>;
  /** Let browsers of `origin` use the embedded broker's WebSocket (no-op for an external broker). */
  allowOrigin(origin: string): void;
  stop(): Promise<void>;
}

export interface StartBridgeOptions {
  readonly config: BenchConfig;
  /** `--broker URL` (overrides the config), or 'none'. */
  readonly brokerOverride?: string;
  readonly clock: Clock;
  readonly wallClock: () => number;
  readonly keyring: OperatorKeyring;
  readonly executor: CommandExecutor;
  readonly audit: AuditSink;
  readonly publisher: BridgePublisher;
  readonly outputDir: string;
  readonly bootId: string;
  readonly log: (line: string) => void;
  /**
   * Keep the replay cache on disk (`<outputDir>/<node>.replay`) so that a restart forgets no nonce
   * or executed id within the freshness window. Real-time runs only: a virtual-time run's wall
   * clock restarts at the same epoch every run. Default false.
   */
  readonly persistReplayCache?: boolean;
  /** Resolve a path of the config (TLS files) relative to the config file (default: as given). */
  readonly resolvePath?: (path: string) => string;
  /** Told of every message published to the broker (the run's MQTT log). */
  readonly onPublish?: PublishTap;
  /** The live ledger feed to publish (`shared/ledger`). */
  readonly ledgerFeed?: LedgerFeed;
  /** Further partner topics (engagement intents) the bridge subscribes to and publishes on. */
  readonly partnerTopics?: PartnerTopicChannel;
}

/**
 * Start the MQTT bridge per the config (or `--broker`): an embedded Aedes broker on the
 * configured port — an ephemeral one when that port is taken, said in the log — or an external
 * broker by URL with TLS and credentials (password from the named environment variable, never
 * from the file). Returns undefined when the broker is disabled.
 */
export async function startBridge(options: StartBridgeOptions): Promise<RunningBridge | undefined> {
  const brokerConfig = options.config.broker;
  if (options.brokerOverride === 'none' || (options.brokerOverride === undefined && 'disabled' in brokerConfig)) {
    return undefined;
  }
  let broker: EmbeddedBroker | undefined;
  let connection: ConstructorParameters<typeof ShieldlinkBridge>[0]['broker'];
  const nodeId = options.config.node.id;
  // The node's keys live beside its run files, created (0600) on the first start and reused.
  const keysDir = join(options.outputDir, 'keys');
  await mkdir(keysDir, { recursive: true, mode: 0o700 });
  await chmod(keysDir, 0o700);
  const nodeKeyFile = join(keysDir, `${nodeId}.node.key.json`);
  const { key: nodeKey, created: keyCreated } = await NodeKey.loadOrCreate(nodeKeyFile, nodeId);
  if (keyCreated) options.log(`node key made: ${nodeKeyFile} (0600); public key ${publicKeyFileOf(nodeKeyFile)}`);
  let credentials: BrokerCredentials | null = null;
  let credentialsFile: string | null = null;
  if (options.brokerOverride !== undefined) {
    connection = { url: options.brokerOverride };
  } else if ('embedded' in brokerConfig) {
    const { host, port, wsPort, tls, allowedOrigins } = brokerConfig.embedded;
    credentialsFile = join(keysDir, `${nodeId}.mqtt.json`);
    const loaded = await loadOrCreateBrokerCredentials(credentialsFile, nodeId);
    credentials = loaded.credentials;
    if (loaded.created) options.log(`broker logins made: ${credentialsFile} (0600)`);
    const resolvePath = options.resolvePath ?? ((p: string) => p);
    const common = {
      host,
      credentials,
      ...(tls === undefined ? {} : { tls: { certFile: resolvePath(tls.certFile), keyFile: resolvePath(tls.keyFile) } }),
      allowedOrigins: allowedOrigins ?? [],
    };
    try {
      broker = await startEmbeddedBroker({ ...common, port, wsPort });
    } catch (error) {
      const cause = (error as { cause?: NodeJS.ErrnoException }).cause;
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' && cause?.code !== 'EADDRINUSE') throw error;
      broker = await startEmbeddedBroker({ ...common, port: 0, wsPort: 0 });
      options.log(`port ${port} or ${wsPort} is in use: embedded broker on ${broker.url} instead`);
    }
    connection = {
      url: broker.url,
      username: credentials.users.node.username,
      password: credentials.users.node.password,
      // The embedded broker's certificate is for remote clients; the node itself is on loopback.
      ...(tls === undefined ? {} : { tls: { rejectUnauthorized: false } }),
    };
  } else if ('url' in brokerConfig) {
    const password = brokerConfig.passwordEnv === undefined ? undefined : process.env[brokerConfig.passwordEnv];
    connection = {
      url: brokerConfig.url,
      ...(brokerConfig.username === undefined ? {} : { username: brokerConfig.username }),
      ...(password === undefined ? {} : { password }),
      ...(brokerConfig.tls === undefined ? {} : { tls: brokerConfig.tls }),
    };
  } else {
    return undefined;
  }
  await mkdir(options.outputDir, { recursive: true });
  const partnerKeys = new Map<string, NodePublicKey>();
  const sharing = await startSharing(options, nodeKey, partnerKeys);
  const bridge = new ShieldlinkBridge({
    nodeId: options.config.node.id,
    broker: connection,
    spoolFile: join(options.outputDir, `${options.config.node.id}.spool`),
    keyring: options.keyring,
    executor: options.executor,
    audit: options.audit,
    clock: options.clock,
    wallClock: options.wallClock,
    bootId: options.bootId,
    nodeKey,
    ...(options.persistReplayCache === true ? { replayCacheFile: join(options.outputDir, `${nodeId}.replay`) } : {}),
    ...(options.onPublish === undefined ? {} : { onPublish: options.onPublish }),
    ...(sharing === undefined ? {} : { sharing }),
    ...(options.ledgerFeed === undefined ? {} : { ledgerFeed: options.ledgerFeed }),
    ...(options.partnerTopics === undefined ? {} : { partnerTopics: options.partnerTopics }),
    commands: {
      staleAfterMs: options.config.auth.freshnessS * 1000,
      twoOperatorWindowMs: options.config.auth.twoOperatorWindowS * 1000,
    },
  });
  await bridge.start(options.publisher);
  return {
    bridge,
    broker,
    url: connection.url,
    wsUrl: broker?.wsUrl ?? null,
    nodeKey,
    nodeKeyFile,
    nodePublicKeyFile: publicKeyFileOf(nodeKeyFile),
    credentials,
    credentialsFile,
    sharing,
    partnerKeys,
    allowOrigin(origin) {
      broker?.allowOrigin(origin);
    },
    async stop() {
      await bridge.stop();
      await broker?.close();
    },
  };
}

/**
 * The joint picture of `sharing:` (none without it): each partner's public key is read now, so a
 * missing or wrong key file stops the start (exit 2), never a silent "accept anything".
 */
async function startSharing(
  options: StartBridgeOptions,
  nodeKey: NodeKey,
  partnerKeys: Map<string, NodePublicKey>,
): Promise<SharingLink | undefined> {
  const config = options.config.sharing;
  if (config === undefined) return undefined;
  const resolvePath = options.resolvePath ?? ((p: string) => p);
  for (const partner of config.partners) {
    const key = await NodePublicKey.load(resolvePath(partner.publicKey));
    if (key.nodeId !== partner.id) {
      throw new BridgeError(
        'key-file',
        `sharing: ${partner.publicKey} is the key of '${key.nodeId}', not of partner '${partner.id}'`,
      );
    }
    partnerKeys.set(partner.id, key);
  }
  const sharing = new SharingLink({
    nodeKey,
    frame: new LocalFrame(options.config.site ?? DEFAULT_SITE),
    config,
    partnerKeys,
    clock: options.clock,
    wallClock: options.wallClock,
    events: {
      pictureChanged: (c) =>
        options.log(
          c.to === 'stale'
            ? `partner ${c.partnerId}: picture stale (silent ${Math.round((c.silentForUs ?? 0) / 1000)} ms) — going on alone`
            : `partner ${c.partnerId}: picture live`,
        ),
    },
  });
  const partners = config.partners.map((p) => `${p.id}${p.release === undefined ? ' (releases nothing)' : ''}`);
  options.log(`sharing with ${partners.join(', ') || 'no partner'}`);
  return sharing;
}
