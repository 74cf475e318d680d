import { type ChildProcess, spawn } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** `shieldlink sim` running in its own process, each device on its own PTY pair. */
export interface SimulatorProcess {
  /** Host link URL by device id (`serial:/dev/pts/N`). */
  readonly links: ReadonlyMap<string, string>;
  /** System-wide monotonic instant (hrtime, ns) of the simulator's truth `tUs` 0. */
  readonly powerOnHrtimeNs: bigint;
  /** Resolves when the process exits (scenario end or stop). */
  readonly exited: Promise<void>;
  /**
   * SIGTERM, wait for exit (the truth log is flushed by then). Idempotent. The simulator also
   * stops on its own when this process ends without calling it (its stdin pipe closes).
   */
  stop(): Promise<void>;
}

/** A simulator process that did not come up. */
export class SimulatorProcessError extends Error {
  readonly code = 'simulator-process';
  constructor(message: string) {
    super(message);
    this.name = 'SimulatorProcessError';
  }
}

/**
 * The simulator writes frames unpaced (`--no-pace`): real-time pacing on platform timers would
 * delay only the device-to-host direction and bias time sync; PTY delays are symmetric.
 *
 * Start this same CLI (from dist/ or, under tsx, from the TypeScript sources) as `sim --scenario FILE --truth FILE`
 * (plus `extraArgs`, e.g. `--asterix` radars), and resolve once it has printed the link of each of
 * `deviceCount` devices (an ASTERIX radar's link is the UDP URL it sends to).
 */
export async function startSimulatorProcess(
  scenarioFile: string,
  truthFile: string,
  deviceCount: number,
  readyTimeoutMs = 30_000,
  extraArgs: readonly string[] = [],
): Promise<SimulatorProcess> {
  // This same CLI: dist/src/cli/main.js when built; from TypeScript sources (tests, tsx) the
  // .ts entry under tsx, run from the package root so `--import tsx` resolves.
  const here = fileURLToPath(import.meta.url);
  const fromSource = here.endsWith('.ts');
  const entry = resolve(dirname(here), fromSource ? '../cli/main.ts' : '../cli/main.js');
  const packageRoot = resolve(dirname(here), fromSource ? '../..' : '../../..');
  const child: ChildProcess = spawn(
    process.execPath,
    [
      ...(fromSource ? ['--import', 'tsx'] : []),
      entry,
      'sim',
      '--scenario',
      resolve(scenarioFile),
      '--truth',
      resolve(truthFile),
      // Our end of its stdin closes when this process ends, however it ends (even SIGKILL):
      // the simulator then stops too, with its truth log flushed.
      '--stop-on-stdin-end',
      ...extraArgs,
    ],
    { stdio: ['pipe', 'pipe', 'pipe'], cwd: packageRoot },
  );
  child.stdin!.on('error', () => undefined);
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    if (stderr.length < 20_000) stderr += chunk.toString('utf8');
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  try {
    const { links, powerOnHrtimeNs } = await new Promise<{ links: Map<string, string>; powerOnHrtimeNs: bigint }>(
      (resolve, reject) => {
        const links = new Map<string, string>();
        let powerOn = 0n;
        const timer = setTimeoutUnref(() => {
          reject(
            new SimulatorProcessError(`simulator: ${links.size} of ${deviceCount} links ready in ${readyTimeoutMs} ms`),
          );
        }, readyTimeoutMs);
        child.once('exit', (code, signal) => {
          timer.cancel();
          reject(
            new SimulatorProcessError(
              `simulator exited (${code ?? signal}) before its links were ready: ${stderr.trim()}`,
            ),
          );
        });
        createInterface({ input: child.stdout! }).on('line', (line) => {
          try {
            const ready = JSON.parse(line) as { device?: string; link?: string; powerOnHrtimeNs?: string };
            if (ready.device === undefined || ready.link === undefined) return;
            links.set(ready.device, ready.link);
            if (ready.powerOnHrtimeNs !== undefined) powerOn = BigInt(ready.powerOnHrtimeNs);
            if (links.size === deviceCount) {
              timer.cancel();
              resolve({ links, powerOnHrtimeNs: powerOn });
            }
          } catch {
            // not a ready line
          }
        });
      },
    );
    return { links, powerOnHrtimeNs, exited, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** A one-shot wall-time timeout for process start-up (outside any run's clock). */
function setTimeoutUnref(callback: () => void, ms: number): { cancel(): void } {
  // eslint-disable-next-line no-restricted-globals -- start-up watchdog of a child process, not run timing
  const handle = setTimeout(callback, ms);
  handle.unref();
  return { cancel: () => clearTimeout(handle) };
}
