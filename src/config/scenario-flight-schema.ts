import { z } from 'zod';

/**
 * What a scenario target does beyond a straight line or a drag-free arc: drag, a boost phase
 * and manoeuvres. All optional: a target without them flies exactly as before (closed form).
 * A target with any of them is integrated by the simulator every {@link FLIGHT_STEP_MS} ms.
 */

/** Integration step of targets with drag, boost or manoeuvres (ms). */
export const FLIGHT_STEP_MS = 50;
/** Most integrated flight per scenario, seconds summed over targets (bounds memory: 80 bytes a step). */
export const MAX_INTEGRATED_FLIGHT_S = 50_000;
/** Most manoeuvres per target. */
export const MAX_MANOEUVRES = 50;

const number = (what: string) =>
  z.number({ error: (issue) => (issue.input === undefined ? `required: ${what}` : `expected ${what}`) });
const bounded = (min: number, max: number, unit: string) =>
  number(`a number in [${min}, ${max}] ${unit}`)
    .min(min, `expected at least ${min} ${unit}`)
    .max(max, `expected at most ${max} ${unit}`);
const atS = () => bounded(0, 86_400, 's');

/** A horizontal turn at a constant rate: positive turns right (clockwise seen from above). */
export const turnSchema = z.strictObject({
  type: z.literal('turn'),
  atS: atS(),
  durationS: bounded(0.05, 86_400, 's'),
  rateDegPerS: bounded(-90, 90, 'deg/s'),
});

/**
 * Weaving: a horizontal acceleration across the flight path, accelerationG·cos(2π·(t − atS)/periodS)
 * (positive to the right), for durationS: the heading swings symmetrically about the course
 * (±accelerationG·g·periodS/(2π·speed) rad), the path up to 2·accelerationG·g·(periodS/2π)² to
 * its right. End it after whole periods to keep the course.
 */
export const weaveSchema = z.strictObject({
  type: z.literal('weave'),
  atS: atS(),
  durationS: bounded(0.05, 86_400, 's'),
  accelerationG: bounded(0.01, 50, 'g'),
  periodS: bounded(0.5, 600, 's'),
});

/** Terminal dive: pitch down at pitchRateDegPerS to angleDeg below the horizon and hold it to the ground. */
export const diveSchema = z.strictObject({
  type: z.literal('dive'),
  atS: atS(),
  angleDeg: bounded(1, 90, 'deg'),
  pitchRateDegPerS: bounded(0.1, 180, 'deg/s'),
});

/** Pop-up: pitch up to angleDeg, climb by climbM, then pitch back to level flight. */
export const popUpSchema = z.strictObject({
  type: z.literal('pop-up'),
  atS: atS(),
  climbM: bounded(1, 50_000, 'm'),
  angleDeg: bounded(1, 80, 'deg'),
  pitchRateDegPerS: bounded(0.1, 180, 'deg/s'),
});

export const manoeuvreSchema = z.discriminatedUnion('type', [turnSchema, weaveSchema, diveSchema, popUpSchema], {
  error: 'expected a manoeuvre of type turn, weave, dive or pop-up',
});

/** Thrust along the velocity (a gravity turn) for burnS from the target's start. */
export const boostSchema = z.strictObject({
  burnS: bounded(0.1, 600, 's'),
  accelerationMps2: bounded(0.1, 1000, 'm/s2'),
});

/** The flight fields a target gains (merged into the target schema). */
export const targetFlightFields = {
  /**
   * Ballistic coefficient m/(Cd·A) in kg/m² (ballistic targets only): drag −ρ(h)·|v|·v/(2β) in
   * an exponential atmosphere ρ(h) = 1.225·exp(−h/7200 m) kg/m³. Absent: no drag.
   */
  ballisticCoefficientKgPerM2: bounded(1, 1e6, 'kg/m2').optional(),
  /** A boost phase (ballistic targets launched inside the scenario). */
  boost: boostSchema.optional(),
  /** Timed manoeuvres (scenario seconds); overlapping turns and weaves add up. */
  manoeuvres: z.array(manoeuvreSchema).max(MAX_MANOEUVRES, `expected at most ${MAX_MANOEUVRES} manoeuvres`).optional(),
};

export type Manoeuvre = z.output<typeof manoeuvreSchema>;
export type Boost = z.output<typeof boostSchema>;

interface FlightTarget {
  readonly kind: string;
  readonly startS: number;
  readonly velocity: { eastMps: number; northMps: number; upMps: number };
  readonly ballisticCoefficientKgPerM2?: number | undefined;
  readonly boost?: Boost | undefined;
  readonly manoeuvres?: readonly Manoeuvre[] | undefined;
}

/** Whether a target needs integrating (drag, boost or a manoeuvre) rather than its closed form. */
export function isIntegratedFlight(target: FlightTarget): boolean {
  return (
    target.ballisticCoefficientKgPerM2 !== undefined ||
    target.boost !== undefined ||
    (target.manoeuvres !== undefined && target.manoeuvres.length > 0)
  );
}

/** Field-relation checks of one target's flight fields (added to the target schema's refinement). */
export function targetFlightIssues(target: FlightTarget): { path: (string | number)[]; message: string }[] {
  const issues: { path: (string | number)[]; message: string }[] = [];
  const ballistic = target.kind === 'ballistic';
  if (!ballistic && target.ballisticCoefficientKgPerM2 !== undefined) {
    issues.push({
      path: ['ballisticCoefficientKgPerM2'],
      message: 'drag applies to ballistic targets only (a constant-velocity target holds its speed)',
    });
  }
  if (!ballistic && target.boost !== undefined) {
    issues.push({ path: ['boost'], message: 'a boost phase applies to ballistic targets only' });
  }
  const v = target.velocity;
  if (target.boost !== undefined && v.eastMps === 0 && v.northMps === 0 && v.upMps === 0) {
    issues.push({ path: ['velocity'], message: 'a boosted target needs a non-zero velocity: thrust acts along it' });
  }
  (target.manoeuvres ?? []).forEach((m, i) => {
    if (m.atS < target.startS) {
      issues.push({ path: ['manoeuvres', i, 'atS'], message: `expected a time at or after the target's startS` });
    }
    if (ballistic && (m.type === 'dive' || m.type === 'pop-up')) {
      issues.push({
        path: ['manoeuvres', i, 'type'],
        message: `${m.type} applies to constant-velocity targets only (a ballistic target falls under gravity)`,
      });
    }
  });
  if (v.eastMps === 0 && v.northMps === 0 && (target.manoeuvres ?? []).some((m) => m.type !== 'dive')) {
    issues.push({
      path: ['manoeuvres'],
      message: 'turns, weaves and pop-ups need a horizontal velocity to manoeuvre across',
    });
  }
  return issues;
}
