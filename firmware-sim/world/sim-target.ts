import type { ScenarioTarget } from '../../src/config/scenario-schema.js';
import {
  type TargetMotion,
  groundImpactUs,
  motionOf,
  positionAt,
  positionInto,
  velocityAt,
  velocityInto,
} from './target-motion.js';
import { type MutableVec3, type Vec3, norm, scale } from './vector3.js';

/**
 * One scenario target and its fate. What the physics reads per step is held in plain fields
 * (`endUs`, `halfAccel`, `halfAccelNormMps2`), computed once, not derived per query.
 */
export class SimTarget {
  readonly motion: TargetMotion;
  /** World time it reaches the ground, if ever. */
  readonly impactUs: number | undefined;
  /** ½·acceleration (m/s²): the τ² coefficient of its position, p(τ) = p0 + v0·τ + halfAccel·τ². */
  readonly halfAccel: Vec3;
  /** |halfAccel| in m/s². */
  readonly halfAccelNormMps2: number;
  impactLogged = false;
  private destroyedAtUs: number | undefined;
  private flightEndUs: number;

  constructor(
    readonly spec: ScenarioTarget,
    readonly index: number,
    powerOnUs: number,
  ) {
    this.motion = motionOf(spec, powerOnUs);
    this.impactUs = groundImpactUs(this.motion);
    this.halfAccel = scale(this.motion.a, 0.5);
    this.halfAccelNormMps2 = norm(this.halfAccel);
    this.flightEndUs = this.impactUs ?? Infinity;
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
    return positionAt(this.motion, tUs);
  }

  /** {@link positionAt} into `out` (returned), allocating nothing. */
  positionInto(tUs: number, out: MutableVec3): MutableVec3 {
    return positionInto(this.motion, tUs, out);
  }

  velocityAt(tUs: number): Vec3 {
    return velocityAt(this.motion, tUs);
  }

  /** {@link velocityAt} into `out` (returned), allocating nothing. */
  velocityInto(tUs: number, out: MutableVec3): MutableVec3 {
    return velocityInto(this.motion, tUs, out);
  }
}
