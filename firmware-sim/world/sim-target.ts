import type { ScenarioTarget } from '../../src/config/scenario-schema.js';
import { type TargetMotion, groundImpactUs, motionOf, positionAt, velocityAt } from './target-motion.js';
import type { Vec3 } from './vector3.js';

/** One scenario target and its fate. */
export class SimTarget {
  readonly motion: TargetMotion;
  /** World time it reaches the ground, if ever. */
  readonly impactUs: number | undefined;
  destroyedUs: number | undefined;
  impactLogged = false;

  constructor(
    readonly spec: ScenarioTarget,
    readonly index: number,
    powerOnUs: number,
  ) {
    this.motion = motionOf(spec, powerOnUs);
    this.impactUs = groundImpactUs(this.motion);
  }

  get id(): string {
    return this.spec.id;
  }

  /** World time its flight ends (destroyed or ground), Infinity while it has not. */
  get endUs(): number {
    return Math.min(this.destroyedUs ?? Infinity, this.impactUs ?? Infinity);
  }

  isFlyingAt(tUs: number): boolean {
    return tUs >= this.motion.startUs && tUs < this.endUs;
  }

  positionAt(tUs: number): Vec3 {
    return positionAt(this.motion, tUs);
  }

  velocityAt(tUs: number): Vec3 {
    return velocityAt(this.motion, tUs);
  }
}
