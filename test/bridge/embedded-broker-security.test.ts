import { readFileSync } from 'node:fs';
import mqtt, { type MqttClient } from 'mqtt';
import t, { type Test } from 'tap';
import WebSocket from 'ws';
import { ACL_PATTERNS, aclAllows, parseMosquittoAcl, shieldlinkAclRules } from '../../src/bridge/broker-acl.js';
import { type BrokerCredentials, generateBrokerCredentials } from '../../src/bridge/broker-credentials.js';
import { type EmbeddedBroker, startEmbeddedBroker } from '../../src/bridge/embedded-broker.js';
import { until } from './support/until.js';

const NODE = 'bench-1';

async function broker(
  t: Test,
  credentials: BrokerCredentials,
  extra: Parameters<typeof startEmbeddedBroker>[0] = {},
): Promise<EmbeddedBroker> {
  const b = await startEmbeddedBroker({ port: 0, wsPort: 0, credentials, ...extra });
  t.teardown(() => b.close());
  return b;
}

async function login(t: Test, url: string, user: { username: string; password: string } | null): Promise<MqttClient> {
  const client = await mqtt.connectAsync(url, {
    protocolVersion: 4,
    reconnectPeriod: 0,
    connectTimeout: 5_000,
    ...(user === null ? {} : { username: user.username, password: user.password }),
  });
  t.teardown(() => client.endAsync(true));
  return client;
}

t.test('anonymous and wrong-password clients are refused; the generated logins work', async (t) => {
  const credentials = generateBrokerCredentials(NODE);
  const b = await broker(t, credentials);
  await t.rejects(login(t, b.url, null), 'anonymous refused');
  await t.rejects(login(t, b.url, { username: credentials.users.operator.username, password: 'wrong-password-123' }));
  await t.rejects(login(t, b.url, { username: 'operator-mallory', password: credentials.users.operator.password }));
  for (const role of ['node', 'operator', 'display', 'viewer', 'admin'] as const) {
    const client = await login(t, b.url, credentials.users[role]);
    t.ok(client.connected, `${role} logs in`);
  }
  t.equal(b.refusals.badLogin, 3);
  // A library user who asks for nothing gets no open broker either.
  await t.rejects(startEmbeddedBroker({ port: 0, wsPort: null }), { code: 'broker-config' });
});

t.test('a non-loopback embedded broker without TLS and credentials is refused', async (t) => {
  const credentials = generateBrokerCredentials(NODE);
  await t.rejects(startEmbeddedBroker({ host: '0.0.0.0', port: 0, wsPort: null, credentials }), {
    code: 'broker-config',
    message: /needs TLS/,
  });
  await t.rejects(startEmbeddedBroker({ host: '0.0.0.0', port: 0, wsPort: null, allowAnonymous: true }), {
    code: 'broker-config',
  });
});

t.test('a WebSocket from another origin is refused; the allowed origin gets through', async (t) => {
  const credentials = generateBrokerCredentials(NODE);
  const b = await broker(t, credentials, { allowedOrigins: ['http://127.0.0.1:8080'] });
  const upgrade = (origin: string | undefined): Promise<number> =>
    new Promise((resolve) => {
      const ws = new WebSocket(b.wsUrl!, 'mqtt', origin === undefined ? {} : { origin });
      ws.on('open', () => {
        ws.close();
        resolve(101);
      });
      ws.on('unexpected-response', (_req, res) => {
        resolve(res.statusCode ?? 0);
        ws.terminate();
      });
      ws.on('error', () => resolve(-1));
    });
  t.equal(await upgrade('http://evil.example'), 403, 'a page of another site');
  t.equal(await upgrade('http://127.0.0.1:9999'), 403, 'another local page (other port, other origin)');
  t.equal(await upgrade('null'), 403, 'a sandboxed or file:// page');
  t.equal(await upgrade('http://127.0.0.1:8080'), 101, 'the display');
  b.allowOrigin('http://localhost:8080');
  t.equal(await upgrade('http://localhost:8080'), 101, 'an origin allowed later');
  t.equal(await upgrade(undefined), 101, 'no Origin (not a browser): on to the MQTT login');
  t.equal(b.refusals.origin, 3);
  // Over the allowed origin, the MQTT login still applies.
  const wsClient = (user: { username: string; password: string } | null) =>
    mqtt.connectAsync(b.wsUrl!, {
      protocolVersion: 4,
      reconnectPeriod: 0,
      connectTimeout: 5_000,
      wsOptions: { headers: { Origin: 'http://127.0.0.1:8080' } },
      ...(user === null ? {} : user),
    });
  await t.rejects(wsClient(null), 'anonymous over WebSocket refused');
  const display = await wsClient(credentials.users.display);
  t.ok(display.connected);
  await display.endAsync(true);
});

t.test('the ACL equals the documented Mosquitto example', async (t) => {
  const file = parseMosquittoAcl(readFileSync(new URL('../../hil-configs/mosquitto-acl/acl', import.meta.url), 'utf8'));
  t.same(file.patterns, ACL_PATTERNS, 'patterns');
  const users = ['shieldlink-bench-1', 'operator-alice', 'operator-bob', 'viewer-dave', 'admin-carol'];
  t.same([...file.users.keys()].sort(), [...users].sort(), 'the file covers every role');
  const levels = [
    'status',
    'devices/launcher-1/state',
    'devices/x',
    'tracks',
    'threats',
    'engagements/17',
    'metrics',
    'audit',
  ];
  const more = [
    ...['commands/safe', 'commands/arm', 'commands/result', 'replies/c-1', 'replies/c-1/x', 'other', ''],
    ...['shared/ledger', 'shared/tracks/bench-2', 'shared/other'],
  ];
  const topics: string[] = [];
  for (const node of ['bench-1', 'bench-2'])
    for (const level of [...levels, ...more]) topics.push(`shieldlink/v1/${node}/${level}`.replace(/\/$/, ''));
  topics.push('shieldlink/v2/bench-1/status', 'elsewhere/status', 'shieldlink/v1');
  let compared = 0;
  for (const user of [...users, 'shieldlink-bench-2', 'nobody']) {
    const fromFile = file.users.get(user) ?? [];
    const embedded = shieldlinkAclRules(NODE, user);
    for (const topic of topics) {
      for (const want of ['read', 'write'] as const) {
        for (const clientId of ['c-1', 'c-2']) {
          const a = aclAllows(fromFile, file.patterns, user, clientId, topic, want);
          const b = aclAllows(embedded, ACL_PATTERNS, user, clientId, topic, want);
          if (a !== b) t.fail(`${user} ${want} ${topic} as ${clientId}: file ${a}, embedded ${b}`);
          compared++;
        }
      }
    }
  }
  t.comment(`${compared} decisions compared`);
  t.pass('every decision equal');
});

t.test('the embedded broker enforces the ACL: only the node writes its tree, only admins read the audit', async (t) => {
  const credentials = generateBrokerCredentials(NODE);
  const b = await broker(t, credentials);
  const node = await login(t, b.url, credentials.users.node);
  const operator = await login(t, b.url, credentials.users.operator);
  const viewer = await login(t, b.url, credentials.users.viewer);
  const admin = await login(t, b.url, credentials.users.admin);
  const got = new Map<string, string[]>();
  for (const [name, client] of [
    ['node', node],
    ['viewer', viewer],
    ['admin', admin],
    ['operator', operator],
  ] as const) {
    got.set(name, []);
    client.on('message', (topic) => got.get(name)!.push(topic));
    await client.subscribeAsync('#', { qos: 1 });
  }
  await node.publishAsync(`shieldlink/v1/${NODE}/audit`, '{"a":1}', { qos: 1 });
  await node.publishAsync(`shieldlink/v1/${NODE}/status`, '{"s":1}', { qos: 1 });
  await operator.publishAsync(`shieldlink/v1/${NODE}/commands/safe`, '{}', { qos: 1 });
  await until(() => got.get('admin')!.length >= 3 && got.get('node')!.length >= 2);
  t.same(
    got.get('admin')!.sort(),
    [`shieldlink/v1/${NODE}/audit`, `shieldlink/v1/${NODE}/commands/safe`, `shieldlink/v1/${NODE}/status`].sort(),
  );
  t.notOk(got.get('viewer')!.includes(`shieldlink/v1/${NODE}/audit`), 'a viewer subscribed to # gets no audit');
  t.notOk(got.get('operator')!.includes(`shieldlink/v1/${NODE}/audit`), 'an operator gets no audit');
  t.ok(got.get('node')!.includes(`shieldlink/v1/${NODE}/commands/safe`), 'the node gets the command');
  // An operator publishing over the node's status is cut off, and nothing is delivered.
  const before = got.get('admin')!.length;
  const closed = new Promise<void>((resolve) => operator.once('close', () => resolve()));
  operator.publish(`shieldlink/v1/${NODE}/status`, '{"state":"offline"}', { qos: 1, retain: true });
  await closed;
  const viewerPublish = new Promise<void>((resolve) => viewer.once('close', () => resolve()));
  viewer.publish(`shieldlink/v1/${NODE}/commands/safe`, '{}', { qos: 1 });
  await viewerPublish;
  await node.publishAsync(`shieldlink/v1/${NODE}/metrics`, '{}', { qos: 1 });
  await until(() => got.get('admin')!.length > before);
  t.same(got.get('admin')!.slice(before), [`shieldlink/v1/${NODE}/metrics`], 'the refused publishes never arrived');
  t.equal(b.refusals.publishDenied, 2);
});

t.test('connections, subscriptions and publish rate are bounded per client', async (t) => {
  const credentials = generateBrokerCredentials(NODE);
  const b = await broker(t, credentials, {
    limits: { maxConnections: 3, maxSubscriptionsPerClient: 2, publishBurst: 5, publishesPerSecond: 1 },
  });
  const clients = [];
  for (let i = 0; i < 3; i++) clients.push(await login(t, b.url, credentials.users.viewer));
  await t.rejects(login(t, b.url, credentials.users.viewer), 'the 4th connection is refused');
  t.equal(b.refusals.tooManyConnections, 1);
  await clients[0]!.endAsync(true);
  await until(() => b.connectedClients === 2);

  const operator = await login(t, b.url, credentials.users.operator);
  const granted = await new Promise<number[]>((resolve) =>
    operator.subscribe(['a/1', 'a/2', 'a/3'], { qos: 1 }, (error, list) =>
      resolve(
        error ? ((error as { packet?: { granted?: number[] } }).packet?.granted ?? []) : (list ?? []).map((g) => g.qos),
      ),
    ),
  );
  t.same(granted, [1, 1, 128], 'the third subscription is refused');
  const closed = new Promise<void>((resolve) => operator.once('close', () => resolve()));
  for (let i = 0; i < 20; i++) operator.publish(`shieldlink/v1/${NODE}/commands/safe`, '{}', { qos: 0 });
  await closed;
  t.ok(b.refusals.overBudget >= 1, 'a client over its publish budget is disconnected');
  // The node itself is not rate-limited.
  const node = await login(t, b.url, credentials.users.node);
  for (let i = 0; i < 50; i++) await node.publishAsync(`shieldlink/v1/${NODE}/metrics`, '{}', { qos: 1 });
  t.ok(node.connected);
});
