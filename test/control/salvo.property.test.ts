/**
 * Salvo firing (doctrine `firing: salvo`) over random small worlds (fast-check), every tick:
 *
 *  - no track ever gets more than `maxRoundsPerThreat` engagements, nor more than two at once;
 *  - no engagement on a track of a friendly target (truth) or a track the core holds friendly;
 *  - a second engagement on a track while another holds it (a salvo round) only when no second
 *    look fits: an independent solve from every launcher with a round to spare, from where it
 *    points, launching after the first round's intercept plus the kill assessment delay, finds
 *    no intercept before the threat's predicted impact (or closest approach to its asset).
 *
 * Then, deterministic: one threat on a short time line gets two rounds under salvo and one under
 * shoot-look-shoot; with time for a look, salvo fires one round too.
 */
import fc from 'fast-check';
import t from 'tap';
import {
  createControlState,
  InterceptSolution,
  InterceptSolver,
  makeControlConfig,
  step,
  TargetKinematics,
  type ControlConfig,
  type EngagementEvent,
  type IffClass,
} from '../../src/control/index.js';
import { radarIndexOfKey } from '../../src/control/radar-link-index.js';
import { IFF_FRIENDLY } from '../../src/control/track-table.js';
import { G, launcherConfig, operator } from './fixtures.js';
import { MiniWorld, runWorld, type WorldTarget } from './mini-world.js';

const TICK_US = 10_000;

interface WorldSpec {
  launchers: { eastM: number; northM: number; rounds: number }[];
  targets: { bearingDeg: number; rangeM: number; upM: number; speedMps: number; ballistic: boolean; iff: IffClass }[];
  killAssessmentDelayUs: number;
  maxRoundsPerThreat: number;
}

const worldArb: fc.Arbitrary<WorldSpec> = fc.record({
  launchers: fc.array(
    fc.record({
      eastM: fc.integer({ min: -6_000, max: 6_000 }),
      northM: fc.integer({ min: -6_000, max: 6_000 }),
      rounds: fc.integer({ min: 1, max: 4 }),
    }),
    { minLength: 1, maxLength: 3 },
  ),
  targets: fc.array(
    fc.record({
      bearingDeg: fc.integer({ min: 0, max: 359 }),
      rangeM: fc.integer({ min: 8_000, max: 30_000 }),
      upM: fc.integer({ min: 300, max: 9_000 }),
      speedMps: fc.integer({ min: 150, max: 1_200 }),
      ballistic: fc.boolean(),
      iff: fc.constantFrom<IffClass>('hostile', 'hostile', 'friendly', 'unknown'),
    }),
    { minLength: 1, maxLength: 4 },
  ),
  killAssessmentDelayUs: fc.constantFrom(300_000, 2_000_000, 8_000_000, 30_000_000),
  maxRoundsPerThreat: fc.integer({ min: 1, max: 4 }),
});

function configOf(spec: WorldSpec, firing: 'salvo' | 'shoot-look-shoot' = 'salvo'): ControlConfig {
  return makeControlConfig({
    tickPeriodUs: TICK_US,
    radars: [{ id: 'R1' }],
    launchers: spec.launchers.map((l, i) => launcherConfig(`L${i + 1}`, l.eastM, l.northM, { rounds: l.rounds })),
    defendedAssets: [
      {
        id: 'city',
        area: { kind: 'circle', eastM: 0, northM: 0, radiusM: 4_000 },
        minAltitudeM: 0,
        maxAltitudeM: 10_000,
        value: 10,
        keepOut: [],
      },
    ],
    doctrine: { firing, maxRoundsPerThreat: spec.maxRoundsPerThreat },
    tracking: { maxTracks: 32 },
    engagement: { maxEngagements: 32, killAssessmentDelayUs: spec.killAssessmentDelayUs },
  });
}

/** Targets flying at the defended point, ballistic or straight down a slope, to land about on it. */
function targetsOf(spec: WorldSpec): WorldTarget[] {
  return spec.targets.map((x) => {
    const b = (x.bearingDeg * Math.PI) / 180;
    const e = x.rangeM * Math.sin(b);
    const n = x.rangeM * Math.cos(b);
    if (x.ballistic) {
      // Horizontal speed x.speedMps; flight time to the origin; vertical speed to land then.
      const tau = x.rangeM / x.speedMps;
      const upMps = (0.5 * G * tau * tau - x.upM) / tau;
      return {
        truth: {
          eastM: e,
          northM: n,
          upM: x.upM,
          eastMps: (-e / x.rangeM) * x.speedMps,
          northMps: (-n / x.rangeM) * x.speedMps,
          upMps,
          accelUpMps2: -G,
        },
        iff: x.iff,
      };
    }
    return {
      truth: {
        eastM: e,
        northM: n,
        upM: x.upM,
        eastMps: (-e / x.rangeM) * x.speedMps,
        northMps: (-n / x.rangeM) * x.speedMps,
        upMps: (-x.upM * x.speedMps) / x.rangeM,
      },
      iff: x.iff,
    };
  });
}

interface Coverage {
  rounds: number;
  salvoRounds: number;
  lookChecks: number;
}

/** Runs one world under salvo; returns its violations. */
function runChecked(spec: WorldSpec, coverage: Coverage, untilUs = 60_000_000): string[] {
  const config = configOf(spec);
  const state = createControlState(config);
  const world = new MiniWorld(config, targetsOf(spec));
  const table = state.tracker.table;
  const solver = new InterceptSolver({
    commandLeadUs: config.engagement.commandLeadUs,
    planningHorizonUs: config.engagement.planningHorizonUs,
    minInterceptAltitudeM: config.engagement.minInterceptAltitudeM,
    gridSteps: config.solver.gridSteps,
    refineIterations: config.solver.refineIterations,
  });
  const kin = new TargetKinematics();
  const solution = new InterceptSolution();
  const planned = new Map<number, number>();
  const violations: string[] = [];
  runWorld(
    (inputs, now) => {
      const out = step(state, inputs, now);
      const v = (msg: string) => violations.push(`t=${now}: ${msg}`);
      const records = state.engagements.records;
      const plannedNow = out.events.filter(
        (e): e is EngagementEvent => e.kind === 'engagement' && e.transition === 'planned',
      );
      // Salvo rounds of this tick: their launchers were not yet pending when the look was checked.
      const salvoSlotsNow = new Set<number>();
      for (const ev of plannedNow) {
        const e = state.engagements.findById(ev.engagementId);
        const slot = records[e]!.trackSlot;
        if (table.salvoEngagementSlot[slot] === e) salvoSlotsNow.add(e);
      }
      for (const ev of plannedNow) {
        coverage.rounds++;
        const n = (planned.get(ev.trackId) ?? 0) + 1;
        planned.set(ev.trackId, n);
        if (n > spec.maxRoundsPerThreat) v(`track ${ev.trackId}: ${n} rounds > ${spec.maxRoundsPerThreat}`);
        const e = state.engagements.findById(ev.engagementId);
        const slot = records[e]!.trackSlot;
        if (table.iff[slot] === IFF_FRIENDLY) v(`track ${ev.trackId} held friendly engaged`);
        for (let k = 0; k < table.linkCount[slot]!; k++) {
          const key = table.linkKey[slot * table.maxLinks + k]!;
          const target = (key - radarIndexOfKey(key) * 2 ** 32) % 100;
          if (world.targets[target]!.iff === 'friendly') v(`track ${ev.trackId} of a friendly target engaged`);
        }
        if (!salvoSlotsNow.has(e)) continue;
        coverage.salvoRounds++;
        const first = records[table.engagementSlot[slot]!]!;
        const lookAtUs = first.interceptAtHostUs + config.engagement.killAssessmentDelayUs;
        const lastChanceUs = state.threats.impactAtUs[slot]!;
        kin.loadTrack(table, slot, config.tracking.gravityMps2);
        for (const l of state.launchers.records) {
          const pending = l.pendingSlot >= 0 && !salvoSlotsNow.has(l.pendingSlot) ? 1 : 0;
          if (l.roundsAvailable - pending <= 0) continue;
          coverage.lookChecks++;
          if (solver.solve(kin, l.config, l, lookAtUs, solution) && solution.interceptAtHostUs <= lastChanceUs)
            v(
              `salvo on track ${ev.trackId} although ${l.config.id} could look again (launch ${solution.launchAtHostUs})`,
            );
        }
      }
      let held = 0;
      for (let i = 0; i < table.activeCount; i++) {
        const s = table.active[i]!;
        held = (table.engagementSlot[s]! >= 0 ? 1 : 0) + (table.salvoEngagementSlot[s]! >= 0 ? 1 : 0);
        if (table.engagementSlot[s]! < 0 && table.salvoEngagementSlot[s]! >= 0) v(`track slot ${s}: salvo slot alone`);
        if (held > 2) v('more than two engagements on a track');
      }
      return out;
    },
    world,
    {
      untilUs,
      tickUs: TICK_US,
      extra: (now) => (now === 1_000_000 ? [operator(now, { verb: 'set-weapons-control', status: 'free' })] : []),
    },
  );
  return violations;
}

t.test('salvo: within the round budget, never on a friendly, only when no second look fits', (t) => {
  const coverage: Coverage = { rounds: 0, salvoRounds: 0, lookChecks: 0 };
  fc.assert(
    fc.property(worldArb, (spec) => {
      const violations = runChecked(spec, coverage);
      if (violations.length > 0) throw new Error(violations.slice(0, 5).join('\n'));
    }),
    { numRuns: 80, seed: 33 },
  );
  // Not vacuous: the random worlds do plan rounds and salvos.
  t.ok(coverage.rounds > 40, `rounds planned: ${coverage.rounds}`);
  t.ok(coverage.salvoRounds > 5, `salvo rounds: ${coverage.salvoRounds}`);
  t.ok(coverage.lookChecks > 5, `second looks checked: ${coverage.lookChecks}`);
  t.end();
});

/** One fast missile, 15 km out, at the city; two launchers. Rounds planned against it. */
function oneThreat(firing: 'salvo' | 'shoot-look-shoot', killAssessmentDelayUs: number) {
  const spec: WorldSpec = {
    launchers: [
      { eastM: 1_000, northM: 1_000, rounds: 4 },
      { eastM: -1_000, northM: -1_000, rounds: 4 },
    ],
    targets: [{ bearingDeg: 90, rangeM: 15_000, upM: 2_000, speedMps: 900, ballistic: false, iff: 'hostile' }],
    killAssessmentDelayUs,
    maxRoundsPerThreat: 4,
  };
  const config = configOf(spec, firing);
  const state = createControlState(config);
  const world = new MiniWorld(config, targetsOf(spec), { lethalRadiusM: 20 });
  const log = runWorld((i, n) => step(state, i, n), world, {
    untilUs: 20_000_000,
    tickUs: TICK_US,
    extra: (now) => (now === 1_000_000 ? [operator(now, { verb: 'set-weapons-control', status: 'free' })] : []),
  });
  const planned = log.events.filter((e): e is EngagementEvent => e.kind === 'engagement' && e.transition === 'planned');
  return { planned, fires: log.commands.filter((c) => c.kind === 'fire'), world };
}

t.test('a short time line: salvo fires two rounds from two launchers, shoot-look-shoot one', async (t) => {
  // A kill assessment delay longer than the threat's remaining flight: no look can fit.
  const salvo = oneThreat('salvo', 15_000_000);
  t.equal(salvo.planned.length, 2, 'two rounds planned');
  t.equal(new Set(salvo.planned.map((e) => e.launcherId)).size, 2, 'from two launchers');
  t.equal(salvo.planned[0]!.atUs, salvo.planned[1]!.atUs, 'in the same tick');
  t.equal(salvo.fires.length, 2, 'both FIREs sent');
  t.ok(salvo.world.killed.has(0), 'the threat is killed');
  const sls = oneThreat('shoot-look-shoot', 15_000_000);
  t.equal(sls.planned.length, 1, 'shoot-look-shoot: one round');
  // A short assessment delay leaves time for a look: salvo shoots once, like shoot-look-shoot.
  const look = oneThreat('salvo', 300_000);
  t.equal(look.planned.length, 1, 'salvo with time for a look: one round');
  t.ok(look.world.killed.has(0));
});

t.test('salvo runs are deterministic: same world, same commands', async (t) => {
  const a = oneThreat('salvo', 15_000_000);
  const b = oneThreat('salvo', 15_000_000);
  t.same(
    b.fires.map((c) => JSON.stringify(c)),
    a.fires.map((c) => JSON.stringify(c)),
  );
});
