import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { BenchConfig } from '../../config/bench-config-schema.js';
import {
  type AuditSink,
  type CommandExecutor,
  type EmbeddedBroker,
  type OperatorKeyring,
  type PublishTap,
  ShieldlinkBridge,
  startEmbeddedBroker,
} from '../../bridge/index.js';
import type { BridgePublisher } from '../../session/bridge-publisher.js';
import type { Clock } from '../../time/clock.js';

/** A running bridge and the embedded broker it may have started. */
export interface RunningBridge {
  readonly bridge: ShieldlinkBridge;
  readonly broker: EmbeddedBroker | undefined;
  /** Where clients connect (`mqtt://…`), and the WebSocket URL for browsers when embedded. */
  readonly url: string;
  readonly wsUrl: string | null;
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
  /** Told of every message published to the broker (the run's MQTT log). */
  readonly onPublish?: PublishTap;
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
  if (options.brokerOverride !== undefined) {
    connection = { url: options.brokerOverride };
  } else if ('embedded' in brokerConfig) {
    const { host, port, wsPort } = brokerConfig.embedded;
    try {
      broker = await startEmbeddedBroker({ host, port, wsPort });
    } catch (error) {
      const cause = (error as { cause?: NodeJS.ErrnoException }).cause;
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' && cause?.code !== 'EADDRINUSE') throw error;
      broker = await startEmbeddedBroker({ host, port: 0, wsPort: 0 });
      options.log(`port ${port} or ${wsPort} is in use: embedded broker on ${broker.url} instead`);
    }
    connection = { url: broker.url };
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
    ...(options.onPublish === undefined ? {} : { onPublish: options.onPublish }),
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
    async stop() {
      await bridge.stop();
      await broker?.close();
    },
  };
}
