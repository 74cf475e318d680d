import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createConnection, createServer } from 'node:net';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import { RealClock } from '../time/real-clock.js';
import { generatedPassword } from './joint-real-time-plan.js';

const run = promisify(execFile);

/** `node -e KEEPER mosquitto conf`: runs Mosquitto; stops it on SIGTERM/SIGINT or when stdin closes; exits with it. */
const KEEPER = [
  "const c = require('node:child_process').spawn(process.argv[1], ['-c', process.argv[2]], { stdio: 'ignore' });",
  "const stop = () => c.kill('SIGTERM');",
  "process.stdin.on('end', stop); process.stdin.on('close', stop); process.stdin.resume();",
  "process.on('SIGTERM', stop); process.on('SIGINT', stop);",
  "c.on('exit', (code) => process.exit(code ?? 0));",
].join('\n');

/** A program on PATH, or null. */
export function findOnPath(program: string): string | null {
  for (const dir of (process.env['PATH'] ?? '').split(delimiter)) {
    if (dir === '') continue;
    const file = join(dir, program);
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // not here
    }
  }
  return null;
}

/** A free TCP (or, with `udp`, a currently free) port on 127.0.0.1. */
export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject()));
    });
  });
}

/** One node's generated broker: where it listens and the node's own login. */
export interface StartedNodeBroker {
  readonly nodeId: string;
  readonly port: number;
  readonly url: string;
  readonly username: string;
  readonly password: string;
  /** Its Mosquitto log file. */
  readonly logFile: string;
}

/**
 * The ACL of node `self`'s generated broker (as hil-configs/joint/<node>.acl): the node writes its
 * own tree and reads its commands and the partners' releases to it; each partner's bridge user may
 * deliver exactly that partner's `shared/` topics for this node; the local end of this broker's
 * bridges reads only what this node shares; a `viewer-<self>` reads everything but the audit.
 */
function aclOf(self: string, partners: readonly string[]): string {
  const v1 = 'shieldlink/v1';
  const own = `${v1}/${self}`;
  const lines = [`user shieldlink-${self}`];
  for (const t of ['status', 'devices/#', 'tracks', 'threats', 'engagements/#', 'metrics', 'audit'])
    lines.push(`topic write ${own}/${t}`);
  for (const t of ['commands/result', 'replies/#', 'shared/tracks/+', 'shared/ledger', 'shared/engagements'])
    lines.push(`topic write ${own}/${t}`);
  lines.push(`topic read ${own}/commands/#`, `topic read ${own}/status`, `topic read ${own}/devices/#`);
  lines.push(`topic read ${v1}/+/shared/tracks/${self}`);
  for (const p of partners) lines.push(`topic read ${v1}/${p}/shared/engagements`);
  for (const p of partners)
    lines.push(
      '',
      `user bridge-${p}`,
      `topic write ${v1}/${p}/shared/tracks/${self}`,
      `topic write ${v1}/${p}/shared/ledger`,
      `topic write ${v1}/${p}/shared/engagements`,
    );
  lines.push('', `user bridge-local-${self}`);
  for (const p of partners) lines.push(`topic read ${own}/shared/tracks/${p}`);
  lines.push(`topic read ${own}/shared/ledger`, `topic read ${own}/shared/engagements`);
  lines.push('', `user viewer-${self}`);
  for (const t of ['status', 'devices/#', 'tracks', 'threats', 'engagements/#', 'metrics', 'shared/#'])
    lines.push(`topic read ${v1}/+/${t}`);
  lines.push('', `pattern read ${v1}/+/replies/%c`, `pattern read ${v1}/+/replies/%c/#`);
  return lines.join('\n') + '\n';
}

/**
 * Mosquitto brokers for the nodes of a real-time joint run, one per node on a free loopback port,
 * bridged as in hil-configs/joint/: authenticated (a generated password per user, in a password
 * file made with `mosquitto_passwd`), an ACL per broker, and one outbound bridge per partner
 * carrying only this node's `shared/tracks/<partner>`, `shared/ledger` and `shared/engagements`
 * (QoS 1, reconnecting by itself). Files under `dir/<node>/`; each broker logs to its
 * `mosquitto.log` there. `stop` kills them all.
 */
export class JointMosquittoBrokers {
  private readonly children: ChildProcess[] = [];
  private constructor(readonly brokers: readonly StartedNodeBroker[]) {}

  /** Start them; throws naming the tool when `mosquitto` or `mosquitto_passwd` is missing or a broker does not start. */
  static async start(dir: string, nodeIds: readonly string[]): Promise<JointMosquittoBrokers> {
    const mosquitto = findOnPath('mosquitto');
    const passwdTool = findOnPath('mosquitto_passwd');
    if (mosquitto === null || passwdTool === null)
      throw new Error(
        'mosquitto (and mosquitto_passwd) not found on PATH: install the Debian package mosquitto, or give each node a running broker in the scenario and run with --brokers scenario',
      );
    const ports = new Map<string, number>();
    for (const id of nodeIds) ports.set(id, await freeLoopbackPort());
    const passwords = new Map<string, string>();
    const password = (user: string): string => {
      if (!passwords.has(user)) passwords.set(user, generatedPassword());
      return passwords.get(user)!;
    };
    const started: StartedNodeBroker[] = [];
    for (const self of nodeIds) {
      const partners = nodeIds.filter((p) => p !== self);
      const d = join(dir, self);
      await mkdir(d, { recursive: true, mode: 0o700 });
      const acl = aclOf(self, partners);
      await writeFile(join(d, 'acl'), acl);
      const passwd = join(d, 'passwd');
      await writeFile(passwd, '', { mode: 0o600 });
      const users = [...new Set([...acl.matchAll(/^user (\S+)$/gm)].map((m) => m[1]!))];
      for (const user of users) {
        // A partner's bridge logs in here with the password that partner's bridge config holds.
        await run(passwdTool, ['-b', passwd, user, password(user.startsWith('bridge-') ? `${user}@${self}` : user)]);
      }
      const conf = [
        `# Generated by shieldlink run --real-time for node ${self} of a joint scenario (hil-configs/joint/README.md).`,
        'per_listener_settings false',
        `listener ${ports.get(self)!} 127.0.0.1`,
        'allow_anonymous false',
        `password_file ${passwd}`,
        `acl_file ${join(d, 'acl')}`,
        'set_tcp_nodelay true',
        'max_inflight_messages 0',
        'max_queued_messages 10000',
        'persistence false',
        `log_dest file ${join(d, 'mosquitto.log')}`,
        ...(process.getuid?.() === 0 ? ['user root'] : []),
      ];
      for (const p of partners)
        conf.push(
          '',
          `connection ${self}-to-${p}`,
          `address 127.0.0.1:${ports.get(p)!}`,
          `remote_clientid bridge-${self}`,
          `remote_username bridge-${self}`,
          `remote_password ${password(`bridge-${self}@${p}`)}`,
          `local_clientid bridge-local-${self}-${p}`,
          `local_username bridge-local-${self}`,
          `local_password ${password(`bridge-local-${self}@${self}`)}`,
          'bridge_protocol_version mqttv311',
          'try_private true',
          'cleansession true',
          'notifications false',
          'start_type automatic',
          'keepalive_interval 5',
          'restart_timeout 1 2',
          `topic shieldlink/v1/${self}/shared/tracks/${p} out 1`,
          `topic shieldlink/v1/${self}/shared/ledger out 1`,
          `topic shieldlink/v1/${self}/shared/engagements out 1`,
        );
      await writeFile(join(d, 'mosquitto.conf'), conf.join('\n') + '\n', { mode: 0o600 });
      started.push({
        nodeId: self,
        port: ports.get(self)!,
        url: `mqtt://127.0.0.1:${ports.get(self)!}`,
        username: `shieldlink-${self}`,
        password: password(`shieldlink-${self}`),
        logFile: join(d, 'mosquitto.log'),
      });
      await writeFile(
        join(d, 'viewer.txt'),
        `mosquitto_sub -p ${ports.get(self)!} -u viewer-${self} -P ${password(`viewer-${self}`)} -t 'shieldlink/v1/#' -v\n`,
        { mode: 0o600 },
      );
    }
    const set = new JointMosquittoBrokers(started);
    try {
      for (const b of started) await set.startOne(mosquitto, join(dir, b.nodeId, 'mosquitto.conf'), b);
    } catch (error) {
      await set.stop();
      throw error;
    }
    return set;
  }

  private async startOne(mosquitto: string, conf: string, broker: StartedNodeBroker): Promise<void> {
    // Through a keeper that ends the broker when its stdin (a pipe from this process) closes, so
    // the broker dies with this process however it ends.
    const child = spawn(process.execPath, ['-e', KEEPER, mosquitto, conf], { stdio: ['pipe', 'ignore', 'ignore'] });
    this.children.push(child);
    const clock = new RealClock();
    const deadlineUs = clock.nowUs() + 10_000_000;
    while (clock.nowUs() < deadlineUs) {
      if (child.exitCode !== null) break;
      if (await canConnect(broker.port)) return;
      await new Promise<void>((resolve) => clock.setTimer(20_000, resolve));
    }
    const log = await readFile(broker.logFile, 'utf8').catch(() => '');
    throw new Error(`mosquitto for ${broker.nodeId} did not start on port ${broker.port}: ${log.trim().slice(-400)}`);
  }

  /** Kill every broker and wait for each to exit. */
  async stop(): Promise<void> {
    await Promise.all(
      this.children.map(
        (c) =>
          new Promise<void>((resolve) => {
            if (c.exitCode !== null || c.signalCode !== null) return resolve();
            c.once('exit', () => resolve());
            c.kill('SIGTERM');
          }),
      ),
    );
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
