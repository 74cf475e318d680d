import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import mqtt, { type MqttClient } from 'mqtt';
import t, { type Test } from 'tap';
import { tempDir } from '../bridge/support/drive.js';
import { Mosquitto } from '../bridge/support/mosquitto.js';
import { until } from '../bridge/support/until.js';
import { findTool, skipUnlessTools } from '../support/require-tool.js';

/**
 * The example ACL in hil-configs/mosquitto-acl/ against a real Mosquitto (security):
 * non-operators cannot deliver commands to the node, non-administrators cannot read the audit.
 * "Never received" is asserted without timing: a later marker message from the same path is
 * awaited, and Mosquitto delivers to one subscriber in the order it accepted the messages.
 */

const EXAMPLE_DIR = fileURLToPath(new URL('../../hil-configs/mosquitto-acl/', import.meta.url));
const ACL_FILE = join(EXAMPLE_DIR, 'acl');
const skip = skipUnlessTools('mosquitto', 'mosquitto_passwd');
const PASSWD = findTool('mosquitto_passwd') ?? 'mosquitto_passwd';

const USERS = {
  node: 'shieldlink-bench-1',
  operator: 'operator-alice',
  viewer: 'viewer-dave',
  admin: 'admin-carol',
} as const;
const PASSWORD = (user: string): string => `${user}-pw`;
const TREE = 'shieldlink/v1/bench-1/';

interface Received {
  topic: string;
  payload: string;
}

async function connect(url: string, user: string, t: Test): Promise<{ client: MqttClient; got: Received[] }> {
  const client = await mqtt.connectAsync(url, {
    username: user,
    password: PASSWORD(user),
    clientId: `${user}-${process.pid}`,
    protocolVersion: 5,
    reconnectPeriod: 0,
    connectTimeout: 20_000,
  });
  t.teardown(() => client.endAsync(true));
  const got: Received[] = [];
  client.on('message', (topic, payload) => got.push({ topic, payload: payload.toString() }));
  return { client, got };
}

/** Subscribe and report whether the broker granted the filter (Mosquitto refuses unreadable ones). */
async function subscribe(client: MqttClient, filter: string): Promise<boolean> {
  try {
    const granted = await client.subscribeAsync(filter, { qos: 1 });
    return granted.every((g) => g.qos <= 2);
  } catch {
    return false;
  }
}

/**
 * Publish at QoS 1 from a client of its own and wait for the broker's PUBACK; returns the
 * refusal, if any. (mqtt.js closes a connection whose PUBACK carries an error reason code, so
 * refused publishes never go through the long-lived subscribers' connections.)
 */
async function publishAs(url: string, user: string, topic: string, payload: string): Promise<string | null> {
  const client = await mqtt.connectAsync(url, {
    username: user,
    password: PASSWORD(user),
    protocolVersion: 5,
    reconnectPeriod: 0,
    connectTimeout: 20_000,
  });
  try {
    await client.publishAsync(topic, payload, { qos: 1 });
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    await client.endAsync(true);
  }
}

t.test('the example mosquitto.conf requires authentication and names the files', async (t) => {
  const conf = readFileSync(join(EXAMPLE_DIR, 'mosquitto.conf'), 'utf8');
  const lines = conf.split('\n').map((l) => l.trim());
  t.ok(
    lines.some((l) => /^listener \d+/.test(l)),
    'a listener',
  );
  t.ok(lines.includes('allow_anonymous false'), 'no anonymous clients');
  t.ok(
    lines.some((l) => l.startsWith('password_file ')),
    'password_file',
  );
  t.ok(
    lines.some((l) => l.startsWith('acl_file ')),
    'acl_file',
  );
  t.ok(existsSync(join(EXAMPLE_DIR, 'README.md')), 'README explains mosquitto_passwd');
});

t.test('the example ACL against Mosquitto', { skip, timeout: 60_000 }, async (t) => {
  const dir = tempDir('shieldlink-acl-');
  t.teardown(dir.cleanup);
  const passwords = join(dir.path, 'passwd');
  let first = true;
  for (const user of Object.values(USERS)) {
    execFileSync(PASSWD!, ['-b', ...(first ? ['-c'] : []), passwords, user, PASSWORD(user)], { stdio: 'ignore' });
    first = false;
  }
  const broker = await Mosquitto.start(dir.path, {
    anonymous: false,
    listenerLines: [`password_file ${passwords}`, `acl_file ${ACL_FILE}`],
  });
  t.teardown(() => broker.stop());

  const node = await connect(broker.url, USERS.node, t);
  const operator = await connect(broker.url, USERS.operator, t);
  const viewer = await connect(broker.url, USERS.viewer, t);
  const admin = await connect(broker.url, USERS.admin, t);

  await t.rejects(
    mqtt.connectAsync(broker.url, { reconnectPeriod: 0, connectTimeout: 20_000 }),
    'an anonymous client is refused',
  );
  await t.rejects(
    mqtt.connectAsync(broker.url, {
      username: USERS.operator,
      password: 'wrong',
      reconnectPeriod: 0,
      connectTimeout: 20_000,
    }),
    'a wrong password is refused',
  );

  t.test('only operators deliver commands to the node', async (t) => {
    t.ok(await subscribe(node.client, `${TREE}commands/+`), 'the node subscribes to its commands');
    t.ok(await subscribe(admin.client, `${TREE}commands/#`), 'the admin watches commands too');
    const refused = {
      viewer: await publishAs(broker.url, USERS.viewer, `${TREE}commands/fire`, 'from-viewer'),
      node: await publishAs(broker.url, USERS.node, `${TREE}commands/fire`, 'from-node'),
      admin: await publishAs(broker.url, USERS.admin, `${TREE}commands/fire`, 'from-admin'),
    };
    t.comment(`refusals: ${JSON.stringify(refused)}`);
    t.match(refused.viewer, /not authori[sz]ed/i, "the broker refuses the viewer's command (MQTT 5 PUBACK 0x87)");
    t.match(refused.node, /not authori[sz]ed/i, 'and the node publishing a command verb');
    t.match(refused.admin, /not authori[sz]ed/i, "and the admin's");
    t.equal(
      await publishAs(broker.url, USERS.operator, `${TREE}commands/safe`, 'from-operator'),
      null,
      "the operator's command is accepted",
    );
    t.ok(await until(() => node.got.some((m) => m.payload === 'from-operator')), "the operator's command arrives");
    t.ok(await until(() => admin.got.some((m) => m.payload === 'from-operator')), 'and the admin sees it');
    const atNode = node.got.map((m) => m.payload);
    t.same(atNode, ['from-operator'], 'the node received nothing from the viewer, the admin or itself');
    t.notOk(
      admin.got.some((m) => m.payload !== 'from-operator'),
      'no refused command reached any subscriber',
    );
    t.comment(`commands received by the node: ${JSON.stringify(atNode)}`);
  });

  t.test('only administrators read the audit', async (t) => {
    for (const who of [viewer, operator, admin]) who.got.length = 0;
    const viewerAudit = await subscribe(viewer.client, 'shieldlink/v1/+/audit');
    const operatorAudit = await subscribe(operator.client, 'shieldlink/v1/+/audit');
    t.comment(`audit subscription granted: viewer ${viewerAudit}, operator ${operatorAudit}`);
    // Wide filters are granted, but the audit is filtered out per message.
    t.ok(await subscribe(viewer.client, 'shieldlink/v1/#'), 'the viewer may subscribe to the whole tree');
    t.ok(await subscribe(operator.client, 'shieldlink/v1/#'), 'the operator may subscribe to the whole tree');
    t.ok(await subscribe(admin.client, 'shieldlink/v1/+/audit'), 'the admin subscribes to the audit');
    t.ok(await subscribe(admin.client, `${TREE}metrics`), 'and to metrics');

    t.equal(await publishAs(broker.url, USERS.node, `${TREE}audit`, 'audit-record'), null, 'the node writes its audit');
    t.equal(await publishAs(broker.url, USERS.node, `${TREE}metrics`, 'metrics-marker'), null, 'then its metrics');
    for (const [name, who] of [
      ['viewer', viewer],
      ['operator', operator],
      ['admin', admin],
    ] as const) {
      t.ok(
        await until(() => who.got.some((m) => m.payload === 'metrics-marker')),
        `the ${name} receives the node's metrics`,
      );
    }
    t.notOk(
      viewer.got.some((m) => m.topic.endsWith('/audit')),
      'the viewer received no audit record',
    );
    t.notOk(
      operator.got.some((m) => m.topic.endsWith('/audit')),
      'the operator received no audit record',
    );
    t.ok(
      admin.got.some((m) => m.topic === `${TREE}audit` && m.payload === 'audit-record'),
      'the admin received the audit record',
    );
  });
});
