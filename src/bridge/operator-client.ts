import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { IClientOptions, MqttClient } from 'mqtt';
import type { Clock } from '../time/clock.js';
import { US_PER_MS } from '../time/clock.js';
import { BridgeError } from './bridge-error.js';
import { type CommandDraft, signCommand } from './command-signer.js';
import type { BrokerConnectionOptions } from './mqtt-broker-link.js';
import type { NodePublicKey, NodeSignatureVerdict } from './node-key.js';
import type { OperatorKey } from './operator-key.js';
import { type CommandResultPayload, commandResultPayload } from './schemas/command-result-payload.js';
import { TopicTree } from './topic-tree.js';

export interface OperatorClientOptions {
  readonly broker: Omit<BrokerConnectionOptions, 'backoff'>;
  /** The node to command. */
  readonly nodeId: string;
  readonly clock: Clock;
  /** Wall clock, ms since the Unix epoch (command timestamps). */
  readonly wallClock: () => number;
  /**
   * MQTT 5 response topic (default `shieldlink/v1/<node>/replies/<client id>`); must be one the
   * bridge honours (outside `shieldlink/v1/`, or under the node's `replies/`) and one the broker
   * ACL lets this client read.
   */
  readonly replyTopic?: string;
  /**
   * The node's public key: a result counts only when it carries the node's valid signature
   * (`nodeSig`); anything else is kept apart in `untrusted`. Without it every result is taken
   * as it comes (tests of the bridge alone).
   */
  readonly nodeKey?: NodePublicKey;
}

/** A result refused because it was not signed by the node's key. */
export interface UntrustedResult {
  readonly verdict: Exclude<NodeSignatureVerdict, 'valid'>;
  readonly topic: string;
  readonly status: string;
}

/** Everything a command produced, last one first-class. */
export interface CommandExchange {
  /** Every result received for the id, in arrival order. */
  readonly results: readonly CommandResultPayload[];
  /** The one that decides: terminal, or the last `accepted` when the wait ended. */
  readonly final: CommandResultPayload | null;
  /** Results for the id that were refused (unsigned or badly signed): someone forged them. */
  readonly untrusted: readonly UntrustedResult[];
}

/**
 * The operator side of `commands/<verb>`: signs, publishes, and collects results (from
 * `commands/result`, and on MQTT 5 from a private response topic with correlation data).
 * Used by `shieldlink cmd` and by tests. One connection, no reconnection: it is short-lived.
 */
export class OperatorClient {
  /**
   * Results per id, as received on `commands/result` and on the response topic. The bridge sends
   * each result to both, in the same order, so each list is a prefix of the same sequence: the
   * longer one is the current view (and on MQTT 3.1.1 the reply list simply stays empty).
   */
  private readonly onResultTopic = new Map<string, CommandResultPayload[]>();
  private readonly onReplyTopic = new Map<string, CommandResultPayload[]>();
  private readonly untrusted = new Map<string, UntrustedResult[]>();
  private waiters: (() => void)[] = [];

  private constructor(
    private readonly client: MqttClient,
    private readonly topics: TopicTree,
    private readonly replyTopic: string | null,
    private readonly options: OperatorClientOptions,
  ) {
    client.on('message', (topic, payload) => this.onResult(topic, payload));
  }

  static async connect(options: OperatorClientOptions): Promise<OperatorClient> {
    const topics = new TopicTree(options.nodeId);
    const clientId = `shieldlink-operator-${randomBytes(6).toString('hex')}`;
    const broker = options.broker;
    const tls = {
      ca: broker.tls?.caFile === undefined ? undefined : await readFile(broker.tls.caFile),
      cert: broker.tls?.certFile === undefined ? undefined : await readFile(broker.tls.certFile),
      key: broker.tls?.keyFile === undefined ? undefined : await readFile(broker.tls.keyFile),
    };
    const attempt = async (version: 4 | 5): Promise<MqttClient> => {
      const clientOptions: IClientOptions = {
        clientId,
        protocolVersion: version,
        clean: true,
        reconnectPeriod: 0,
        queueQoSZero: false,
        connectTimeout: broker.connectTimeoutMs ?? 5_000,
        keepalive: broker.keepaliveS ?? 10,
        username: broker.username,
        password: broker.password,
        rejectUnauthorized: broker.tls?.rejectUnauthorized ?? true,
        ...tls,
      };
      // The MQTT client loads when an operator connects, not with every command.
      return (await import('mqtt')).connectAsync(broker.url, clientOptions);
    };
    let client: MqttClient;
    let version: 4 | 5 = broker.protocol === '3.1.1' ? 4 : 5;
    try {
      client = await attempt(version);
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (broker.protocol !== 'auto' && broker.protocol !== undefined) throw unavailable(broker.url, error);
      if (version !== 5 || (code !== 1 && code !== 0x84)) throw unavailable(broker.url, error);
      version = 4;
      client = await attempt(4).catch((e: unknown) => {
        throw unavailable(broker.url, e);
      });
    }
    const replyTopic = version === 5 ? (options.replyTopic ?? `${topics.repliesPrefix}${clientId}`) : null;
    await client.subscribeAsync(replyTopic === null ? [topics.commandResult] : [topics.commandResult, replyTopic], {
      qos: 1,
    });
    return new OperatorClient(client, topics, replyTopic, options);
  }

  get protocolVersion(): 4 | 5 {
    return this.replyTopic === null ? 4 : 5;
  }

  /** Publish any payload on `commands/<verb>` (tests send malformed ones this way). */
  async publishRaw(verb: string, payload: string | Buffer, correlationId?: string): Promise<void> {
    const properties =
      this.replyTopic === null
        ? undefined
        : {
            responseTopic: this.replyTopic,
            ...(correlationId === undefined ? {} : { correlationData: Buffer.from(correlationId) }),
          };
    await this.client.publishAsync(`${this.topics.prefix}commands/${verb}`, payload, { qos: 1, properties });
  }

  /**
   * Sign `draft` with each key in turn (one key, or two for FREE and ARM), publish, and wait for
   * the results: after a non-final signature for `pending`, after the last for a terminal result
   * (`completed`, `rejected`, `timed_out`) or `pending` (a second operator is expected from
   * elsewhere), giving up after `timeoutMs` per step (then `final` is the last result seen, e.g.
   * `accepted`, or null when nothing came).
   */
  async send(draft: CommandDraft, keys: readonly OperatorKey[], timeoutMs: number): Promise<CommandExchange> {
    if (keys.length === 0) throw new BridgeError('key-file', 'at least one operator key is needed');
    let final: CommandResultPayload | null = null;
    for (let i = 0; i < keys.length; i++) {
      const signed = signCommand(draft, keys[i]!, { timestampMs: this.options.wallClock() });
      const before = this.resultsFor(draft.id).length;
      await this.publishRaw(draft.verb, JSON.stringify(signed), draft.id);
      const last = i === keys.length - 1;
      // After a non-final signature any result will do (`pending` expected); after the last,
      // wait past `accepted` for a terminal one — or `pending`: a lone signature on FREE/ARM
      // waits for another operator's client, not for this one.
      final = await this.awaitResult(draft.id, before, timeoutMs, (r) => !last || r.status !== 'accepted');
      if (final === null || (!last && final.status !== 'pending')) break;
    }
    return { results: [...this.resultsFor(draft.id)], final, untrusted: [...this.untrustedFor(draft.id)] };
  }

  /** Results for `id` refused for want of a valid node signature. */
  untrustedFor(id: string): readonly UntrustedResult[] {
    return this.untrusted.get(id) ?? [];
  }

  /** Results seen so far for `id`, in order, each once. */
  resultsFor(id: string): readonly CommandResultPayload[] {
    const a = this.onResultTopic.get(id) ?? [];
    const b = this.onReplyTopic.get(id) ?? [];
    return a.length >= b.length ? a : b;
  }

  /**
   * Wait until a result for `id` after the first `after` ones satisfies `done`, or `timeoutMs`
   * passes; returns that result, else the last new one, else null.
   */
  async awaitResult(
    id: string,
    after: number,
    timeoutMs: number,
    done: (result: CommandResultPayload) => boolean,
  ): Promise<CommandResultPayload | null> {
    let timedOut = false;
    const timer = this.options.clock.setTimer(timeoutMs * US_PER_MS, () => {
      timedOut = true;
      this.wake();
    });
    try {
      for (;;) {
        const fresh = this.resultsFor(id).slice(after);
        const hit = fresh.find(done);
        if (hit !== undefined) return hit;
        if (timedOut) return fresh.at(-1) ?? null;
        await new Promise<void>((resolve) => this.waiters.push(resolve));
      }
    } finally {
      timer.cancel();
    }
  }

  async close(): Promise<void> {
    await this.client.endAsync();
  }

  private onResult(topic: string, payload: Buffer): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(payload.toString('utf8'));
    } catch {
      return;
    }
    const result = commandResultPayload.safeParse(parsed);
    if (!result.success || result.data.id === null) return;
    const verdict = this.options.nodeKey?.verifyPayload(parsed) ?? 'valid';
    if (verdict !== 'valid' || (this.options.nodeKey !== undefined && result.data.nodeId !== this.options.nodeId)) {
      const list = this.untrusted.get(result.data.id) ?? [];
      if (list.length < 100)
        list.push({ verdict: verdict === 'valid' ? 'bad-signature' : verdict, topic, status: result.data.status });
      this.untrusted.set(result.data.id, list);
      return;
    }
    const lists = topic === this.topics.commandResult ? this.onResultTopic : this.onReplyTopic;
    const list = lists.get(result.data.id) ?? [];
    list.push(result.data);
    lists.set(result.data.id, list);
    this.wake();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const resolve of waiters) resolve();
  }
}

function unavailable(url: string, error: unknown): BridgeError {
  return new BridgeError('broker-unavailable', `cannot connect to ${url}: ${(error as Error).message}`, {
    cause: error,
  });
}
