import { type EnuVector, LocalFrame, ecefToGeodetic } from '../geo/index.js';
import { rotateCovariance, upperIndex } from './covariance.js';
import { GeofenceTest } from './geofence.js';
import type { ReleasePolicy } from './release-policy.js';
import {
  MAX_SHARED_TRACKS_PER_MESSAGE,
  type ReleasableField,
  SHARED_QUALITIES,
  type SharedTrackEntry,
} from './shared-tracks-schema.js';

/**
 * One of the node's tracks as the release step sees it: in the node's own ENU frame, with where
 * it came from. `origin` other than `local` (a partner's track, or one fused with partner data)
 * is never released, whatever the policy (no data incest).
 */
export interface TrackForRelease {
  readonly trackId: string;
  /** Time of validity, UTC milliseconds since 1970. */
  readonly validAtMs: number;
  readonly identity: string;
  readonly quality: string;
  readonly positionEnuM: EnuVector;
  readonly velocityEnuMps: EnuVector;
  /** 6×6 covariance of [e n u ve vn vu] in the node's ENU, upper triangle (21); absent = unknown. */
  readonly covarianceEnu?: readonly number[];
  /** The node's sensors (radar ids) that made it. */
  readonly sensors: readonly string[];
  readonly origin: 'local' | 'partner' | 'fused';
}

/** Why a track was not released (counted per partner). */
export type WithheldReason = 'not-local' | 'identity' | 'geofence' | 'not-finite' | 'quality' | 'over-message-limit';

export interface ReleaseResult {
  /** What may go to the partner, at most {@link MAX_SHARED_TRACKS_PER_MESSAGE} entries. */
  readonly entries: readonly SharedTrackEntry[];
  readonly withheld: Readonly<Partial<Record<WithheldReason, number>>>;
}

const ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;
const IDENTITY = /^[a-z][a-z0-9-]{0,47}$/;

/**
 * The release step for one partner: policy applied fail-closed. Pure except for its rate memory.
 *
 * - `release(tracks, nowMs)` returns `null` while the policy's rate does not yet allow a message
 *   (the caller sends nothing), else the entries to send (possibly none: an empty message still
 *   says "alive, nothing to release").
 * - A track leaves only if: origin `local`; identity listed; ids valid; every number finite;
 *   position inside the geofence both as measured and as quantised. Quantisation rounds each
 *   ECEF coordinate to a multiple of the quantum (velocity likewise) and adds the rounding's
 *   variance (q²/12) to the released covariance's diagonal, so the precision claimed is never
 *   finer than what was released.
 * - Only the optional fields the policy lists are present.
 * - Never throws.
 */
export class PartnerRelease {
  private readonly fence: GeofenceTest;
  private readonly fields: ReadonlySet<ReleasableField>;
  private readonly identities: ReadonlySet<string>;
  private readonly minIntervalMs: number;
  private lastReleaseMs = Number.NEGATIVE_INFINITY;

  constructor(
    readonly nodeId: string,
    readonly partnerId: string,
    readonly policy: ReleasePolicy,
    private readonly frame: LocalFrame,
  ) {
    this.fence = new GeofenceTest(policy.geofence);
    this.fields = new Set(policy.fields);
    this.identities = new Set(policy.identities);
    this.minIntervalMs = 1000 / policy.maxRateHz;
  }

  /** Whether a message may go at `nowMs` (UTC ms) under the rate limit. */
  due(nowMs: number): boolean {
    return nowMs - this.lastReleaseMs >= this.minIntervalMs;
  }

  release(tracks: readonly TrackForRelease[], nowMs: number): ReleaseResult | null {
    if (!this.due(nowMs)) return null;
    this.lastReleaseMs = nowMs;
    const entries: SharedTrackEntry[] = [];
    const withheld: Partial<Record<WithheldReason, number>> = {};
    const count = (r: WithheldReason): void => {
      withheld[r] = (withheld[r] ?? 0) + 1;
    };
    for (const track of tracks) {
      const verdict = this.releaseOne(track);
      if (typeof verdict === 'string') count(verdict);
      else if (entries.length >= MAX_SHARED_TRACKS_PER_MESSAGE) count('over-message-limit');
      else entries.push(verdict);
    }
    return { entries, withheld };
  }

  private releaseOne(track: TrackForRelease): SharedTrackEntry | WithheldReason {
    if (track.origin !== 'local') return 'not-local';
    if (!this.identities.has(track.identity) || !IDENTITY.test(track.identity)) return 'identity';
    if (!(SHARED_QUALITIES as readonly string[]).includes(track.quality)) return 'quality';
    if (!ID.test(track.trackId) || !track.sensors.every((s) => ID.test(s))) return 'not-finite';
    const p = track.positionEnuM;
    const v = track.velocityEnuMps;
    const numbers = [
      p.eastM,
      p.northM,
      p.upM,
      v.eastM,
      v.northM,
      v.upM,
      track.validAtMs,
      ...(track.covarianceEnu ?? []),
    ];
    if (!numbers.every(Number.isFinite)) return 'not-finite';
    if (track.covarianceEnu !== undefined && track.covarianceEnu.length !== 21) return 'not-finite';

    const ecef = this.frame.ecefOfEnu(p);
    if (!this.fence.contains(ecefToGeodetic(ecef))) return 'geofence';
    const qp = this.policy.positionQuantumM;
    const qv = this.policy.velocityQuantumMps;
    const ecefM: [number, number, number] = [quantise(ecef.x, qp), quantise(ecef.y, qp), quantise(ecef.z, qp)];
    if (!this.fence.contains(ecefToGeodetic({ x: ecefM[0], y: ecefM[1], z: ecefM[2] }))) return 'geofence';
    const vel = this.frame.rotateToEcef(v);

    const entry: {
      -readonly [K in keyof SharedTrackEntry]: SharedTrackEntry[K];
    } = {
      trackId: track.trackId,
      validAt: new Date(Math.round(track.validAtMs)).toISOString(),
      ecefM,
      pedigree: { node: this.nodeId, fused: false },
    };
    if (this.fields.has('velocity')) entry.ecefMps = [quantise(vel.x, qv), quantise(vel.y, qv), quantise(vel.z, qv)];
    // The covariance goes only with the velocity: its velocity block means nothing without it.
    if (this.fields.has('covariance') && this.fields.has('velocity') && track.covarianceEnu !== undefined) {
      const released = rotateCovariance(track.covarianceEnu, this.enuToEcefRotation());
      for (let i = 0; i < 3; i++) released[upperIndex(i, i)]! += (qp * qp) / 12;
      for (let i = 3; i < 6; i++) released[upperIndex(i, i)]! += (qv * qv) / 12;
      entry.covariance = released.map((x) => (Math.abs(x) > 1e16 ? Math.sign(x) * 1e16 : x));
    }
    if (this.fields.has('identity')) entry.identity = track.identity;
    if (this.fields.has('quality')) entry.quality = track.quality as SharedTrackEntry['quality'];
    if (this.fields.has('sensors') && track.sensors.length > 0) {
      entry.pedigree = { node: this.nodeId, sensors: track.sensors.slice(0, 16), fused: false };
    }
    return entry;
  }

  private rotation: number[][] | null = null;
  /** Rows: ECEF axes expressed in ENU axes (so that ecef = R · enu). */
  private enuToEcefRotation(): number[][] {
    if (this.rotation === null) {
      const cols = [
        this.frame.rotateToEcef({ eastM: 1, northM: 0, upM: 0 }),
        this.frame.rotateToEcef({ eastM: 0, northM: 1, upM: 0 }),
        this.frame.rotateToEcef({ eastM: 0, northM: 0, upM: 1 }),
      ];
      this.rotation = [
        [cols[0]!.x, cols[1]!.x, cols[2]!.x],
        [cols[0]!.y, cols[1]!.y, cols[2]!.y],
        [cols[0]!.z, cols[1]!.z, cols[2]!.z],
      ];
    }
    return this.rotation;
  }
}

/** `x` rounded to a multiple of `q` (ties away from zero), without `-0`. */
export function quantise(x: number, q: number): number {
  const n = Math.round(Math.abs(x) / q) * Math.sign(x);
  return n === 0 ? 0 : n * q;
}
