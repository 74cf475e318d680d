import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NodeKey } from '../../../src/bridge/node-key.js';
import { freePort } from '../../bridge/support/mosquitto.js';
import { JOINT_DIR, type JointBrokers, type NodeName, NODES, PASSWORD } from './joint-brokers.js';

/** The built CLI the node processes run. */
export const CLI = fileURLToPath(new URL('../../../dist/src/cli/main.js', import.meta.url));

/** Resolves with a child process's exit code (at once when it has already exited). */
export function exitOf(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => (child.exitCode !== null ? resolve(child.exitCode) : child.once('exit', resolve)));
}

/**
 * `node`'s bench config from hil-configs/joint/, pointed at `brokers`, `scenario`, the partner's
 * freshly written public key and an output directory under `dir`; written to `dir/<node>.yaml`.
 */
function writeNodeConfig(
  dir: string,
  node: NodeName,
  brokers: JointBrokers,
  scenario: string,
  skyPorts: Record<NodeName, number> | undefined,
): string {
  const partner: NodeName = node === 'node-a' ? 'node-b' : 'node-a';
  const sky =
    skyPorts === undefined ? '' : `, sharedSky: { port: ${skyPorts[node]}, peers: ['127.0.0.1:${skyPorts[partner]}'] }`;
  const text = readFileSync(join(JOINT_DIR, `${node}.yaml`), 'utf8')
    .replace(/^scenario: .*$/m, `scenario: ${scenario}`)
    .replace(/url: mqtt:\/\/127\.0\.0\.1:\d+/, `url: ${brokers.url(node)}`)
    .replace(/publicKey: .*$/m, `publicKey: ${join(dir, partner, 'keys', `${partner}.node.pub.json`)}`)
    .replace(/^output: .*$/m, `output: { dir: ${join(dir, node)} }`)
    // In-process simulators: two PTY simulators on top of two nodes overload a shared 2-core runner.
    .replace(/placement: pty/, `placement: in-process${sky}`)
    // Node A's battery stands 55 m north of node B's: B's threat is aimed at A's defended point
    // too and flies into A's launcher envelope.
    .replace(/^site: .*$/m, (line) =>
      node === 'node-a' ? 'site: { latDeg: 48.3005, lonDeg: 11.6, heightM: 450 }' : line,
    );
  const file = join(dir, `${node}.yaml`);
  writeFileSync(file, text);
  return file;
}

/** Two node processes started by {@link startJointNodes}. */
export interface JointNodeProcesses {
  /** Everything each process wrote (stdout and stderr), so far. */
  readonly output: Record<NodeName, string>;
  /** Resolves with the exit codes, node-a first. */
  readonly exits: Promise<(number | null)[]>;
}

/**
 * Both nodes as `shieldlink run --real-time` processes: a node key each under `dir/<node>/keys`,
 * the configs of {@link writeNodeConfig}, each node's broker password in its environment. The
 * processes are killed at `teardown` if still running.
 */
export async function startJointNodes(options: {
  readonly dir: string;
  readonly brokers: JointBrokers;
  readonly scenarios: Record<NodeName, string>;
  readonly durationS: number;
  readonly teardown: (fn: () => void) => void;
  /** One sky: the two simulators end a target the other's interceptor destroyed (`simulator.sharedSky`). */
  readonly sharedSky?: boolean;
}): Promise<JointNodeProcesses> {
  const { dir, brokers } = options;
  for (const node of NODES) {
    mkdirSync(join(dir, node, 'keys'), { recursive: true, mode: 0o700 });
    await NodeKey.generate(node).write(join(dir, node, 'keys', `${node}.node.key.json`), false);
  }
  const children: ChildProcess[] = [];
  const output: Record<NodeName, string> = { 'node-a': '', 'node-b': '' };
  options.teardown(() => children.forEach((c) => c.exitCode === null && c.kill('SIGKILL')));
  const skyPorts = options.sharedSky === true ? { 'node-a': await freePort(), 'node-b': await freePort() } : undefined;
  for (const node of NODES) {
    const config = writeNodeConfig(dir, node, brokers, options.scenarios[node], skyPorts);
    const env = {
      ...process.env,
      [`${node === 'node-a' ? 'NODE_A' : 'NODE_B'}_MQTT_PASSWORD`]: PASSWORD(`shieldlink-${node}`),
    };
    const child = spawn(
      process.execPath,
      [CLI, 'run', '--config', config, '--real-time', '--duration', String(options.durationS)],
      { env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child.stdout!.on('data', (d: Buffer) => (output[node] += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (output[node] += d.toString()));
    children.push(child);
  }
  return { output, exits: Promise.all(children.map(exitOf)) };
}
