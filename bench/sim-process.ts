/**
 * `shieldlink sim` in its own process, as a bench engineer runs it: each device on its own PTY
 * pair, driven through the real serialport binding, in real time. Resolves once the simulator
 * has printed the link of every device.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { nodeEntry } from './node-entry.js';
import { POWER_ON_LINE_PREFIX } from './sim-epoch-probe-line.js';

/** Options of {@link startSimProcess}. */
export interface SimProcessOptions {
  /** Scenario YAML. */
  readonly scenarioFile: string;
  /** Truth log to write (`--truth`). */
  readonly truthFile?: string;
  /** How many devices the scenario has (the ready lines to wait for). */
  readonly devices: number;
  /**
   * Preload bench/sim-epoch-probe so the simulator reports the hrtime instant of its power-on
   * (see that file). Default false.
   */
  readonly probePowerOn?: boolean;
  /**
   * Pace the devices' output at their baud (default false: `--no-pace`, as `shieldlink run`
   * starts it on a PTY bench — pacing on platform timers delays frames past their modelled line
   * time and biases time sync; the host then assumes no pacing either way).
   */
  readonly paced?: boolean;
  /** Give up when the links are not ready within this long. Default 30 s. */
  readonly readyTimeoutMs?: number;
}

/** A running simulator process. */
export interface SimProcess {
  /** Host link URL by device id, e.g. `serial:/dev/pts/7`. */
  readonly links: ReadonlyMap<string, string>;
  /** `process.hrtime` instant of the world's scenario time 0, when probed. */
  readonly powerOnHrtimeNs: bigint | undefined;
  readonly pid: number;
  /** What the simulator wrote on stderr so far (diagnostics). */
  stderr(): string;
  /** SIGTERM and wait for the exit (the truth log is flushed by then). Idempotent. */
  stop(): Promise<void>;
}

export async function startSimProcess(options: SimProcessOptions): Promise<SimProcess> {
  const cli = nodeEntry('../src/cli/main.js');
  const probe = options.probePowerOn === true ? ['--import', nodeEntry('./sim-epoch-probe.js').file] : [];
  const args = [
    ...cli.execArgv,
    ...probe,
    cli.file,
    'sim',
    '--scenario',
    options.scenarioFile,
    ...(options.truthFile === undefined ? [] : ['--truth', options.truthFile]),
    ...(options.paced === true ? [] : ['--no-pace']),
  ];
  const child: ChildProcess = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  let powerOnHrtimeNs: bigint | undefined;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  createInterface({ input: child.stderr! }).on('line', (line) => {
    if (line.startsWith(POWER_ON_LINE_PREFIX)) {
      const parsed = JSON.parse(line.slice(POWER_ON_LINE_PREFIX.length)) as { powerOnHrtimeNs: string };
      powerOnHrtimeNs = BigInt(parsed.powerOnHrtimeNs);
    } else if (stderr.length < 100_000) stderr += line + '\n';
  });
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  const timeoutMs = options.readyTimeoutMs ?? 30_000;
  let links: Map<string, string>;
  try {
    links = await new Promise<Map<string, string>>((resolve, reject) => {
      const found = new Map<string, string>();
      const timer = setTimeout(
        () => reject(new Error(`shieldlink sim: ${found.size} of ${options.devices} links ready in ${timeoutMs} ms`)),
        timeoutMs,
      );
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`shieldlink sim exited (${code ?? signal}) before its links were ready:\n${stderr}`));
      });
      createInterface({ input: child.stdout! }).on('line', (line) => {
        let parsed: { device?: unknown; link?: unknown };
        try {
          parsed = JSON.parse(line) as { device?: unknown; link?: unknown };
        } catch {
          return;
        }
        if (typeof parsed.device !== 'string' || typeof parsed.link !== 'string') return;
        found.set(parsed.device, parsed.link);
        if (found.size === options.devices) {
          clearTimeout(timer);
          resolve(found);
        }
      });
    });
  } catch (error) {
    await stop();
    throw error;
  }
  if (options.probePowerOn === true && powerOnHrtimeNs === undefined) {
    // The probe line is written before the ready lines, but on another pipe: give it a moment.
    for (let i = 0; i < 100 && powerOnHrtimeNs === undefined; i++) await new Promise((r) => setTimeout(r, 10));
  }
  return {
    links,
    get powerOnHrtimeNs() {
      return powerOnHrtimeNs;
    },
    pid: child.pid!,
    stderr: () => stderr,
    stop,
  };
}
