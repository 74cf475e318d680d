import { type ChildProcess, spawn } from 'node:child_process';
import type { Clock } from '../time/clock.js';
import { US_PER_MS } from '../time/clock.js';
import { RealClock } from '../time/real-clock.js';
import { TransportError } from './transport.js';

/** Default limit on socat reporting its two PTYs. */
export const DEFAULT_PTY_START_TIMEOUT_MS = 5_000;

/** Options of {@link openPtyPair}. */
export interface PtyPairOptions {
  /** The socat executable; default `socat` from PATH. */
  readonly socatPath?: string;
  /**
   * Symlinks socat creates to the two PTYs and removes when it exits — a stand-in for
   * `/dev/serial/by-id/…` names that vanish on unplug and reappear on replug. No commas.
   */
  readonly links?: readonly [string, string];
  /** Give up when socat has not reported both PTYs within this long; default 5000 ms. */
  readonly startTimeoutMs?: number;
  /** Times the start; default a RealClock (this is real I/O). */
  readonly clock?: Clock;
}

/**
 * Two PTYs joined by socat (`socat -d -d pty,raw,echo=0 pty,raw,echo=0`): a null-modem cable
 * whose ends open with the real `serialport` binding. Bytes cross without any baud limit
 * (pacing is PacedTransport's job); when socat exits, both PTYs vanish and an open
 * SerialTransport on either ends with `close('unplugged')`.
 */
export interface PtyPair {
  /** The two device paths, e.g. `['/dev/pts/3', '/dev/pts/4']`. */
  readonly paths: readonly [string, string];
  /** socat's process id. */
  readonly pid: number;
  /** Whether socat still runs. */
  readonly running: boolean;
  /** Stop socat (SIGTERM) and resolve once it has exited. Idempotent. */
  close(): Promise<void>;
}

/**
 * Start socat and resolve when it reports both PTYs and is moving data. Rejects with
 * TransportError('open-failed') when socat is not installed, exits early, or is not ready in
 * time (socat is then stopped).
 */
export function openPtyPair(options: PtyPairOptions = {}): Promise<PtyPair> {
  const socatPath = options.socatPath ?? 'socat';
  const links = options.links;
  if (links?.some((link) => /[,!:]/.test(link))) {
    return Promise.reject(new TransportError('open-failed', `pty pair: link paths may not contain , ! or :`));
  }
  const address = (i: 0 | 1): string => `pty,raw,echo=0${links ? `,link=${links[i]}` : ''}`;
  const clock = options.clock ?? new RealClock();
  const timeoutMs = options.startTimeoutMs ?? DEFAULT_PTY_START_TIMEOUT_MS;

  return new Promise<PtyPair>((resolve, reject) => {
    let child: ChildProcess;
    try {
      child = spawn(socatPath, ['-d', '-d', address(0), address(1)], { stdio: ['ignore', 'ignore', 'pipe'] });
    } catch (error) {
      reject(new TransportError('open-failed', `pty pair: cannot start ${socatPath}: ${String(error)}`));
      return;
    }
    let stderr = '';
    let settled = false;
    const exited = new Promise<void>((done) => child.once('exit', () => done()));
    const fail = (why: string): void => {
      if (settled) return;
      settled = true;
      timer.cancel();
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      reject(new TransportError('open-failed', `pty pair: ${why}`));
    };
    const timer = clock.setTimer(timeoutMs * US_PER_MS, () => fail(`socat not ready within ${timeoutMs} ms`));
    child.once('error', (error: NodeJS.ErrnoException) => {
      fail(
        error.code === 'ENOENT'
          ? `${socatPath} not found — install socat (e.g. apt-get install socat)`
          : `cannot start ${socatPath}: ${error.message}`,
      );
    });
    child.once('exit', (code, signal) => {
      fail(`socat exited (${signal ?? `code ${code}`}) before it was ready: ${lastLine(stderr)}`);
    });
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (text: string) => {
      if (settled) return; // keep draining so socat never blocks on a full pipe
      stderr += text;
      const paths = [...stderr.matchAll(/PTY is (\S+)/g)].map((m) => m[1]!);
      if (paths.length < 2 || !stderr.includes('starting data transfer loop')) return;
      settled = true;
      timer.cancel();
      resolve(new SocatPtyPair(child, [paths[0]!, paths[1]!], exited));
    });
  });
}

class SocatPtyPair implements PtyPair {
  constructor(
    private readonly child: ChildProcess,
    readonly paths: readonly [string, string],
    private readonly exited: Promise<void>,
  ) {}

  get pid(): number {
    return this.child.pid!;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  async close(): Promise<void> {
    if (this.running) this.child.kill('SIGTERM');
    await this.exited;
  }
}

function lastLine(text: string): string {
  const lines = text.trim().split('\n');
  return lines[lines.length - 1] ?? '';
}
