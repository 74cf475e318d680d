import type { ScenarioTarget } from '../../src/config/scenario-schema.js';
import { type MutableVec3, type Vec3, ZERO, fromEnu, fromEnuVelocity, vec } from './vector3.js';

/** Standard gravity, m/s² (ballistic targets fall with it; no drag). */
export const GRAVITY_MPS2 = 9.80665;

/**
 * Closed-form motion of a target from its start: p(τ) = p0 + v0·τ + ½·a·τ², τ in seconds
 * since `startUs` (world time). Constant-velocity targets have a = 0.
 */
export interface TargetMotion {
  readonly startUs: number;
  readonly p0: Vec3;
  readonly v0: Vec3;
  readonly a: Vec3;
}

export function motionOf(target: ScenarioTarget, powerOnUs: number): TargetMotion {
  return {
    startUs: powerOnUs + target.startS * 1e6,
    p0: fromEnu(target.position),
    v0: fromEnuVelocity(target.velocity),
    a: target.kind === 'ballistic' ? vec(0, 0, -GRAVITY_MPS2) : ZERO,
  };
}

/** Position at world time `tUs` (extrapolated, whatever the target's status). */
export function positionAt(m: TargetMotion, tUs: number): Vec3 {
  return positionInto(m, tUs, { x: 0, y: 0, z: 0 });
}

/**
 * {@link positionAt} written into `out` (returned), allocating nothing. The arithmetic is
 * (p0 + v0·τ) + a·(½τ²) per component, in that order: every caller gets the same bits.
 */
export function positionInto(m: TargetMotion, tUs: number, out: MutableVec3): MutableVec3 {
  const tauS = (tUs - m.startUs) / 1e6;
  const halfTau2S2 = 0.5 * tauS * tauS;
  out.x = m.p0.x + m.v0.x * tauS + m.a.x * halfTau2S2;
  out.y = m.p0.y + m.v0.y * tauS + m.a.y * halfTau2S2;
  out.z = m.p0.z + m.v0.z * tauS + m.a.z * halfTau2S2;
  return out;
}

/** Velocity at world time `tUs`. */
export function velocityAt(m: TargetMotion, tUs: number): Vec3 {
  return velocityInto(m, tUs, { x: 0, y: 0, z: 0 });
}

/** {@link velocityAt} written into `out` (returned), allocating nothing: v0 + a·τ. */
export function velocityInto(m: TargetMotion, tUs: number, out: MutableVec3): MutableVec3 {
  const tauS = (tUs - m.startUs) / 1e6;
  out.x = m.v0.x + m.a.x * tauS;
  out.y = m.v0.y + m.a.y * tauS;
  out.z = m.v0.z + m.a.z * tauS;
  return out;
}

/**
 * World time at which the target first reaches up = 0 going down, or undefined if never:
 * the smallest τ > 0 with ½·a·τ² + v0·τ + p0 = 0 (up components).
 */
export function groundImpactUs(m: TargetMotion): number | undefined {
  const a = 0.5 * m.a.z;
  const b = m.v0.z;
  const c = m.p0.z;
  let tau: number | undefined;
  if (a === 0) {
    if (b < 0) tau = -c / b;
  } else {
    const disc = b * b - 4 * a * c;
    if (disc >= 0) {
      // Numerically stable roots (no cancellation).
      const q = -0.5 * (b + Math.sign(b || 1) * Math.sqrt(disc));
      const roots = [q / a, q !== 0 ? c / q : Number.NaN].filter((r) => Number.isFinite(r) && r > 0);
      if (roots.length > 0) tau = Math.min(...roots);
    }
  }
  return tau === undefined ? undefined : m.startUs + tau * 1e6;
}
