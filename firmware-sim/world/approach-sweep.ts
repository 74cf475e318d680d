import { type MutableClosestApproach, clearanceHorizonS, closestApproachInto } from './closest-approach.js';
import type { Interceptor } from './interceptor.js';
import { PairWatch } from './pair-watch.js';
import type { SimTarget } from './sim-target.js';
import { type MutableVec3, norm, scratchVec } from './vector3.js';

/**
 * Padding (m) of the distance a pair must provably stay above to be skipped. Far above the
 * floating-point error of the positions (~1e-9 m) and of a horizon rounded to a µs world time
 * (~1e-3 m at a 1e15 µs clock and 5 km/s): a skipped pair could never have come within reach.
 */
export const CLEARANCE_MARGIN_M = 1;

/** One interceptor–target pair's closest approach over a swept interval. */
export interface Approach {
  readonly interceptor: Interceptor;
  readonly target: SimTarget;
  /** World time of the closest approach. */
  readonly atUs: number;
  readonly missM: number;
}

interface PooledApproach {
  interceptor: Interceptor;
  target: SimTarget;
  atUs: number;
  missM: number;
}

interface Flying {
  readonly interceptor: Interceptor;
  /**
   * Its pairs' clearance times — up to which a pair provably stays farther than the
   * interceptor's reach when it was computed; reach only shrinks, so they stay valid — and the
   * targets a sweep must look at.
   */
  readonly watch: PairWatch;
}

/**
 * The interceptor physics between two world times: for every flying interceptor and flying
 * target, the exact closest approach over the interval (see `closestApproach`), and the
 * detonations it implies. Only pairs that could matter are solved: a pair whose distance
 * provably stays above the interceptor's reach — max(lethal radius, best miss so far), the only
 * distances that can detonate or improve its closest approach — is skipped, and so is every
 * later interval until its clearance horizon ({@link PairWatch}). A pair that is solved is
 * solved from the same inputs, in the same arithmetic, as when every pair is solved at every
 * step, so the results are bit for bit those of the exhaustive sweep. Allocates nothing per
 * pair.
 */
export class ApproachSweep {
  private flying: Flying[] = [];
  private readonly approaches: PooledApproach[] = [];
  private approachCount = 0;
  private readonly targetPosition: MutableVec3 = scratchVec();
  private readonly interceptorPosition: MutableVec3 = scratchVec();
  private readonly targetVelocity: MutableVec3 = scratchVec();
  private readonly relativePosition: MutableVec3 = scratchVec();
  private readonly relativeVelocity: MutableVec3 = scratchVec();
  private readonly halfAccel: MutableVec3 = scratchVec();
  private readonly approach: MutableClosestApproach = { tauS: 0, distanceM: 0 };

  /** `targets` is the world's target list; indices into it key the per-pair state. */
  constructor(private readonly targets: readonly SimTarget[]) {}

  /** Include an interceptor (from its launch until it is no longer `alive`). */
  track(interceptor: Interceptor): void {
    this.flying.push({ interceptor, watch: new PairWatch(this.targets.length) });
  }

  /** Whether any tracked interceptor is still alive. */
  get anyAlive(): boolean {
    return this.flying.some((f) => f.interceptor.alive);
  }

  /**
   * Move the physics from `fromUs` to `tUs` (fromUs < tUs, called in increasing time, never
   * re-entered from `detonate`): detonations in time order (then launch order, then target
   * order), each handed to `detonate` if its interceptor is still alive and its target still
   * flying then; afterwards each interceptor's closest approach is updated with the approaches
   * found up to its detonation.
   */
  advance(fromUs: number, tUs: number, detonate: (d: Approach) => void): void {
    this.approachCount = 0;
    const detonations = this.sweep(fromUs, tUs);
    if (detonations !== undefined) {
      detonations.sort((x, y) => x.atUs - y.atUs || interceptorOrder(x, y) || x.target.index - y.target.index);
      for (const d of detonations) {
        if (!d.interceptor.alive || !d.target.isFlyingAt(d.atUs)) continue;
        detonate(d);
      }
    }
    for (let i = 0; i < this.approachCount; i++) {
      const a = this.approaches[i]!;
      const deathUs = a.interceptor.alive ? Infinity : (a.interceptor.best?.atUs ?? Infinity);
      if (a.atUs <= deathUs) a.interceptor.noteApproach(a.target.id, a.missM, a.atUs);
    }
  }

  /** Solve every pair that may matter; approaches go to the pool, detonations are returned. */
  private sweep(fromUs: number, tUs: number): Approach[] | undefined {
    let detonations: Approach[] | undefined;
    let kept = 0;
    for (const entry of this.flying) {
      const interceptor = entry.interceptor;
      if (!interceptor.alive) continue;
      this.flying[kept++] = entry;
      const startUs = Math.max(fromUs, interceptor.spec.motionStartUs);
      const icEndUs = Math.min(tUs, interceptor.naturalEndUs);
      if (startUs >= icEndUs) continue;
      const reachM = Math.max(interceptor.spec.lethalRadiusM, interceptor.best?.missM ?? Infinity);
      const watch = entry.watch;
      const clearUntilUs = watch.clearUntilUs;
      const hotCount = watch.prepare(this.targets, startUs, icEndUs);
      for (let k = 0; k < hotCount; k++) {
        const j = watch.hotTarget(k);
        const target = this.targets[j]!;
        const segEndUs = Math.min(icEndUs, target.endUs);
        if (segEndUs <= clearUntilUs[j]!) continue;
        const segStartUs = Math.max(startUs, target.motion.startUs);
        if (segStartUs >= segEndUs) continue;
        // One solve per constant-acceleration piece (a closed-form target has one, forever).
        let pieceStartUs = segStartUs;
        while (pieceStartUs < segEndUs) {
          const pieceEndUs = Math.min(segEndUs, target.pieceEndUs(pieceStartUs));
          if (pieceEndUs > clearUntilUs[j]!) {
            const found = this.solvePair(interceptor, target, pieceStartUs, pieceEndUs, reachM, clearUntilUs, j);
            if (found !== undefined) (detonations ??= []).push(found);
          }
          pieceStartUs = pieceEndUs;
        }
      }
    }
    this.flying.length = kept;
    return detonations;
  }

  /**
   * One pair over [segStartUs, segEndUs]: refresh its clearance horizon; unless it is clear,
   * pool its exact closest approach, and return it if it detonates the interceptor.
   */
  private solvePair(
    interceptor: Interceptor,
    target: SimTarget,
    segStartUs: number,
    segEndUs: number,
    reachM: number,
    clearUntilUs: Float64Array,
    j: number,
  ): Approach | undefined {
    const tp = target.positionInto(segStartUs, this.targetPosition);
    const ip = interceptor.positionInto(segStartUs, this.interceptorPosition);
    const a = this.relativePosition;
    a.x = tp.x - ip.x;
    a.y = tp.y - ip.y;
    a.z = tp.z - ip.z;
    const tv = target.velocityInto(segStartUs, this.targetVelocity);
    const iv = interceptor.velocity;
    const b = this.relativeVelocity;
    b.x = tv.x - iv.x;
    b.y = tv.y - iv.y;
    b.z = tv.z - iv.z;
    const horizonS = clearanceHorizonS(norm(a), norm(b), target.halfAccelNormMps2, reachM + CLEARANCE_MARGIN_M);
    const horizonUs = segStartUs + horizonS * 1e6;
    clearUntilUs[j] = horizonUs;
    if (segEndUs <= horizonUs) return undefined;
    const hS = (segEndUs - segStartUs) / 1e6;
    const ca = closestApproachInto(a, b, target.halfAccelInto(segStartUs, this.halfAccel), hS, this.approach);
    const atUs = segStartUs + ca.tauS * 1e6;
    const missM = ca.distanceM;
    this.pool(interceptor, target, atUs, missM);
    // A minimum at a piece's end is not final: the next piece starts there and decides.
    const interior = ca.tauS < hS || segEndUs === interceptor.naturalEndUs || segEndUs === target.endUs;
    if (missM <= interceptor.spec.lethalRadiusM && interior) return { interceptor, target, atUs, missM };
    return undefined;
  }

  private pool(interceptor: Interceptor, target: SimTarget, atUs: number, missM: number): void {
    const slot = this.approaches[this.approachCount];
    if (slot === undefined) this.approaches.push({ interceptor, target, atUs, missM });
    else {
      slot.interceptor = interceptor;
      slot.target = target;
      slot.atUs = atUs;
      slot.missM = missM;
    }
    this.approachCount++;
  }
}

function interceptorOrder(x: Approach, y: Approach): number {
  return (
    x.interceptor.spec.motionStartUs - y.interceptor.spec.motionStartUs ||
    (x.interceptor.id < y.interceptor.id ? -1 : x.interceptor.id > y.interceptor.id ? 1 : 0)
  );
}
