import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  BridgeError,
  type BrokerConnectionOptions,
  type CommandAction,
  type CommandDraft,
  type CommandResultPayload,
  COMMAND_VERBS,
  type CommandVerb,
  isCommandVerb,
  loadBrokerCredentials,
  loadOperatorKeyFile,
  needsTwoOperators,
  NodePublicKey,
  OperatorClient,
  unsignedCommandRequest,
} from '../../bridge/index.js';
import { RealClock, wallClockMs } from '../../time/real-clock.js';
import { type Command, EXIT_OK, EXIT_RUNTIME, EXIT_VERDICT_FAIL, UsageError } from '../command.js';

const HELP = `Usage: shieldlink cmd <verb> [arguments] --broker URL --node ID --key FILE [options]
       shieldlink cmd <verb> [arguments] --credentials FILE --key FILE [options]

Sign an operator command with your private key (Ed25519; a legacy HMAC key file works too),
publish it on shieldlink/v1/<node>/commands/<verb>, wait for its result and print it
(docs/mqtt.md). A result counts only when it carries the
node's valid Ed25519 signature for that command id: a forged or unsigned result is refused and
said so (exit 1).

Verbs:
  set-weapons-control hold|tight|free   free needs two operators
  engage-track --track ID [--launcher ID]
  hold-fire --track ID
  cease-fire --track ID
  abort-engagement --engagement ID
  set-radar-mode --radar ID --mode MODE
  arm --launcher ID                      needs two operators
  safe --launcher ID
  republish                              publish the full state again

Two operators (FREE, ARM): give both keys (--key and --key2, two different operators), or
each operator runs the same command with the same --id within the window (default 30 s): the
first gets "pending", the second the outcome.

Options:
  --broker URL        mqtt://host:1883, mqtts://..., ws://..., wss://...
                      (default with --credentials: mqtt://127.0.0.1:1883)
  --node ID           node to command (default with --credentials: its node)
  --credentials FILE  the node's generated broker logins (<output dir>/keys/<node>.mqtt.json,
                      printed by shieldlink run): log in as its operator user
  --node-key FILE     the node's public key (<node>.node.pub.json) to check results with;
                      default: <node>.node.pub.json beside --credentials. Required.
  --key FILE          your operator private key file (shieldlink keygen --operator; must be
                      mode 0600); the node holds only its .pub.json
  --key2 FILE         a second operator's private key file
  --id ID             request id (default: random); reuse it for a second operator
  --timeout-ms N      wait per step for a result (default 10000)
  --protocol P        auto (default), 5 or 3.1.1
  --username U        broker user; the password comes from $SHIELDLINK_MQTT_PASSWORD
  --tls-ca FILE       CA certificate(s) (PEM) for mqtts:// or wss://
  --tls-cert FILE     client certificate (PEM), with --tls-key FILE
  --json              print the final result as one JSON line

Examples:
  shieldlink cmd safe --launcher launcher-1 --broker mqtt://127.0.0.1:1883 --node bench-1 --key alice.key.json
  shieldlink cmd set-weapons-control free --key alice.key.json --key2 bob.key.json --node bench-1 --broker mqtt://127.0.0.1:1883 --node-key bench-1.node.pub.json
  shieldlink cmd safe --launcher launcher-1 --credentials runs/keys/sim-1.mqtt.json --key alice.key.json

Exit codes: 0 completed, accepted or pending (waiting for a second operator); 1 rejected,
timed out, no result, or only results without the node's valid signature; 2 usage; 3 broker
unreachable or unreadable key, node key or credentials.`;

const EXIT_BY_STATUS: Record<CommandResultPayload['status'], number> = {
  completed: EXIT_OK,
  accepted: EXIT_OK,
  pending: EXIT_OK,
  rejected: EXIT_VERDICT_FAIL,
  timed_out: EXIT_VERDICT_FAIL,
};

export const cmdCommand: Command = {
  path: ['cmd'],
  summary: 'sign and send an operator command over MQTT, print its result',
  help: HELP,
  async run(args, io) {
    const parsedOptions = parseOptions(args);
    const clock = new RealClock();
    let keys;
    let options: CmdOptions;
    let nodeKey: NodePublicKey;
    try {
      options = await withCredentials(parsedOptions);
      nodeKey = await NodePublicKey.load(options.nodeKeyFile);
      if (nodeKey.nodeId !== options.node) {
        throw new BridgeError(
          'key-file',
          `${options.nodeKeyFile} is the key of node '${nodeKey.nodeId}', not '${options.node}'`,
        );
      }
      keys = [await loadOperatorKeyFile(options.key)];
      if (options.key2 !== undefined) keys.push(await loadOperatorKeyFile(options.key2));
    } catch (error) {
      if (error instanceof BridgeError) {
        io.stderr.write(`shieldlink cmd: ${error.message}\n`);
        return EXIT_RUNTIME;
      }
      throw error;
    }
    if (keys.length === 2 && keys[0]!.operator === keys[1]!.operator) {
      throw new UsageError('--key and --key2 belong to the same operator; two operators are needed');
    }
    let client: OperatorClient;
    try {
      client = await OperatorClient.connect({
        broker: options.broker,
        nodeId: options.node,
        clock,
        wallClock: wallClockMs,
        nodeKey,
      });
    } catch (error) {
      io.stderr.write(`shieldlink cmd: ${(error as Error).message}\n`);
      return EXIT_RUNTIME;
    }
    try {
      const exchange = await client.send(options.draft, keys, options.timeoutMs);
      const final = exchange.final;
      if (options.json) {
        io.stdout.write(
          JSON.stringify(final ?? { id: options.draft.id, status: 'timed_out', stage: 'no-response', local: true }) +
            '\n',
        );
      } else {
        for (const result of exchange.results) io.stdout.write(describe(result) + '\n');
        if (final === null) io.stdout.write(`no result for ${options.draft.id} within ${options.timeoutMs} ms\n`);
      }
      for (const refused of exchange.untrusted) {
        io.stderr.write(
          `shieldlink cmd: refused a '${refused.status}' result for ${options.draft.id} on ${refused.topic}: ` +
            `${refused.verdict === 'unsigned' ? 'not signed by the node' : 'signature is not the node key ' + nodeKey.keyId + "'s"} (forged?)\n`,
        );
      }
      return final === null ? EXIT_VERDICT_FAIL : EXIT_BY_STATUS[final.status];
    } finally {
      await client.close();
    }
  },
};

function describe(result: CommandResultPayload): string {
  const who = result.operators.length > 0 ? ` by ${result.operators.join(' + ')}` : '';
  const what = `${result.verb ?? '?'} id=${result.id ?? '?'}${who}`;
  const detail = result.detail === null ? '' : ` — ${result.detail}`;
  switch (result.status) {
    case 'pending':
      return `pending ${what}: waiting for a second operator until ${result.expiresAt}`;
    case 'rejected':
      return `rejected (${result.reason}) ${what}${detail}`;
    case 'timed_out':
      return `timed out (${result.stage}) ${what}${detail}`;
    default:
      return `${result.status} ${what}${detail}`;
  }
}

interface CmdOptions {
  readonly draft: CommandDraft;
  readonly broker: BrokerConnectionOptions;
  readonly node: string;
  readonly nodeKeyFile: string;
  readonly credentialsFile: string | undefined;
  readonly key: string;
  readonly key2: string | undefined;
  readonly timeoutMs: number;
  readonly json: boolean;
}

function parseOptions(args: string[]): CmdOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        broker: { type: 'string' },
        node: { type: 'string' },
        credentials: { type: 'string' },
        'node-key': { type: 'string' },
        key: { type: 'string' },
        key2: { type: 'string' },
        id: { type: 'string' },
        'timeout-ms': { type: 'string' },
        protocol: { type: 'string' },
        username: { type: 'string' },
        'tls-ca': { type: 'string' },
        'tls-cert': { type: 'string' },
        'tls-key': { type: 'string' },
        json: { type: 'boolean' },
        track: { type: 'string' },
        launcher: { type: 'string' },
        engagement: { type: 'string' },
        radar: { type: 'string' },
        mode: { type: 'string' },
      },
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const v = parsed.values;
  const [verb, ...rest] = parsed.positionals;
  if (verb === undefined) throw new UsageError(`missing verb (one of ${COMMAND_VERBS.join(', ')})`);
  if (!isCommandVerb(verb)) throw new UsageError(`unknown verb '${verb}' (one of ${COMMAND_VERBS.join(', ')})`);
  const required = (name: 'broker' | 'node' | 'key'): string => {
    const value = v[name];
    if (value === undefined) throw new UsageError(`--${name} is required`);
    return value;
  };
  const protocol = v.protocol ?? 'auto';
  if (protocol !== 'auto' && protocol !== '5' && protocol !== '3.1.1') {
    throw new UsageError('--protocol must be auto, 5 or 3.1.1');
  }
  const timeoutMs = v['timeout-ms'] === undefined ? 10_000 : Number(v['timeout-ms']);
  if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) throw new UsageError('--timeout-ms must be a positive integer');
  if ((v['tls-cert'] === undefined) !== (v['tls-key'] === undefined)) {
    throw new UsageError('--tls-cert and --tls-key go together');
  }
  const node = v.node ?? (v.credentials === undefined ? required('node') : '');
  const id = v.id ?? `cmd-${randomBytes(6).toString('hex')}`;
  const action = actionOf(verb, rest, v);
  const draft = { id, node: node === '' ? 'placeholder' : node, ...action } as CommandDraft;
  // Catch a malformed id or argument here rather than as a rejection from the node.
  const check = unsignedCommandRequest.safeParse({ v: 1, keyId: 'k', timestamp: 0, nonce: 'x'.repeat(16), ...draft });
  if (!check.success) {
    const issue = check.error.issues[0];
    throw new UsageError(`invalid ${issue?.path.join('.') ?? 'command'}: ${issue?.message ?? 'invalid'}`);
  }
  if (needsTwoOperators(action) && v.key2 === undefined && v.id === undefined) {
    throw new UsageError(`${verb} needs two operators: give --key2, or an --id the second operator will reuse`);
  }
  if (v['node-key'] === undefined && v.credentials === undefined) {
    throw new UsageError(
      '--node-key FILE (the node public key, <node>.node.pub.json) or --credentials FILE is required',
    );
  }
  return {
    draft: { ...draft, node } as CommandDraft,
    node,
    nodeKeyFile: v['node-key'] ?? '',
    credentialsFile: v.credentials,
    key: required('key'),
    key2: v.key2,
    timeoutMs,
    json: v.json === true,
    broker: {
      url: v.broker ?? (v.credentials === undefined ? required('broker') : 'mqtt://127.0.0.1:1883'),
      protocol,
      username: v.username,
      password: v.username === undefined ? undefined : process.env.SHIELDLINK_MQTT_PASSWORD,
      tls:
        v['tls-ca'] === undefined && v['tls-cert'] === undefined
          ? undefined
          : { caFile: v['tls-ca'], certFile: v['tls-cert'], keyFile: v['tls-key'] },
    },
  };
}

type Values = Partial<Record<'track' | 'launcher' | 'engagement' | 'radar' | 'mode', string>>;

function actionOf(verb: CommandVerb, rest: string[], v: Values): CommandAction {
  const need = (name: keyof Values): string => {
    const value = v[name];
    if (value === undefined) throw new UsageError(`${verb} needs --${name}`);
    return value;
  };
  const noPositionals = (): void => {
    if (rest.length > 0) throw new UsageError(`unexpected argument '${rest[0]}'`);
  };
  switch (verb) {
    case 'set-weapons-control': {
      const status = rest[0];
      if ((status !== 'hold' && status !== 'tight' && status !== 'free') || rest.length !== 1) {
        throw new UsageError('set-weapons-control needs one of hold, tight, free');
      }
      return { verb, args: { status } };
    }
    case 'engage-track':
      noPositionals();
      return {
        verb,
        args:
          v.launcher === undefined ? { trackId: need('track') } : { trackId: need('track'), launcherId: v.launcher },
      };
    case 'hold-fire':
    case 'cease-fire':
      noPositionals();
      return { verb, args: { trackId: need('track') } };
    case 'abort-engagement':
      noPositionals();
      return { verb, args: { engagementId: need('engagement') } };
    case 'set-radar-mode':
      noPositionals();
      return { verb, args: { radarId: need('radar'), mode: need('mode') } };
    case 'arm':
    case 'safe':
      noPositionals();
      return { verb, args: { launcherId: need('launcher') } };
    case 'republish':
      noPositionals();
      return { verb, args: {} };
  }
}

/**
 * Fill in what `--credentials` gives: the node (when `--node` is absent), the operator login, and
 * the node public key beside the file (when `--node-key` is absent).
 */
async function withCredentials(options: CmdOptions): Promise<CmdOptions> {
  if (options.credentialsFile === undefined) return options;
  const credentials = await loadBrokerCredentials(options.credentialsFile);
  const node = options.node === '' ? credentials.nodeId : options.node;
  const besideKey = join(dirname(options.credentialsFile), `${node}.node.pub.json`);
  if (options.nodeKeyFile === '' && !existsSync(besideKey)) {
    throw new BridgeError('key-file', `no node public key beside ${options.credentialsFile} (give --node-key FILE)`);
  }
  return {
    ...options,
    node,
    draft: { ...options.draft, node } as CommandDraft,
    nodeKeyFile: options.nodeKeyFile === '' ? besideKey : options.nodeKeyFile,
    broker: {
      ...options.broker,
      username: options.broker.username ?? credentials.users.operator.username,
      password: options.broker.username === undefined ? credentials.users.operator.password : options.broker.password,
    },
  };
}
