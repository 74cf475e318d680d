import mqtt, { type MqttClient } from 'mqtt';
import { ledgerTopic } from '../bridge/ledger-feed.js';
import type { LedgerWatch } from './ledger-watch.js';

/** How the display's server reaches the node's ledger feed. */
export interface LedgerSubscriberOptions {
  /** The broker (`mqtt://`, `mqtts://`, `ws://` or `wss://`). */
  readonly brokerUrl: string;
  readonly nodeId: string;
  /** The display's broker login (its `display` user may read `shared/ledger`); null: anonymous. */
  readonly username: string | null;
  readonly password: string | null;
}

/** A running subscription; `close` ends it. */
export interface LedgerSubscriber {
  close(): Promise<void>;
}

/**
 * Follow `shieldlink/v1/<node>/shared/ledger` (QoS 1) and hand every line to `watch` in arrival
 * order, saying on the panel how the link is. Reconnects every 2 s while the broker is away;
 * lines published meanwhile are missed, and the verifier reports the gap (a display cannot vouch
 * for what it did not see).
 */
export function subscribeLedger(options: LedgerSubscriberOptions, watch: LedgerWatch): LedgerSubscriber {
  const topic = ledgerTopic(options.nodeId);
  const where = `${topic} on ${options.brokerUrl}`;
  watch.setSource(`${where} (connecting)`);
  const client: MqttClient = mqtt.connect(options.brokerUrl, {
    clientId: `shieldlink-display-ledger-${options.nodeId}-${process.pid}`,
    clean: true,
    reconnectPeriod: 2000,
    connectTimeout: 10_000,
    ...(options.username === null ? {} : { username: options.username, password: options.password ?? '' }),
  });
  client.on('connect', () => {
    client.subscribe(topic, { qos: 1 }, (error) => {
      watch.setSource(error ? `${where} (not allowed to subscribe: ${error.message})` : where);
    });
  });
  client.on('reconnect', () => watch.setSource(`${where} (reconnecting)`));
  client.on('offline', () => watch.setSource(`${where} (offline)`));
  client.on('error', (error) => watch.setSource(`${where} (error: ${error.message})`));
  client.on('message', (_topic, payload) => watch.line(payload.toString('utf8')));
  return {
    close: () => new Promise<void>((resolve) => client.end(true, {}, () => resolve())),
  };
}
