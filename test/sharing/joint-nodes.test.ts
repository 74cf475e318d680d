import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import mqtt from 'mqtt';
import t from 'tap';
import { NodeKey } from '../../src/bridge/node-key.js';
import { tempDir } from '../bridge/support/drive.js';
import { until } from '../bridge/support/until.js';
import { skipUnlessTools } from '../support/require-tool.js';
import { JOINT_DIR, JointBrokers, type NodeName, NODES, PASSWORD } from './support/joint-brokers.js';

/**
 * The whole joint bench: two bridged Mosquitto brokers from hil-configs/joint/, and two
 * `shieldlink run --real-time` processes (each with its simulator on PTY pairs) from the bench
 * configs there. Each node's retained status shows the partner's picture live, with tracks; a
 * 5 s outage of node A's broker turns node B's picture stale (B going on alone, its own broker
 * link untouched) and it comes back by itself.
 */

const skip = skipUnlessTools(
  'mosquitto',
  'mosquitto_passwd',
  ...(process.env.PTY_SIM === '1' ? (['socat'] as const) : []),
);
const CLI = fileURLToPath(new URL('../../dist/src/cli/main.js', import.meta.url));
const SCENARIO = fileURLToPath(new URL('../../hil-configs/scenarios/single-ballistic.yaml', import.meta.url));

interface SharingStatus {
  alone: boolean;
  partners: Record<
    string,
    { state: string; tracks: number; accepted: number; sent: number; dropped: Record<string, number> }
  >;
}

function writeNodeConfig(dir: string, node: NodeName, brokers: JointBrokers): string {
  const partner: NodeName = node === 'node-a' ? 'node-b' : 'node-a';
  const text = readFileSync(join(JOINT_DIR, `${node}.yaml`), 'utf8')
    .replace(/^scenario: .*$/m, `scenario: ${SCENARIO}`)
    .replace(/url: mqtt:\/\/127\.0\.0\.1:\d+/, `url: ${brokers.url(node)}`)
    .replace(/publicKey: .*$/m, `publicKey: ${join(dir, partner, 'keys', `${partner}.node.pub.json`)}`)
    .replace(/^output: .*$/m, `output: { dir: ${join(dir, node)} }`)
    // PTY_SIM=1 keeps the simulators on PTY pairs as the bench configs have them; by default
    // in-process (two simulator processes on top of two nodes overload a shared 2-core runner).
    .replace(/placement: pty/, process.env.PTY_SIM === '1' ? 'placement: pty' : 'placement: in-process');
  const file = join(dir, `${node}.yaml`);
  writeFileSync(file, text);
  return file;
}

t.test(
  'two node processes over two bridged brokers hold each other’s picture; an outage goes stale and back',
  { skip },
  async (t) => {
    const dir = tempDir('shieldlink-joint-nodes-');
    t.teardown(dir.cleanup);
    const brokers = await JointBrokers.start(join(dir.path, 'brokers'));
    t.teardown(() => brokers.stop());
    for (const node of NODES) {
      mkdirSync(join(dir.path, node, 'keys'), { recursive: true, mode: 0o700 });
      await NodeKey.generate(node).write(join(dir.path, node, 'keys', `${node}.node.key.json`), false);
    }
    const children: ChildProcess[] = [];
    const output: Record<string, string> = { 'node-a': '', 'node-b': '' };
    t.teardown(() => children.forEach((c) => c.exitCode === null && c.kill('SIGKILL')));
    for (const node of NODES) {
      const config = writeNodeConfig(dir.path, node, brokers);
      const env = {
        ...process.env,
        [`${node === 'node-a' ? 'NODE_A' : 'NODE_B'}_MQTT_PASSWORD`]: PASSWORD(`shieldlink-${node}`),
      };
      const child = spawn(process.execPath, [CLI, 'run', '--config', config, '--real-time', '--duration', '240'], {
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child.stdout!.on('data', (d: Buffer) => (output[node] += d.toString()));
      child.stderr!.on('data', (d: Buffer) => (output[node] += d.toString()));
      children.push(child);
    }
    const startedAt = Date.now();
    const statusOf: Record<string, SharingStatus | undefined> = {};
    const viewer = await mqtt.connectAsync(brokers.url('node-b'), {
      username: 'admin-node-b',
      password: PASSWORD('admin-node-b'),
      clientId: `admin-node-b-${process.pid}`,
      reconnectPeriod: 200,
    });
    t.teardown(() => viewer.endAsync(true));
    const viewerA = await mqtt.connectAsync(brokers.url('node-a'), {
      username: 'admin-node-a',
      password: PASSWORD('admin-node-a'),
      clientId: `admin-node-a-${process.pid}`,
      reconnectPeriod: 200,
    });
    t.teardown(() => viewerA.endAsync(true));
    for (const c of [viewer, viewerA]) {
      c.on('message', (topic, payload) => {
        if (!topic.endsWith('/status')) return;
        const s = JSON.parse(payload.toString()) as { nodeId: string; sharing?: SharingStatus };
        if (s.sharing !== undefined) statusOf[s.nodeId] = s.sharing;
      });
    }
    await viewer.subscribeAsync('shieldlink/v1/node-b/status', { qos: 1 });
    await viewerA.subscribeAsync('shieldlink/v1/node-a/status', { qos: 1 });

    const live = (node: NodeName, partner: NodeName): boolean => statusOf[node]?.partners[partner]?.state === 'live';
    t.ok(
      await until(() => live('node-a', 'node-b') && live('node-b', 'node-a'), 150_000),
      `both pictures live (a: ${JSON.stringify(statusOf['node-a'])}, b: ${JSON.stringify(statusOf['node-b'])})\n${output['node-a']}\n${output['node-b']}`,
    );
    t.match(output['node-b'], /sharing with node-a/);
    t.ok((statusOf['node-b']?.partners['node-a']?.accepted ?? 0) > 0, 'node B accepted releases of node A');

    // The hostile is in both radars' coverage from t ≈ 9 s: give both nodes time to release it.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, startedAt + 25_000 - Date.now())));
    await brokers.kill('node-a');
    t.ok(
      await until(() => statusOf['node-b']?.partners['node-a']?.state === 'stale', 15_000),
      `node B's picture of A turned stale (${JSON.stringify(statusOf['node-b'])})`,
    );
    t.equal(statusOf['node-b']?.alone, true, 'node B says it is on its own');
    t.match(output['node-b'], /partner node-a: picture stale .* going on alone/);
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    t.equal(children[1]!.exitCode, null, 'node B still running');
    await brokers.start('node-a');
    t.ok(
      await until(() => statusOf['node-b']?.partners['node-a']?.state === 'live', 30_000),
      `node B's picture of A came back by itself\n${output['node-b']!.slice(-2000)}`,
    );
    t.same(statusOf['node-b']?.partners['node-a']?.dropped ?? null, {}, 'nothing dropped');
    t.ok((statusOf['node-b']?.partners['node-a']?.tracks ?? 0) > 0, "node B holds node A's tracks");
    t.ok(
      await until(() => (statusOf['node-a']?.partners['node-b']?.tracks ?? 0) > 0 || live('node-a', 'node-b'), 1_000),
      "node A's picture of node B is live",
    );
    for (const c of children) c.kill('SIGINT');
    await Promise.all(
      children.map((c) => new Promise((resolve) => (c.exitCode !== null ? resolve(null) : c.once('exit', resolve)))),
    );
  },
);
