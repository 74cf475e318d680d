/**
 * The benchmark suite: the seven groups of the first goals in their order, then ASTERIX decoding,
 * real time vs virtual time, campaign throughput and the command network under garbage. Each
 * group's module is imported only when the group runs, so that one broken or unfinished
 * benchmark is reported as not run (with the reason) instead of stopping the others.
 */
import type { BenchFigure } from './bench-figure.js';

/** Options every group gets. */
export interface GroupOptions {
  /** The short version (CI smoke run, under 3 minutes for the whole suite). */
  readonly quick: boolean;
  /** Long mode: adds the 10-minute memory soak. */
  readonly long: boolean;
}

/** A group that cannot run in this checkout (a module missing or not exporting its runner). */
export class GroupUnavailableError extends Error {
  readonly code = 'group-unavailable';
  constructor(message: string) {
    super(message);
    this.name = 'GroupUnavailableError';
  }
}

/** One group of the suite: one figure of the benchmark goal, measured by one or more parts. */
export interface BenchGroup {
  /** `--only` name. */
  readonly name: string;
  /** Position in the list of benchmark figures. */
  readonly figure: number;
  /** What it measures, one line (the docs table heading). */
  readonly title: string;
  /** Run (and reported as run or not run) one by one, each in its own process by default. */
  readonly parts: readonly BenchPart[];
}

/** A separately runnable part of a group. */
export interface BenchPart {
  /** `<group>` for a group of one part, else `<group>.<part>`. */
  readonly name: string;
  run(options: GroupOptions): Promise<BenchFigure[]>;
}

const single = (name: string, run: BenchPart['run']): BenchPart[] => [{ name, run }];

/**
 * Import a bench module and take its runner, or throw GroupUnavailableError saying why (the
 * module does not load, or does not export the function yet).
 */
async function runner<O>(specifier: string, exportName: string): Promise<(options: O) => Promise<BenchFigure[]>> {
  let module: Record<string, unknown>;
  try {
    module = (await import(specifier)) as Record<string, unknown>;
  } catch (error) {
    throw new GroupUnavailableError(
      `${specifier} does not load: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const fn = module[exportName];
  if (typeof fn !== 'function') throw new GroupUnavailableError(`${specifier} does not export ${exportName}()`);
  return fn as (options: O) => Promise<BenchFigure[]>;
}

export const GROUPS: readonly BenchGroup[] = [
  {
    name: 'loop',
    figure: 1,
    title:
      'real-time tick loop at 1 kHz under serial (PTY) and MQTT load, vs setInterval; then with the tick thread at SCHED_FIFO',
    parts: single('loop', async ({ quick }) =>
      (await runner<{ quick: boolean }>('./loop-under-load.js', 'runLoopUnderLoad'))({ quick }),
    ),
  },
  {
    name: 'codec',
    figure: 2,
    title: 'frame decode and encode rate on one core, vs a 921,600-baud line',
    parts: single('codec', async ({ quick }) =>
      (await runner<{ quick: boolean }>('./codec.js', 'runCodecBench'))({ quick }),
    ),
  },
  {
    name: 'capacity',
    figure: 3,
    title: 'control-core compute per 1 ms tick, tracks × launchers',
    parts: single('capacity', async ({ quick }) =>
      (await runner<{ quick: boolean }>('./capacity.js', 'runCapacityBench'))({ quick }),
    ),
  },
  {
    name: 'launch',
    figure: 4,
    title: 'time-tagged launch accuracy and time-sync error over PTYs (simulator in its own process)',
    parts: single('launch', async ({ quick }) =>
      (await runner<{ quick: boolean }>('./launch.js', 'runLaunchBench'))({ quick }),
    ),
  },
  {
    name: 'lockstep',
    figure: 5,
    title: 'raid-50 in virtual time: simulated seconds per wall second',
    parts: single('lockstep', async ({ quick }) =>
      (await runner<{ quick: boolean }>('./lockstep.js', 'runLockstepBench'))({ quick }),
    ),
  },
  {
    name: 'mqtt',
    figure: 6,
    title: 'MQTT bridge throughput and latency (Aedes, Mosquitto); loop timing with and without the bridge',
    parts: [
      {
        name: 'mqtt.broker',
        run: async ({ quick }) => (await runner<{ quick: boolean }>('./mqtt.js', 'runMqttBench'))({ quick }),
      },
      {
        name: 'mqtt.loop',
        run: async ({ quick }) =>
          (await runner<{ quick: boolean }>('./bridge-loop.js', 'runBridgeLoopBench'))({ quick }),
      },
    ],
  },
  {
    name: 'memory',
    figure: 7,
    title: 'RSS with 1,000 tracks in the control core (10-minute soak in long mode)',
    parts: single('memory', async ({ quick, long }) =>
      (await runner<{ quick: boolean; long: boolean }>('./memory.js', 'runMemoryBench'))({ quick, long }),
    ),
  },
  {
    name: 'asterix',
    figure: 8,
    title: 'ASTERIX CAT048 decoding on one core, vs tshark on the same capture',
    parts: single('asterix', async ({ quick }) =>
      (await runner<{ quick: boolean }>('./asterix.js', 'runAsterixBench'))({ quick }),
    ),
  },
  {
    name: 'realtime',
    figure: 9,
    title: 'real time vs virtual time: hostiles intercepted (ratio), with the real-time launch error p99',
    parts: (['sim', 'pty'] as const).map((bench) => ({
      name: `realtime.${bench}`,
      run: async ({ quick }: GroupOptions) =>
        (await runner<{ quick: boolean; bench: 'sim' | 'pty' }>('./realtime.js', 'runRealtimeBench'))({ quick, bench }),
    })),
  },
  {
    name: 'campaign',
    figure: 10,
    title: 'campaign throughput: raid-50 runs per second with 1 and 2 local workers and 2 queue workers (Redis)',
    parts: single('campaign', async ({ quick }) =>
      (await runner<{ quick: boolean }>('./campaign.js', 'runCampaignBench'))({ quick }),
    ),
  },
  {
    name: 'security',
    figure: 11,
    title: 'garbage commands (10,000/s) vs the control loop: p99 lateness quiet and flooded, audit and spool bounds',
    parts: single('security', async ({ quick }) =>
      (await runner<{ quick: boolean }>('./garbage-loop.js', 'runGarbageLoopBench'))({ quick }),
    ),
  },
  {
    name: 'fusion',
    figure: 12,
    title: 'track-to-track fusion of 1,000 local × 1,000 partner tracks per update, vs a dense O(n³) assignment',
    parts: single('fusion', async ({ quick }) =>
      (await runner<{ quick: boolean }>('./fusion.js', 'runFusionBench'))({ quick }),
    ),
  },
  {
    name: 'ledger',
    figure: 13,
    title: 'decision ledger: append with signing and verification on one core; tick lateness with the ledger on vs off',
    parts: single('ledger', async ({ quick }) =>
      (await runner<{ quick: boolean }>('./ledger.js', 'runLedgerBench'))({ quick }),
    ),
  },
  {
    name: 'tewa',
    figure: 14,
    title: 'threat evaluation + weapon assignment per tick: 1,000 tracks × 8 launchers × 20 assets',
    parts: single('tewa', async ({ quick }) =>
      (await runner<{ quick: boolean }>('./tewa.js', 'runTewaBench'))({ quick }),
    ),
  },
  {
    name: 'joint',
    figure: 15,
    title: 'joint lockstep speed: both nodes of joint-raid in one process, in virtual time, vs real time',
    parts: single('joint', async ({ quick }) =>
      (await runner<{ quick: boolean }>('./joint-speed.js', 'runJointSpeedBench'))({ quick }),
    ),
  },
];

/** The group or part named `name` (`mqtt`, `mqtt.loop`), as the parts to run; undefined when unknown. */
export function selectParts(name: string): { group: BenchGroup; parts: readonly BenchPart[] } | undefined {
  for (const group of GROUPS) {
    if (group.name === name) return { group, parts: group.parts };
    const part = group.parts.find((p) => p.name === name);
    if (part !== undefined) return { group, parts: [part] };
  }
  return undefined;
}

/** The part named `name` and its group. */
export function findPart(name: string): { group: BenchGroup; part: BenchPart } | undefined {
  for (const group of GROUPS) {
    const part = group.parts.find((p) => p.name === name);
    if (part !== undefined) return { group, part };
  }
  return undefined;
}
