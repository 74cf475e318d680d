import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** The repository root (tests spawn the CLI from its sources there). */
export const REPO = fileURLToPath(new URL('../../../', import.meta.url));
/** `node` arguments that run the CLI from its TypeScript sources. */
export const CLI = ['--import', 'tsx', 'src/cli/main.ts'];

/** Run the CLI to its end. */
export function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...CLI, ...args], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A long-running CLI child whose stdout lines are collected. */
export interface CliChild {
  readonly child: ChildProcess;
  readonly lines: string[];
  stderr(): string;
  /** The first stdout line (parsed JSON) matching `predicate`, within `timeoutMs`. */
  waitForLine<T>(predicate: (value: Record<string, unknown>) => boolean, timeoutMs: number): Promise<T>;
  /** Send a signal (default SIGTERM) and wait for the exit; resolves with the exit code/signal. */
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function startCli(args: string[]): CliChild {
  const child = spawn(process.execPath, [...CLI, ...args], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  let stderr = '';
  const waiters: Array<() => void> = [];
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  createInterface({ input: child.stdout! }).on('line', (line) => {
    lines.push(line);
    for (const w of [...waiters]) w();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return {
    child,
    lines,
    stderr: () => stderr,
    exited,
    waitForLine<T>(predicate: (value: Record<string, unknown>) => boolean, timeoutMs: number): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        const check = (): boolean => {
          for (const line of lines) {
            let value: unknown;
            try {
              value = JSON.parse(line);
            } catch {
              continue;
            }
            if (typeof value === 'object' && value !== null && predicate(value as Record<string, unknown>)) {
              clearTimeout(timer);
              waiters.splice(waiters.indexOf(onLine), 1);
              resolve(value as T);
              return true;
            }
          }
          return false;
        };
        const onLine = (): void => void check();
        const timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(onLine), 1);
          reject(new Error(`no matching line within ${timeoutMs} ms; stdout ${lines.join('\n')}; stderr ${stderr}`));
        }, timeoutMs);
        waiters.push(onLine);
        void exited.then(() => {
          if (!check()) {
            clearTimeout(timer);
            reject(new Error(`exited before a matching line; stderr ${stderr}`));
          }
        });
        check();
      });
    },
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}
