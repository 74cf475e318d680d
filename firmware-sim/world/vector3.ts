import type { EnuPoint } from '../../src/truth/truth-record.js';

/** A vector in the local ENU frame: x east, y north, z up (metres or metres per second). */
export interface Vec3 {
  readonly x: number;
  readonly y: number;
  readonly z: number;
}

/**
 * A vector the physics hot path overwrites in place (a scratch vector), so that a query
 * allocates nothing. Whoever receives one as an `out` argument owns it only until its next call.
 */
export interface MutableVec3 {
  x: number;
  y: number;
  z: number;
}

export const ZERO: Vec3 = { x: 0, y: 0, z: 0 };

/** A new zero vector to use as scratch. */
export function scratchVec(): MutableVec3 {
  return { x: 0, y: 0, z: 0 };
}

export function vec(x: number, y: number, z: number): Vec3 {
  return { x, y, z };
}

export function add(a: Vec3, b: Vec3): Vec3 {
  return { x: a.x + b.x, y: a.y + b.y, z: a.z + b.z };
}

export function sub(a: Vec3, b: Vec3): Vec3 {
  return { x: a.x - b.x, y: a.y - b.y, z: a.z - b.z };
}

export function scale(a: Vec3, k: number): Vec3 {
  return { x: a.x * k, y: a.y * k, z: a.z * k };
}

/** a + b·k, without an intermediate vector. */
export function addScaled(a: Vec3, b: Vec3, k: number): Vec3 {
  return { x: a.x + b.x * k, y: a.y + b.y * k, z: a.z + b.z * k };
}

export function dot(a: Vec3, b: Vec3): number {
  return a.x * b.x + a.y * b.y + a.z * b.z;
}

export function norm(a: Vec3): number {
  return Math.sqrt(dot(a, a));
}

export function fromEnu(p: EnuPoint): Vec3 {
  return { x: p.eastM, y: p.northM, z: p.upM };
}

export function fromEnuVelocity(v: { eastMps: number; northMps: number; upMps: number }): Vec3 {
  return { x: v.eastMps, y: v.northMps, z: v.upMps };
}

export function toEnu(v: Vec3): EnuPoint {
  return { eastM: v.x, northM: v.y, upM: v.z };
}

/** Azimuth (degrees clockwise from north, [0, 360)) and elevation (degrees above horizon) of `d`. */
export function bearingOf(d: Vec3): { azimuthDeg: number; elevationDeg: number } {
  const horizontal = Math.hypot(d.x, d.y);
  let azimuthDeg = (Math.atan2(d.x, d.y) * 180) / Math.PI;
  if (azimuthDeg < 0) azimuthDeg += 360;
  if (azimuthDeg >= 360) azimuthDeg -= 360;
  const elevationDeg = (Math.atan2(d.z, horizontal) * 180) / Math.PI;
  return { azimuthDeg, elevationDeg };
}
