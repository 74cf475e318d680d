import { readFileSync } from 'node:fs';
import { arch, cpus, loadavg, release, totalmem, type } from 'node:os';

/** The machine a figure was measured on, and how busy it was (every result record carries it). */
export interface MachineDescription {
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly node: string;
  readonly os: string;
  /** 1-minute load average when the part started and when it ended. */
  readonly loadAvg1: readonly [number, number];
  /**
   * Linux PSI: share of the last 60 s in which some runnable task waited for a CPU, when the
   * part ended (null where /proc/pressure is absent). On shared or oversubscribed cores it shows
   * contention the load average does not.
   */
  readonly cpuPressureSome60: number | null;
}

/** The static part, plus the current load. */
export function machineNow(): Omit<MachineDescription, 'loadAvg1' | 'cpuPressureSome60'> & {
  readonly loadAvg1Now: number;
} {
  const list = cpus();
  return {
    cpu: list[0]?.model.trim() ?? 'unknown',
    cores: list.length,
    memoryGiB: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    os: `${type()} ${release()} ${arch()}`,
    loadAvg1Now: Math.round(loadavg()[0]! * 100) / 100,
  };
}

/** PSI "some avg60" for the CPU, as a fraction, or null. */
export function cpuPressureSome60(): number | null {
  try {
    const line = readFileSync('/proc/pressure/cpu', 'utf8').split('\n')[0] ?? '';
    const match = /avg60=([\d.]+)/.exec(line);
    return match === null ? null : Number(match[1]) / 100;
  } catch {
    return null;
  }
}

/** Describe the machine for a part that started at load `loadBefore`. */
export function describeMachine(loadBefore: number): MachineDescription {
  const { loadAvg1Now, ...rest } = machineNow();
  return { ...rest, loadAvg1: [loadBefore, loadAvg1Now], cpuPressureSome60: cpuPressureSome60() };
}

/** One line for humans, e.g. `2 × AMD EPYC, 23.4 GiB, Node v20.20.2, Linux 6.1 x64`. */
export function machineLine(m: Pick<MachineDescription, 'cpu' | 'cores' | 'memoryGiB' | 'node' | 'os'>): string {
  return `${m.cores} × ${m.cpu}, ${m.memoryGiB} GiB RAM, Node ${m.node}, ${m.os}`;
}
