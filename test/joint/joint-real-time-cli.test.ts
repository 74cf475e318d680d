import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { JointBrokers, PASSWORD } from '../sharing/support/joint-brokers.js';
import { skipUnlessTools } from '../support/require-tool.js';

// `shieldlink run --scenario <joint scenario> --real-time`: one process per node, each with its
// own in-process simulator, on its own Mosquitto, the brokers bridged (started by the run), one
// sky. Kept short: 8 s of the joint raid.

const skip = skipUnlessTools('mosquitto', 'mosquitto_passwd');
const CLI = fileURLToPath(new URL('../../dist/src/cli/main.js', import.meta.url));
const SCENARIO = 'hil-configs/scenarios/joint-raid.yaml';

async function configIn(dir: string): Promise<string> {
  const config = (await readFile('hil-configs/sim.yaml', 'utf8'))
    .replace('scenario: scenarios/raid-50.yaml', `scenario: ${resolve('hil-configs/scenarios/raid-50.yaml')}`)
    .replace('output: { dir: ../runs }', `output: { dir: ${join(dir, 'out')} }`);
  const file = join(dir, 'sim.yaml');
  await writeFile(file, config);
  return file;
}

function start(args: string[]): {
  child: ChildProcess;
  out: { stdout: string; stderr: string };
  exit: Promise<number | null>;
} {
  // As a user starts it: without tap's process-info hook (NODE_OPTIONS), which wraps every
  // spawned process and would keep the node processes' pipes open past their parent.
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => k !== 'NODE_OPTIONS' && !k.startsWith('_TAPJS_')),
  );
  // (tap's hook also puts itself back into a spawned process's NODE_OPTIONS: `env -u` drops it.)
  const child = spawn('env', ['-u', 'NODE_OPTIONS', process.execPath, CLI, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env,
  });
  const out = { stdout: '', stderr: '' };
  child.stdout!.on('data', (d: Buffer) => (out.stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out.stderr += d.toString()));
  return { child, out, exit: new Promise((r) => child.once('exit', (code) => r(code))) };
}

const canConnect = (port: number): Promise<boolean> =>
  new Promise((done) => {
    const s = createConnection({ port, host: '127.0.0.1' });
    s.once('connect', () => {
      s.destroy();
      done(true);
    });
    s.once('error', () => done(false));
  });

const brokerPorts = (stderr: string): number[] =>
  [...stderr.matchAll(/broker of node-\w: mqtt:\/\/127\.0\.0\.1:(\d+)/g)].map((m) => Number(m[1]));

async function until(what: () => boolean, timeoutMs: number): Promise<boolean> {
  for (let waited = 0; waited < timeoutMs; waited += 100) {
    if (what()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return what();
}

t.test(
  'a joint scenario in real time: both node processes run, each holds the partner tracks, exit 0',
  { skip, timeout: 120_000 },
  async (t) => {
    const dir = await mkdtemp(join(tmpdir(), 'sl-joint-rt-'));
    const { out, exit } = start([
      'run',
      '--config',
      await configIn(dir),
      '--scenario',
      SCENARIO,
      '--real-time',
      '--duration',
      '8',
      '--json',
    ]);
    const code = await exit;
    t.equal(code, 0, 'the command exits 0', { stderr: out.stderr.slice(-4000) });
    const figures = JSON.parse(out.stdout.trim().split('\n').at(-1)!) as {
      exitCode: number;
      nodes: { nodeId: string; exitCode: number; joint: { fusedPairs: number; partnerFeedMeasurements: number } }[];
      joint: { everyNodeSawPartners: boolean };
    };
    t.same(
      figures.nodes.map((n) => [n.nodeId, n.exitCode]),
      [
        ['node-a', 0],
        ['node-b', 0],
      ],
      'both node processes ran to the end',
    );
    for (const n of figures.nodes)
      t.ok(
        n.joint.fusedPairs + n.joint.partnerFeedMeasurements > 0,
        `${n.nodeId} held its partner's tracks: ${JSON.stringify(n.joint)}`,
      );
    t.equal(figures.joint.everyNodeSawPartners, true);
    t.match(out.stderr, /\[node-a\] partner node-b: picture live/);
    t.match(out.stderr, /\[node-b\] partner node-a: picture live/);
    for (const node of ['node-a', 'node-b'])
      t.ok(existsSync(join(dir, 'out', `joint-raid.${node}.run`)), `${node} recorded`);
    // A node process publishes its fused tracks' associations on `tracks` (the display's association lines).
    const mqtt = await readFile(join(dir, 'out', 'joint-raid.node-a.mqtt.jsonl'), 'utf8');
    t.match(mqtt, /fusedEastM/, "node A's tracks carry its fused tracks' associations");
    const ports = brokerPorts(out.stderr);
    t.equal(ports.length, 2, 'one broker per node');
    for (const port of ports) t.notOk(await canConnect(port), `broker on ${port} stopped at the end`);
  },
);

t.test(
  'the node processes and brokers stop with the command: SIGINT forwarded, kill -9 too',
  { skip, timeout: 120_000 },
  async (t) => {
    for (const how of ['SIGINT', 'SIGKILL'] as const) {
      const dir = await mkdtemp(join(tmpdir(), 'sl-joint-rt-stop-'));
      const run = start([
        'run',
        '--config',
        await configIn(dir),
        '--scenario',
        SCENARIO,
        '--real-time',
        '--duration',
        '120',
      ]);
      t.teardown(() => void run.child.kill('SIGKILL'));
      // Both node processes up (their joint picture started on their brokers).
      const up = await until(
        () =>
          /\[node-a\] joint picture: fusing/.test(run.out.stderr) &&
          /\[node-b\] joint picture: fusing/.test(run.out.stderr),
        60_000,
      );
      t.ok(up, `${how}: both nodes running`, { stderr: run.out.stderr.slice(-4000) });
      const ports = brokerPorts(run.out.stderr);
      run.child.kill(how);
      const code = await run.exit;
      if (how === 'SIGINT') t.equal(code, 0, 'SIGINT: every node stopped cleanly, exit 0');
      // Every node stops as on SIGTERM (its summary written at its clean stop), and the brokers go.
      const summaries = ['node-a', 'node-b'].map((n) => join(dir, 'out', `joint-raid.${n}.summary.json`));
      t.ok(await until(() => summaries.every((f) => existsSync(f)), 45_000), `${how}: both nodes stopped cleanly`, {
        written: readdirSync(join(dir, 'out')),
        stderr: run.out.stderr.slice(-3000),
      });
      const closed = await until(() => true, 0).then(async () => {
        for (let i = 0; i < 100; i++) {
          const open = await Promise.all(ports.map(canConnect));
          if (!open.some(Boolean)) return true;
          await new Promise((r) => setTimeout(r, 100));
        }
        return false;
      });
      t.ok(closed, `${how}: both brokers gone`);
    }
  },
);

t.test(
  "--brokers scenario: the nodes run on the scenario's own brokers (hil-configs/joint/'s two Mosquittos, bridged)",
  { skip, timeout: 120_000 },
  async (t) => {
    const dir = await mkdtemp(join(tmpdir(), 'sl-joint-rt-own-'));
    const brokers = await JointBrokers.start(join(dir, 'brokers'));
    t.teardown(() => brokers.stop());
    const scenario = join(dir, 'joint-raid.yaml');
    await writeFile(
      scenario,
      (await readFile(SCENARIO, 'utf8'))
        .replace("url: 'mqtt://127.0.0.1:18831'", `url: '${brokers.url('node-a')}'`)
        .replace("url: 'mqtt://127.0.0.1:18832'", `url: '${brokers.url('node-b')}'`),
    );
    process.env['NODE_A_MQTT_PASSWORD'] = PASSWORD('shieldlink-node-a');
    process.env['NODE_B_MQTT_PASSWORD'] = PASSWORD('shieldlink-node-b');
    t.teardown(() => {
      delete process.env['NODE_A_MQTT_PASSWORD'];
      delete process.env['NODE_B_MQTT_PASSWORD'];
    });
    const { out, exit } = start([
      'run',
      '--config',
      await configIn(dir),
      '--scenario',
      scenario,
      '--real-time',
      '--duration',
      '8',
      '--brokers',
      'scenario',
      '--json',
    ]);
    t.equal(await exit, 0, 'the command exits 0', { stderr: out.stderr.slice(-4000) });
    t.notMatch(out.stderr, /joint: broker of/, 'no broker started');
    t.match(out.stderr, new RegExp(`\\[node-a\\] mqtt: ${brokers.url('node-a')}`));
    const figures = JSON.parse(out.stdout.trim().split('\n').at(-1)!) as { joint: { everyNodeSawPartners: boolean } };
    t.equal(figures.joint.everyNodeSawPartners, true, 'each node held its partner tracks over the bridged brokers');
  },
);
