import { isIntegratedFlight } from '../../src/config/scenario-flight-schema.js';
import type { ScenarioTarget } from '../../src/config/scenario-schema.js';
import { integrateFlight } from './flight-model.js';
import {
  type TargetMotion,
  groundImpactUs,
  motionOf,
  positionAt,
  positionInto,
  velocityAt,
  velocityInto,
} from './target-motion.js';
import type { Trajectory } from './trajectory.js';
import { type MutableVec3, type Vec3, norm, scale } from './vector3.js';

/**
 * One scenario target and its fate. What the physics reads per step is held in plain fields
 * (`endUs`, `halfAccel`, `halfAccelNormMps2`), computed once, not derived per query.
 *
 * A target with drag, a boost or manoeuvres flies an integrated {@link Trajectory} (piecewise
 * constant acceleration); any other flies its closed form `motion` (one piece, forever), exactly
 * as it always did.
 */
export class SimTarget {
  readonly motion: TargetMotion;
  /** The integrated flight, or undefined for a closed-form target. */
  readonly trajectory: Trajectory | undefined;
  /** World time it reaches the ground, if ever. */
  readonly impactUs: number | undefined;
  /**
   * ½·acceleration (m/s²) of the closed form: the τ² coefficient of its position,
   * p(τ) = p0 + v0·τ + halfAccel·τ². An integrated target's varies: see {@link halfAccelInto}.
   */
  readonly halfAccel: Vec3;
  /** |halfAccel| in m/s² (for an integrated target, the largest over its flight: a bound). */
  readonly halfAccelNormMps2: number;
  impactLogged = false;
  private destroyedAtUs: number | undefined;
  private flightEndUs: number;

  /** `horizonUs`: world time after which an integrated flight need not be computed (the run's end). */
  constructor(
    readonly spec: ScenarioTarget,
    readonly index: number,
    powerOnUs: number,
    horizonUs = Infinity,
  ) {
    this.motion = motionOf(spec, powerOnUs);
    this.trajectory = isIntegratedFlight(spec) ? integrateFlight(spec, this.motion.startUs, horizonUs) : undefined;
    this.impactUs = this.trajectory === undefined ? groundImpactUs(this.motion) : this.trajectory.groundImpactUs();
    this.halfAccel = scale(this.motion.a, 0.5);
    this.halfAccelNormMps2 = this.trajectory === undefined ? norm(this.halfAccel) : this.trajectory.maxHalfAccelMps2;
    this.flightEndUs = this.impactUs ?? Infinity;
  }

  /** World time the constant-acceleration piece holding `tUs` ends (+∞ for a closed-form target). */
  pieceEndUs(tUs: number): number {
    const trajectory = this.trajectory;
    return trajectory === undefined ? Infinity : trajectory.endUs(trajectory.segmentAt(tUs));
  }

  /** ½·acceleration of the piece holding `tUs`, into `out` (returned). */
  halfAccelInto(tUs: number, out: MutableVec3): MutableVec3 {
    if (this.trajectory !== undefined) return this.trajectory.halfAccelInto(tUs, out);
    out.x = this.halfAccel.x;
    out.y = this.halfAccel.y;
    out.z = this.halfAccel.z;
    return out;
  }

  get id(): string {
    return this.spec.id;
  }

  /** World time an interceptor destroyed it, undefined while it has not. */
  get destroyedUs(): number | undefined {
    return this.destroyedAtUs;
  }

  /** World time its flight ends (destroyed or ground), Infinity while it has not. */
  get endUs(): number {
    return this.flightEndUs;
  }

  /** An interceptor destroyed it at world time `atUs`: its flight ends then (or at impact, if earlier). */
  markDestroyed(atUs: number): void {
    this.destroyedAtUs = atUs;
    this.flightEndUs = Math.min(atUs, this.impactUs ?? Infinity);
  }

  isFlyingAt(tUs: number): boolean {
    return tUs >= this.motion.startUs && tUs < this.flightEndUs;
  }

  positionAt(tUs: number): Vec3 {
    if (this.trajectory !== undefined) return this.trajectory.positionInto(tUs, { x: 0, y: 0, z: 0 });
    return positionAt(this.motion, tUs);
  }

  /** {@link positionAt} into `out` (returned), allocating nothing. */
  positionInto(tUs: number, out: MutableVec3): MutableVec3 {
    if (this.trajectory !== undefined) return this.trajectory.positionInto(tUs, out);
    return positionInto(this.motion, tUs, out);
  }

  velocityAt(tUs: number): Vec3 {
    if (this.trajectory !== undefined) return this.trajectory.velocityInto(tUs, { x: 0, y: 0, z: 0 });
    return velocityAt(this.motion, tUs);
  }

  /** {@link velocityAt} into `out` (returned), allocating nothing. */
  velocityInto(tUs: number, out: MutableVec3): MutableVec3 {
    if (this.trajectory !== undefined) return this.trajectory.velocityInto(tUs, out);
    return velocityInto(this.motion, tUs, out);
  }
}
