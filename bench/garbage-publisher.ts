/**
 * Child process of bench/garbage-loop.ts: publishes garbage commands (malformed JSON, unsigned,
 * bad signatures, unknown keys, unknown verbs) to one node at a fixed rate, from `clients`
 * connections, for `seconds`, then prints `{"sent":N}` on stdout and exits. Arguments: a JSON
 * object `{ url, node, username, password, rate, seconds, clients }`. In its own process so that
 * making the garbage costs the node's I/O thread nothing.
 */
import mqtt from 'mqtt';

interface Args {
  url: string;
  node: string;
  username: string;
  password: string;
  rate: number;
  seconds: number;
  clients: number;
}

const args = JSON.parse(process.argv[2] ?? '{}') as Args;
const payloads = [
  '{not json',
  JSON.stringify({
    v: 1,
    id: 'g',
    node: args.node,
    keyId: 'alice-1',
    timestamp: 1,
    nonce: 'x'.repeat(22),
    verb: 'safe',
    args: { launcherId: 'l' },
  }),
  JSON.stringify({
    v: 1,
    id: 'g',
    node: args.node,
    keyId: 'alice-1',
    timestamp: 1,
    nonce: 'y'.repeat(22),
    verb: 'safe',
    args: { launcherId: 'l' },
    signature: 'ab'.repeat(32),
  }),
  JSON.stringify({
    v: 1,
    id: 'g',
    node: args.node,
    keyId: 'nobody-1',
    timestamp: 1,
    nonce: 'z'.repeat(22),
    verb: 'safe',
    args: { launcherId: 'l' },
    signature: 'cd'.repeat(32),
  }),
];
const clients = await Promise.all(
  Array.from({ length: args.clients }, () =>
    mqtt.connectAsync(args.url, {
      protocolVersion: 4,
      reconnectPeriod: 0,
      username: args.username,
      password: args.password,
    }),
  ),
);
const start = performance.now();
let sent = 0;
const topic = `shieldlink/v1/${args.node}/commands/safe`;
await new Promise<void>((resolve) => {
  const batchMs = 10;
  const timer = setInterval(() => {
    const elapsedS = (performance.now() - start) / 1000;
    if (elapsedS >= args.seconds) {
      clearInterval(timer);
      resolve();
      return;
    }
    const due = Math.floor(elapsedS * args.rate) - sent;
    for (let i = 0; i < due; i++) {
      clients[sent % clients.length]!.publish(topic, payloads[sent % payloads.length]!, { qos: 0 });
      sent++;
    }
  }, batchMs);
});
await Promise.all(clients.map((c) => c.endAsync()));
process.stdout.write(JSON.stringify({ sent }) + '\n');
