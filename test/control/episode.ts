/**
 * Random input episodes for the property tests: a fast-check arbitrary of per-tick actions, and a
 * runner that turns them into core inputs — reacting to the core's FIREs with outcomes, as a
 * launcher would — and records every input and output per tick.
 */
import fc from 'fast-check';
import {
  createControlState,
  step,
  makeControlConfig,
  type ControlCommand,
  type ControlConfig,
  type ControlEvent,
  type ControlInput,
  type FireOutcome,
  type IffClass,
  type LauncherState,
  type OperatorCommand,
  type TrackDropReason,
} from '../../src/control/index.js';
import { G, launcherConfig, propagate, type Truth } from './fixtures.js';

export const EPISODE_TICK_US = 10_000;

/**
 * The episodes' core config. `salvo`: doctrine `firing: salvo` and one asset wide enough that
 * the hostiles already sit over it (closest approach now: no second look ever fits), so every
 * engaged threat to it is offered a second round.
 */
export function episodeConfig(salvo = false): ControlConfig {
  return makeControlConfig({
    ...(salvo
      ? {
          doctrine: { firing: 'salvo' as const },
          defendedAssets: [
            {
              id: 'wide',
              area: { kind: 'circle' as const, eastM: 20_000, northM: 2_000, radiusM: 40_000 },
              minAltitudeM: 0,
              maxAltitudeM: 20_000,
              value: 1,
              keepOut: [],
            },
          ],
        }
      : {}),
    tickPeriodUs: EPISODE_TICK_US,
    radars: [{ id: 'R1' }, { id: 'R2' }],
    launchers: [
      launcherConfig('L1', 0, 0, { slewRateDegPerS: 360, rounds: 3 }),
      launcherConfig('L2', 5_000, 0, { slewRateDegPerS: 360, rounds: 3 }),
    ],
    tracking: { maxTracks: 64 },
    engagement: { maxEngagements: 64, fireReportTimeoutUs: 200_000, killAssessmentDelayUs: 300_000 },
  });
}

export const TARGETS: readonly { truth: Truth; iff: IffClass }[] = [
  { truth: { eastM: 20_000, northM: 2_000, upM: 5_000, eastMps: -250, northMps: 0, upMps: 0 }, iff: 'hostile' },
  { truth: { eastM: 20_000, northM: 2_300, upM: 5_000, eastMps: -250, northMps: 0, upMps: 0 }, iff: 'friendly' },
  {
    truth: { eastM: 25_000, northM: -3_000, upM: 9_000, eastMps: -500, northMps: 50, upMps: 100, accelUpMps2: -G },
    iff: 'unknown',
  },
  { truth: { eastM: -15_000, northM: 15_000, upM: 3_000, eastMps: 300, northMps: 0, upMps: 0 }, iff: 'hostile' },
];

export type Action =
  | { a: 'meas'; radar: number; target: number; iff: IffClass | null; jitterM: number; ageUs: number; quality: number }
  | { a: 'drop'; radar: number; target: number; reason: TrackDropReason }
  | {
      a: 'status';
      launcher: number;
      active: boolean;
      linkFresh: boolean;
      syncUs: number | null;
      state: LauncherState;
      rounds: number;
      watchdogTripped: boolean;
    }
  | { a: 'op'; command: OperatorCommand; operators: number }
  | { a: 'outcome'; which: number; result: FireOutcome['result']; rounds: number; nak: 'late' | 'busy' }
  | { a: 'stray-outcome'; launcher: number; fireCommandId: number };

export interface Tick {
  actions: Action[];
  /** Permutation key for the order in which the tick's inputs are handed to the core. */
  shuffle: number;
}

const iff = fc.constantFrom<IffClass>('unknown', 'friendly', 'hostile');
const good = <T>(goodValue: T, bad: fc.Arbitrary<T>, pGoodOf10 = 9): fc.Arbitrary<T> =>
  fc.integer({ min: 1, max: 10 }).chain((n) => (n <= pGoodOf10 ? fc.constant(goodValue) : bad));

const actionArb: fc.Arbitrary<Action> = fc.oneof(
  {
    weight: 10,
    arbitrary: fc.record({
      a: fc.constant('meas' as const),
      radar: fc.integer({ min: 0, max: 1 }),
      target: fc.integer({ min: 0, max: TARGETS.length - 1 }),
      iff: good<IffClass | null>(null, iff, 8),
      jitterM: fc.integer({ min: -20, max: 20 }),
      ageUs: good(2_000, fc.constantFrom(0, 9_000, 600_000), 8),
      quality: good(90, fc.integer({ min: 0, max: 100 }), 8),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      a: fc.constant('drop' as const),
      radar: fc.integer({ min: 0, max: 1 }),
      target: fc.integer({ min: 0, max: TARGETS.length - 1 }),
      reason: fc.constantFrom<TrackDropReason>('lost', 'out-of-coverage', 'destroyed', 'merged', 'mode-change'),
    }),
  },
  {
    weight: 6,
    arbitrary: fc.record({
      a: fc.constant('status' as const),
      launcher: fc.integer({ min: 0, max: 1 }),
      active: good(true, fc.constant(false)),
      linkFresh: good(true, fc.constant(false)),
      syncUs: good<number | null>(50, fc.constantFrom<number | null>(null, 150, 200, 201, 5_000)),
      state: good<LauncherState>('armed', fc.constantFrom<LauncherState>('safe', 'arming', 'firing', 'fault'), 8),
      rounds: good(3, fc.integer({ min: 0, max: 3 })),
      watchdogTripped: good(false, fc.constant(true)),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      a: fc.constant('op' as const),
      operators: fc.integer({ min: 0, max: 2 }),
      command: fc.oneof(
        {
          weight: 4,
          arbitrary: fc.record({
            verb: fc.constant('set-weapons-control' as const),
            status: fc.constantFrom('hold' as const, 'tight' as const, 'free' as const, 'free' as const),
          }),
        },
        {
          weight: 1,
          arbitrary: fc.record({ verb: fc.constant('engage-track' as const), trackId: fc.integer({ min: 1, max: 8 }) }),
        },
        {
          weight: 1,
          arbitrary: fc.record({ verb: fc.constant('hold-fire' as const), trackId: fc.integer({ min: 1, max: 8 }) }),
        },
        {
          weight: 1,
          arbitrary: fc.record({ verb: fc.constant('cease-fire' as const), trackId: fc.integer({ min: 1, max: 8 }) }),
        },
        {
          weight: 1,
          arbitrary: fc.record({
            verb: fc.constant('abort-engagement' as const),
            engagementId: fc.integer({ min: 1, max: 8 }),
          }),
        },
      ),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      a: fc.constant('outcome' as const),
      which: fc.nat(8),
      result: fc.constantFrom<FireOutcome['result']>(
        'launched',
        'launched',
        'launched',
        'refused',
        'aborted',
        'misfire',
        'link-lost',
      ),
      rounds: fc.integer({ min: 0, max: 3 }),
      nak: fc.constantFrom('late' as const, 'busy' as const),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      a: fc.constant('stray-outcome' as const),
      launcher: fc.integer({ min: 0, max: 1 }),
      fireCommandId: fc.integer({ min: 1, max: 50 }),
    }),
  },
);

export const episodeArb: fc.Arbitrary<Tick[]> = fc.array(
  fc.record({ actions: fc.array(actionArb, { maxLength: 4 }), shuffle: fc.nat() }),
  { minLength: 50, maxLength: 300 },
);

/** Everything one tick saw and produced. */
export interface TickRecord {
  nowUs: number;
  inputs: ControlInput[];
  commands: ControlCommand[];
  events: ControlEvent[];
}

function permute<T>(items: T[], key: number): T[] {
  const out = [...items];
  let s = key >>> 0;
  for (let i = out.length - 1; i > 0; i--) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/**
 * Runs an episode on a fresh core. The launcher side answers the core's FIREs (by index into the
 * still-unanswered ones) as the actions say. `shuffleInputs` hands each tick's inputs in a random
 * order (the core must sort them). `salvo`: the core of `episodeConfig(true)`.
 */
export function runEpisode(ticks: readonly Tick[], shuffleInputs = false, salvo = false): TickRecord[] {
  const config = episodeConfig(salvo);
  const state = createControlState(config);
  const seq = new Map<string, number>();
  const next = (s: string) => {
    const n = (seq.get(s) ?? 0) + 1;
    seq.set(s, n);
    return n;
  };
  const unanswered: { launcherId: string; commandId: number; launchAtUs: number }[] = [];
  const records: TickRecord[] = [];
  ticks.forEach((tick, k) => {
    const now = 100_000 + k * EPISODE_TICK_US;
    const inputs: ControlInput[] = [];
    for (const act of tick.actions) {
      switch (act.a) {
        case 'meas': {
          const radarId = config.radars[act.radar]!.id;
          const target = TARGETS[act.target]!;
          const at = now - act.ageUs;
          const p = propagate(target.truth, at);
          inputs.push({
            kind: 'track-measurement',
            receivedAtUs: now,
            sourceId: radarId,
            seq: next(radarId),
            radarId,
            radarTrackId: 10 * act.radar + act.target,
            measurementTimeUs: at,
            eastM: p.eastM + act.jitterM,
            northM: p.northM,
            upM: p.upM,
            eastMps: p.eastMps,
            northMps: p.northMps,
            upMps: p.upMps,
            positionSigmaM: 10,
            velocitySigmaMps: 2,
            quality: act.quality,
            iff: act.iff ?? target.iff,
          });
          break;
        }
        case 'drop': {
          const radarId = config.radars[act.radar]!.id;
          inputs.push({
            kind: 'track-drop',
            receivedAtUs: now,
            sourceId: radarId,
            seq: next(radarId),
            radarId,
            radarTrackId: 10 * act.radar + act.target,
            dropTimeUs: now,
            reason: act.reason,
          });
          break;
        }
        case 'status': {
          const launcherId = config.launchers[act.launcher]!.id;
          inputs.push({
            kind: 'launcher-status',
            receivedAtUs: now,
            sourceId: launcherId,
            seq: next(launcherId),
            launcherId,
            statusTimeUs: now,
            lifecycleActive: act.active,
            linkFresh: act.linkFresh,
            timeSyncUncertaintyUs: act.syncUs,
            state: act.state,
            roundsReady: act.rounds,
            watchdog: act.watchdogTripped ? 'tripped' : 'ok',
            azimuthDeg: 45,
            elevationDeg: 10,
          });
          break;
        }
        case 'op': {
          const operatorIds = ['op-a', 'op-b'].slice(0, act.operators);
          const s = next('operator');
          inputs.push({
            kind: 'operator-command',
            receivedAtUs: now,
            sourceId: 'operator',
            seq: s,
            requestId: `r${s}`,
            operatorIds,
            command: act.command,
          });
          break;
        }
        case 'outcome': {
          if (unanswered.length === 0) break;
          const [fire] = unanswered.splice(act.which % unanswered.length, 1);
          const outcome: FireOutcome =
            act.result === 'launched'
              ? { result: 'launched', actualLaunchHostUs: fire!.launchAtUs, roundsRemaining: act.rounds }
              : act.result === 'refused'
                ? { result: 'refused', nakReason: act.nak }
                : act.result === 'link-lost'
                  ? { result: 'link-lost' }
                  : { result: act.result, roundsRemaining: act.rounds };
          inputs.push({
            kind: 'fire-outcome',
            receivedAtUs: now,
            sourceId: fire!.launcherId,
            seq: next(fire!.launcherId),
            launcherId: fire!.launcherId,
            fireCommandId: fire!.commandId,
            outcome,
          });
          break;
        }
        case 'stray-outcome': {
          const launcherId = config.launchers[act.launcher]!.id;
          inputs.push({
            kind: 'fire-outcome',
            receivedAtUs: now,
            sourceId: launcherId,
            seq: next(launcherId),
            launcherId,
            fireCommandId: act.fireCommandId,
            outcome: { result: 'aborted', roundsRemaining: 1 },
          });
          break;
        }
      }
    }
    const handed = shuffleInputs ? permute(inputs, tick.shuffle) : inputs;
    const out = step(state, handed, now);
    for (const c of out.commands) {
      if (c.kind === 'fire')
        unanswered.push({ launcherId: c.launcherId, commandId: c.commandId, launchAtUs: c.launchAtHostUs });
    }
    records.push({ nowUs: now, inputs, commands: [...out.commands], events: [...out.events] });
  });
  return records;
}
