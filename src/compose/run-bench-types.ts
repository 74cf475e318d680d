import type { World } from '../../firmware-sim/index.js';
import type { LoadedBenchConfig } from '../config/load-bench-config.js';
import type { Scenario } from '../config/scenario-schema.js';
import type { ControlConfig } from '../control/index.js';
import type { TickLoopMetrics } from '../control/realtime/index.js';
import type { HilSession, SessionObserver } from '../session/hil-session.js';
import type { PictureQualityPoint } from '../session/run-picture-quality.js';
import type { RunSummary } from '../session/run-summary.js';
import type { Clock } from '../time/clock.js';
import type { VirtualClock } from '../time/virtual-clock.js';
import type { LedgerSummary } from './decision-ledger.js';
import type { RunningBridge } from './start-bridge.js';

/** Fixed wall-clock epoch of virtual-time runs (2026-01-01T00:00:00Z): signing stays repeatable. */
export const VIRTUAL_WALL_EPOCH_MS = Date.UTC(2026, 0, 1);
/** Live pictures per wall second a virtual run sends to the bridge (and so the display). */
export const VIRTUAL_PICTURE_HZ = 10;

/** Options of {@link runBench}. */
export interface RunBenchOptions {
  readonly loaded: LoadedBenchConfig;
  /** Scenario file; default the config's. */
  readonly scenarioFile?: string;
  readonly virtualTime: boolean;
  /** Stop after this many simulated seconds (default the scenario's duration). */
  readonly durationS?: number;
  /** Run file to write (default: none). */
  readonly recordFile?: string;
  /** Truth log (JSONL) to write (default: none). */
  readonly truthFile?: string;
  /** pcapng capture of every frame on every link, both ways (default: none). */
  readonly captureFile?: string;
  /** MQTT log: every message the bridge publishes, with its clock time (default: none). */
  readonly mqttLogFile?: string;
  /**
   * Decision ledger to write (default `<name>.ledger` beside the run file when there is one;
   * null: none). Signed with the node key in `keys/` beside the run file.
   */
  readonly ledgerFile?: string | null;
  readonly observers?: readonly SessionObserver[];
  readonly log?: (line: string) => void;
  /** Called about every simulated second with the latest picture. */
  readonly onProgress?: (progress: RunProgress) => void;
  /** Resolves when the user asks to stop (SIGINT): the run ends cleanly at that point. */
  readonly interrupt?: Promise<void>;
  /** MQTT broker URL overriding the config's, or 'none' for no bridge. */
  readonly broker?: string;
  /** Called once the bridge is up, with where clients connect. */
  readonly onBridge?: (bridge: RunningBridge) => void;
  /** Each decision-ledger line as written (the run's display verifies them; never throw). */
  readonly onLedgerLine?: (line: string) => void;
  /** Weapon-assignment doctrine overriding the config's and the scenario's. */
  readonly doctrine?: 'expected-value' | 'earliest-impact';
  /** Firing doctrine overriding the config's and the scenario's. */
  readonly firing?: 'shoot-look-shoot' | 'salvo';
  /** The scenario itself (a node's share of a joint scenario); default: loaded from the file. */
  readonly scenario?: Scenario;
  /** Virtual time: run on this clock (shared by the nodes of a joint run); default a new one. */
  readonly clock?: VirtualClock;
  /** Further source ids the core takes track measurements from (a joint node's partner feeds). */
  readonly extraRadarIds?: readonly string[];
}

/** What the progress line shows. */
export interface RunProgress {
  readonly simulatedS: number;
  readonly durationS: number;
  readonly tracks: number;
  readonly engagements: number;
  readonly intercepts: number;
  readonly weaponsControlStatus: string;
  /** Launchers ready to fire, of all. */
  readonly launchersReady: number;
  readonly launchers: number;
  /** Why each launcher not ready is not ready (its first failing condition), e.g. `launcher-2 time-sync-out-of-bound`. */
  readonly notReady: readonly string[];
}

/** The result of a run. */
export interface RunResult {
  readonly summary: RunSummary;
  readonly loopMetrics: TickLoopMetrics | undefined;
  readonly recordFile: string | undefined;
  readonly truthFile: string | undefined;
  readonly scenario: Scenario;
  /** The scenario file that ran. */
  readonly scenarioFile: string;
  readonly controlConfig: ControlConfig;
  readonly interrupted: boolean;
  /** Each driver's link counters at the end of the run. */
  readonly linkCounters: Record<string, unknown>;
  /** Host time of truth `tUs` 0 (0 in virtual time). */
  readonly truthEpochHostUs: number;
  /** The picture-quality series (GOSPA and SIAP per sampled instant); empty without truth. */
  readonly pictureQualitySeries: readonly PictureQualityPoint[];
  /** The decision ledger written, if any. */
  readonly ledger: LedgerSummary | undefined;
}

/**
 * A bench run set up and started, its clock not yet driven: the caller advances the clock to
 * `endUs` (or stops early) and then calls `finish`. {@link runBench} is this plus its own clock
 * loop; a joint run starts several on one shared VirtualClock and drives them in lockstep.
 */
export interface BenchRun {
  readonly clock: Clock;
  /** Clock time the run started at, and the scenario's end. */
  readonly startUs: number;
  readonly endUs: number;
  readonly durationS: number;
  readonly scenario: Scenario;
  readonly controlConfig: ControlConfig;
  readonly session: HilSession;
  /** The in-process simulator's world, if any. */
  readonly world?: World | undefined;
  /** Host time of truth `tUs` 0. */
  readonly truthEpochHostUs: number;
  /** Resolves when the user asks to stop or the run file fails. */
  readonly stopRequest: Promise<void>;
  /** Resolves when the simulated scenario ended on its own. */
  readonly ended: Promise<void>;
  /** Call `onProgress` with the latest picture. */
  report(): void;
  /** Fetch the tick loop's timing figures for the bridge's metrics (real time). */
  refreshLoopTiming(): void;
  /** Stop everything (SAFE to the launchers, on the clock), close the outputs, summarise. */
  finish(interrupted: boolean): Promise<RunResult>;
}
