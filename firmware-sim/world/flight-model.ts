import { FLIGHT_STEP_MS, type Manoeuvre } from '../../src/config/scenario-flight-schema.js';
import type { ScenarioTarget } from '../../src/config/scenario-schema.js';
import { GRAVITY_MPS2 } from './target-motion.js';
import { SEGMENT_STRIDE, Trajectory } from './trajectory.js';

/** Sea-level air density of the exponential atmosphere, kg/m³. */
export const SEA_LEVEL_DENSITY_KG_PER_M3 = 1.225;
/** Scale height of the exponential atmosphere, m. */
export const SCALE_HEIGHT_M = 7200;
/** Longest integrated flight when the caller gives no horizon, s. */
export const DEFAULT_FLIGHT_HORIZON_S = 3600;
const DEG = Math.PI / 180;

/** Air density at altitude `upM` (ground level below 0). */
export function airDensityKgPerM3(upM: number): number {
  return SEA_LEVEL_DENSITY_KG_PER_M3 * Math.exp(-Math.max(0, upM) / SCALE_HEIGHT_M);
}

interface PitchState {
  /** Pop-up: altitude when it began (NaN before), and whether the climb is over / it is done. */
  startUpM: number;
  climbed: boolean;
  done: boolean;
}

/**
 * The forces on one target as an acceleration of its state, in scenario seconds: gravity
 * (ballistic), drag −ρ(h)·|v|·v/(2β), thrust along v during the boost, and the manoeuvres'
 * accelerations: turns ω×v and weaves across the horizontal velocity, dives and pop-ups as a
 * pitch rate toward a flight-path angle. Pop-up phases change only between steps
 * ({@link beginStep}), so one step's evaluations agree.
 */
class FlightForces {
  private readonly pitch: PitchState[];
  private readonly betaKgPerM2: number | undefined;
  private readonly burnEndS: number;
  private readonly manoeuvres: readonly Manoeuvre[];
  /** The vertical manoeuvre in force this step (index), or -1. */
  private vertical = -1;

  constructor(private readonly spec: ScenarioTarget) {
    this.betaKgPerM2 = spec.ballisticCoefficientKgPerM2;
    this.burnEndS = spec.startS + (spec.boost?.burnS ?? 0);
    this.manoeuvres = spec.manoeuvres ?? [];
    this.pitch = this.manoeuvres.map(() => ({ startUpM: Number.NaN, climbed: false, done: false }));
  }

  /** Update manoeuvre phases from the state at the start of a step at scenario time `tS`. */
  beginStep(tS: number, upM: number, v: Float64Array): void {
    this.vertical = -1;
    let latest = -Infinity;
    this.manoeuvres.forEach((m, i) => {
      if ((m.type !== 'dive' && m.type !== 'pop-up') || tS < m.atS) return;
      const state = this.pitch[i]!;
      if (m.type === 'pop-up') {
        if (Number.isNaN(state.startUpM)) state.startUpM = upM;
        if (!state.climbed && upM >= state.startUpM + m.climbM) state.climbed = true;
        if (state.climbed && Math.abs(flightPathAngle(v)) < 1e-4) state.done = true;
        if (state.done) return;
      }
      if (m.atS >= latest) {
        latest = m.atS;
        this.vertical = i;
      }
    });
  }

  /** Acceleration at scenario time `tS` for position p and velocity v, into `out`. */
  accelerationInto(tS: number, p: Float64Array, v: Float64Array, stepS: number, out: Float64Array): void {
    const spec = this.spec;
    let ax = 0;
    let ay = 0;
    let az = spec.kind === 'ballistic' ? -GRAVITY_MPS2 : 0;
    const speed = Math.sqrt(v[0]! * v[0]! + v[1]! * v[1]! + v[2]! * v[2]!);
    if (this.betaKgPerM2 !== undefined && speed > 0) {
      const k = (airDensityKgPerM3(p[2]!) * speed) / (2 * this.betaKgPerM2);
      ax -= k * v[0]!;
      ay -= k * v[1]!;
      az -= k * v[2]!;
    }
    if (spec.boost !== undefined && tS < this.burnEndS && speed > 0) {
      const k = spec.boost.accelerationMps2 / speed;
      ax += k * v[0]!;
      ay += k * v[1]!;
      az += k * v[2]!;
    }
    const hSpeed = Math.sqrt(v[0]! * v[0]! + v[1]! * v[1]!);
    for (const m of this.manoeuvres) {
      if (tS < m.atS || hSpeed === 0) continue;
      if (m.type === 'turn' && tS < m.atS + m.durationS) {
        const omega = m.rateDegPerS * DEG;
        ax += omega * v[1]!;
        ay -= omega * v[0]!;
      } else if (m.type === 'weave' && tS < m.atS + m.durationS) {
        const lateral = m.accelerationG * GRAVITY_MPS2 * Math.cos((2 * Math.PI * (tS - m.atS)) / m.periodS);
        ax += (lateral * v[1]!) / hSpeed;
        ay -= (lateral * v[0]!) / hSpeed;
      }
    }
    if (this.vertical >= 0 && speed > 0) {
      const m = this.manoeuvres[this.vertical]!;
      let targetRad = 0;
      if (m.type === 'dive') targetRad = -m.angleDeg * DEG;
      else if (m.type === 'pop-up') targetRad = this.pitch[this.vertical]!.climbed ? 0 : m.angleDeg * DEG;
      const gamma = flightPathAngle(v);
      const error = targetRad - gamma;
      const maxRate = m.type === 'dive' || m.type === 'pop-up' ? m.pitchRateDegPerS * DEG : 0;
      const rate = Math.sign(error) * Math.min(maxRate, Math.abs(error) / stepS);
      // Rotate v in its vertical plane: the unit normal above v is (−sinγ·ĥ, cosγ).
      const sinG = Math.sin(gamma);
      const cosG = Math.cos(gamma);
      const hx = hSpeed > 0 ? v[0]! / hSpeed : 0;
      const hy = hSpeed > 0 ? v[1]! / hSpeed : 0;
      ax += speed * rate * -sinG * hx;
      ay += speed * rate * -sinG * hy;
      az += speed * rate * cosG;
    }
    out[0] = ax;
    out[1] = ay;
    out[2] = az;
  }
}

function flightPathAngle(v: Float64Array): number {
  return Math.atan2(v[2]!, Math.sqrt(v[0]! * v[0]! + v[1]! * v[1]!));
}

/**
 * Integrates a target with drag, boost or manoeuvres from its start (world time `startUs`) to
 * the ground or `horizonUs`, whichever is first, in steps of FLIGHT_STEP_MS: each step is one
 * constant-acceleration segment whose acceleration is the forces at the step's midpoint
 * (second-order), so position and velocity stay continuous. A constant-velocity target holds
 * its initial speed exactly at every step end (its thrust balances drag; manoeuvres only turn
 * it). Deterministic: the same spec gives the same bits.
 */
export function integrateFlight(spec: ScenarioTarget, startUs: number, horizonUs: number): Trajectory {
  const stepUs = FLIGHT_STEP_MS * 1000;
  const stepS = stepUs / 1e6;
  const endUs = Math.min(horizonUs, startUs + DEFAULT_FLIGHT_HORIZON_S * 1e6);
  const maxSteps = Math.max(1, Math.ceil((endUs - startUs) / stepUs));
  const data = new Float64Array(maxSteps * SEGMENT_STRIDE);
  const forces = new FlightForces(spec);
  const holdSpeed = spec.kind === 'constant-velocity';
  const p = Float64Array.of(spec.position.eastM, spec.position.northM, spec.position.upM);
  const v = Float64Array.of(spec.velocity.eastMps, spec.velocity.northMps, spec.velocity.upMps);
  const speed0 = Math.sqrt(v[0]! * v[0]! + v[1]! * v[1]! + v[2]! * v[2]!);
  const a1 = new Float64Array(3);
  const a = new Float64Array(3);
  const pm = new Float64Array(3);
  const vm = new Float64Array(3);
  let count = 0;
  for (let k = 0; k < maxSteps; k++) {
    const segStartUs = startUs + k * stepUs;
    const tS = spec.startS + k * stepS;
    forces.beginStep(tS, p[2]!, v);
    forces.accelerationInto(tS, p, v, stepS, a1);
    for (let i = 0; i < 3; i++) {
      pm[i] = p[i]! + 0.5 * stepS * v[i]!;
      vm[i] = v[i]! + 0.5 * stepS * a1[i]!;
    }
    forces.accelerationInto(tS + 0.5 * stepS, pm, vm, stepS, a);
    if (holdSpeed && speed0 > 0) {
      // Rescale the step's end velocity to the held speed; the segment's acceleration follows.
      const ex = v[0]! + a[0]! * stepS;
      const ey = v[1]! + a[1]! * stepS;
      const ez = v[2]! + a[2]! * stepS;
      const s = speed0 / Math.sqrt(ex * ex + ey * ey + ez * ez);
      a[0] = (ex * s - v[0]!) / stepS;
      a[1] = (ey * s - v[1]!) / stepS;
      a[2] = (ez * s - v[2]!) / stepS;
    }
    const o = count++ * SEGMENT_STRIDE;
    data[o] = segStartUs;
    for (let i = 0; i < 3; i++) {
      data[o + 1 + i] = p[i]!;
      data[o + 4 + i] = v[i]!;
      data[o + 7 + i] = a[i]!;
    }
    for (let i = 0; i < 3; i++) {
      p[i] = p[i]! + v[i]! * stepS + 0.5 * a[i]! * stepS * stepS;
      v[i] = v[i]! + a[i]! * stepS;
    }
    if (p[2]! < 0) break;
  }
  return new Trajectory(data, count);
}
