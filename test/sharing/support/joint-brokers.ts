import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../bridge/support/mosquitto.js';
import { toolPath } from '../../support/require-tool.js';

/** hil-configs/joint/: the two-node bench's Mosquitto configs and ACLs, used as they are. */
export const JOINT_DIR = fileURLToPath(new URL('../../../hil-configs/joint/', import.meta.url));
export const PASSWORD = (user: string): string => `${user}-pw`;
export const NODES = ['node-a', 'node-b'] as const;
export type NodeName = (typeof NODES)[number];
const other = (n: NodeName): NodeName => (n === 'node-a' ? 'node-b' : 'node-a');

/**
 * The two brokers of hil-configs/joint/, each from its own file with only the machine-specific
 * lines replaced (ports, file paths, the bridge passwords): everything that decides what crosses
 * (bridge topics, ACLs, credentials) is the committed file's.
 */
export class JointBrokers {
  private readonly children = new Map<NodeName, ChildProcess>();
  readonly ports: Record<NodeName, number>;

  private constructor(
    readonly dir: string,
    ports: Record<NodeName, number>,
  ) {
    this.ports = ports;
  }

  static async start(dir: string): Promise<JointBrokers> {
    const ports = { 'node-a': await freePort(), 'node-b': await freePort() };
    const brokers = new JointBrokers(dir, ports);
    for (const node of NODES) brokers.writeConfig(node);
    for (const node of NODES) await brokers.start(node);
    return brokers;
  }

  url(node: NodeName): string {
    return `mqtt://127.0.0.1:${this.ports[node]}`;
  }

  private writeConfig(node: NodeName): void {
    const partner = other(node);
    const d = join(this.dir, node);
    mkdirSync(d, { recursive: true });
    const acl = readFileSync(join(JOINT_DIR, `${node}.acl`), 'utf8');
    writeFileSync(join(d, 'acl'), acl);
    const users = [...new Set([...acl.matchAll(/^user (\S+)$/gm)].map((m) => m[1]!)), `bridge-local-${node}`];
    const passwd = join(d, 'passwd');
    writeFileSync(passwd, '');
    for (const user of users) execFileSync(toolPath('mosquitto_passwd'), ['-b', passwd, user, PASSWORD(user)]);
    const conf = readFileSync(join(JOINT_DIR, `${node}.mosquitto.conf`), 'utf8')
      .replace(/^listener \d+ /m, `listener ${this.ports[node]} `)
      .replace(/^address 127\.0\.0\.1:\d+$/m, `address 127.0.0.1:${this.ports[partner]}`)
      .replace(/^password_file .*$/m, `password_file ${passwd}`)
      .replace(/^acl_file .*$/m, `acl_file ${join(d, 'acl')}`)
      .replace(/^persistence_location .*$/m, `persistence_location ${d}/`)
      .replace(/^log_dest .*$/m, `log_dest file ${join(d, 'mosquitto.log')}\nlog_type all`)
      .replace(/^remote_password .*$/m, `remote_password ${PASSWORD(`bridge-${node}`)}`)
      .replace(/^local_password .*$/m, `local_password ${PASSWORD(`bridge-local-${node}`)}`);
    writeFileSync(join(d, 'mosquitto.conf'), conf + (process.getuid?.() === 0 ? 'user root\n' : ''));
  }

  async start(node: NodeName): Promise<void> {
    const child = spawn(toolPath('mosquitto'), ['-c', join(this.dir, node, 'mosquitto.conf')], { stdio: 'ignore' });
    this.children.set(node, child);
    for (let i = 0; i < 500; i++) {
      if (child.exitCode !== null) throw new Error(`mosquitto ${node} exited (see ${this.dir}/${node}/mosquitto.log)`);
      if (await canConnect(this.ports[node])) return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error(`mosquitto ${node} did not start listening`);
  }

  async kill(node: NodeName): Promise<void> {
    const child = this.children.get(node);
    this.children.delete(node);
    if (child === undefined || child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGKILL');
    await exited;
  }

  async stop(): Promise<void> {
    for (const node of NODES) await this.kill(node);
  }

  log(node: NodeName): string {
    try {
      return readFileSync(join(this.dir, node, 'mosquitto.log'), 'utf8');
    } catch {
      return '';
    }
  }
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
