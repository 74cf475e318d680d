import { type MutableVec3, type Vec3, norm, scale, sub, vec } from './vector3.js';

/** What a launch puts in the air. */
export interface InterceptorSpec {
  readonly id: string;
  readonly launcherId: string;
  readonly commandId: number;
  /** The launcher's position. */
  readonly origin: Vec3;
  /** The FIRE aim point. */
  readonly aim: Vec3;
  readonly speedMps: number;
  readonly lethalRadiusM: number;
  /** World time the interceptor leaves the rail (execute-at + launch delay). */
  readonly motionStartUs: number;
  readonly maxFlightTimeS: number;
}

/** Why an interceptor's flight ended. */
export type InterceptorEnd = 'detonated' | 'flight-time' | 'ground' | 'run-end';

/**
 * An interceptor: at the launcher until `motionStartUs`, then straight at constant speed from
 * the launcher through the aim point and on, until it detonates, reaches the ground or its
 * maximum flight time.
 */
export class Interceptor {
  readonly velocity: Vec3;
  /** World time the flight ends at the latest (flight time or ground). */
  readonly naturalEndUs: number;
  readonly naturalEnd: 'flight-time' | 'ground';
  alive = true;
  /** Closest approach to any target so far. */
  best: { targetId: string; missM: number; atUs: number } | undefined;

  constructor(readonly spec: InterceptorSpec) {
    const line = sub(spec.aim, spec.origin);
    const length = norm(line);
    const direction = length > 0 ? scale(line, 1 / length) : vec(0, 0, 1);
    this.velocity = scale(direction, spec.speedMps);
    let endUs = spec.motionStartUs + spec.maxFlightTimeS * 1e6;
    let end: 'flight-time' | 'ground' = 'flight-time';
    if (this.velocity.z < 0) {
      const groundUs = spec.motionStartUs + (Math.max(0, spec.origin.z) / -this.velocity.z) * 1e6;
      if (groundUs < endUs) {
        endUs = groundUs;
        end = 'ground';
      }
    }
    this.naturalEndUs = endUs;
    this.naturalEnd = end;
  }

  get id(): string {
    return this.spec.id;
  }

  /** Position at world time `tUs`. */
  positionAt(tUs: number): Vec3 {
    return this.positionInto(tUs, { x: 0, y: 0, z: 0 });
  }

  /** {@link positionAt} into `out` (returned), allocating nothing: origin + velocity·τ once moving. */
  positionInto(tUs: number, out: MutableVec3): MutableVec3 {
    const origin = this.spec.origin;
    if (tUs <= this.spec.motionStartUs) {
      out.x = origin.x;
      out.y = origin.y;
      out.z = origin.z;
      return out;
    }
    const tauS = (tUs - this.spec.motionStartUs) / 1e6;
    out.x = origin.x + this.velocity.x * tauS;
    out.y = origin.y + this.velocity.y * tauS;
    out.z = origin.z + this.velocity.z * tauS;
    return out;
  }

  /** Record a candidate closest approach (keeps the smallest, earliest on ties; updates `best` in place). */
  noteApproach(targetId: string, missM: number, atUs: number): void {
    const best = this.best;
    if (best === undefined) this.best = { targetId, missM, atUs };
    else if (missM < best.missM) {
      best.targetId = targetId;
      best.missM = missM;
      best.atUs = atUs;
    }
  }
}
