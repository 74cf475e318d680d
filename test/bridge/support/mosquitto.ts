import { type ChildProcess, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { join } from 'node:path';
import { findTool, missingToolNotice, skipUnlessTools } from '../../support/require-tool.js';

/**
 * Where mosquitto lives, or null (tests then skip with a notice — or, under `CI=true`, fail:
 * test/support/require-tool.ts). Prefer `skipUnlessTools('mosquitto')` as a test's `skip`.
 */
export function mosquittoBinary(): string | null {
  return skipUnlessTools('mosquitto') === false ? findTool('mosquitto') : null;
}

export const MOSQUITTO_SKIP = missingToolNotice('mosquitto');

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
}

/**
 * A real Mosquitto on a free loopback port, with a generated config in `dir`: anonymous,
 * unbounded queues (tests and benchmarks must not be limited by the broker's defaults), and
 * persistence so that a restart keeps sessions and retained messages, like a production broker.
 */
export class Mosquitto {
  private child: ChildProcess | null = null;
  readonly url: string;

  private constructor(
    readonly binary: string,
    readonly dir: string,
    readonly port: number,
    scheme: 'mqtt' | 'mqtts',
  ) {
    this.url = `${scheme}://127.0.0.1:${port}`;
  }

  /**
   * `listenerLines` go right after the listener (e.g. TLS files); `anonymous: false` requires
   * a user (add `password_file` in `listenerLines`). The URL scheme is `mqtts` when `tls`.
   */
  static async start(
    dir: string,
    options: { listenerLines?: readonly string[]; anonymous?: boolean; tls?: boolean } = {},
  ): Promise<Mosquitto> {
    const binary = mosquittoBinary();
    if (binary === null) throw new Error(MOSQUITTO_SKIP);
    const broker = new Mosquitto(binary, dir, await freePort(), options.tls === true ? 'mqtts' : 'mqtt');
    const config = [
      `listener ${broker.port} 127.0.0.1`,
      ...(options.listenerLines ?? []),
      `allow_anonymous ${options.anonymous === false ? 'false' : 'true'}`,
      'max_queued_messages 0',
      'max_inflight_messages 0',
      'persistence true',
      `persistence_location ${dir}/`,
      `log_dest file ${join(dir, 'mosquitto.log')}`,
      ...(process.getuid?.() === 0 ? ['user root'] : []),
    ].join('\n');
    writeFileSync(join(dir, 'mosquitto.conf'), config + '\n');
    await broker.restart();
    return broker;
  }

  /** (Re)start on the same port; resolves once it accepts connections. */
  async restart(): Promise<void> {
    const child = spawn(this.binary, ['-c', join(this.dir, 'mosquitto.conf')], { stdio: 'ignore' });
    this.child = child;
    for (let i = 0; i < 500; i++) {
      if (child.exitCode !== null)
        throw new Error(`mosquitto exited with ${child.exitCode} (see ${this.dir}/mosquitto.log)`);
      if (await canConnect(this.port)) return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error('mosquitto did not start listening');
  }

  /** Stop cleanly (SIGTERM: it saves its persistence file) and wait for the exit. */
  async stop(): Promise<void> {
    await this.signal('SIGTERM');
  }

  /** Kill abruptly. */
  async kill(): Promise<void> {
    await this.signal('SIGKILL');
  }

  private async signal(signal: NodeJS.Signals): Promise<void> {
    const child = this.child;
    this.child = null;
    if (child === null || child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill(signal);
    await exited;
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
