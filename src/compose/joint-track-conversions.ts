import type { TrackCovarianceSnapshot, TrackSnapshot } from '../control/index.js';
import type { IffClass, TrackMeasurementInput } from '../control/control-inputs.js';
import type { JointTrack, LocalTrack, PartnerTrack, TrackIdentity } from '../fusion/index.js';
import { fullOf, type HeldPartnerTrack, type TrackForRelease } from '../sharing/index.js';

/** A radar's declared 1-sigma accuracy: what a local track's covariance is modelled from. */
export interface RadarAccuracy {
  readonly position: readonly [number, number, number];
  readonly rangeSigmaM: number;
  readonly angleSigmaDeg: number;
  readonly velocitySigmaMps: number;
}

const IDENTITY_OF_IFF: Readonly<Record<IffClass, TrackIdentity>> = {
  hostile: 'hostile',
  friendly: 'friend',
  unknown: 'unknown',
};

/**
 * The core filter's 6×6 covariance of a track (row-major, [e n u ve vn vu]) from its exported
 * per-axis variances and position-velocity covariances (the axes are filtered apart: cross-axis
 * terms 0), or null when the estimate lacks them or they are not a covariance (each axis's 2×2
 * block positive definite, every number finite).
 */
export function filterCovarianceOf(estimate: TrackCovarianceSnapshot | undefined): number[] | null {
  if (estimate === undefined) return null;
  const axes = [
    [estimate.varEastM2, estimate.covEastM2PerS, estimate.varEastMps2],
    [estimate.varNorthM2, estimate.covNorthM2PerS, estimate.varNorthMps2],
    [estimate.varUpM2, estimate.covUpM2PerS, estimate.varUpMps2],
  ] as const;
  const out = new Array<number>(36).fill(0);
  for (let i = 0; i < 3; i++) {
    const [pp, pv, vv] = axes[i]!;
    if (pp === undefined || pv === undefined || vv === undefined) return null;
    if (![pp, pv, vv].every(Number.isFinite) || !(pp > 0 && vv > 0 && pp * vv - pv * pv > 0)) return null;
    out[i * 7] = pp;
    out[(i + 3) * 7] = vv;
    out[i * 6 + i + 3] = pv;
    out[(i + 3) * 6 + i] = pv;
  }
  return out;
}

/**
 * A core track as a fusion {@link LocalTrack} of `nodeId`, or null when no radar of this node
 * contributed to it (a track seeded by a partner feed alone is the partner's data, already in the
 * joint picture). `fused` when a partner feed contributed too: it is then never released.
 * Its covariance is the core filter's (`estimate`, see {@link filterCovarianceOf}); without one
 * it is modelled, diagonal, from the accuracy of the nearest own contributing radar at the
 * track's range (position σ = max(range σ, range × angle σ); velocity σ as declared).
 * Times: `estimateTimeUs` (host) to UTC µs by `utcOfHostUs`.
 */
export function localTrackOf(
  track: TrackSnapshot,
  nodeId: string,
  radars: ReadonlyMap<string, RadarAccuracy>,
  utcOfHostUs: (hostUs: number) => number,
  estimate?: TrackCovarianceSnapshot,
): LocalTrack | null {
  const own = track.radarTracks.filter((r) => radars.has(r.radarId));
  if (own.length === 0) return null;
  const fused = own.length < track.radarTracks.length;
  let best: { sigmaM: number; velocitySigmaMps: number } | null = null;
  for (const link of own) {
    const radar = radars.get(link.radarId)!;
    const rangeM = Math.hypot(
      track.eastM - radar.position[0],
      track.northM - radar.position[1],
      track.upM - radar.position[2],
    );
    const sigmaM = Math.max(radar.rangeSigmaM, (rangeM * radar.angleSigmaDeg * Math.PI) / 180, 1);
    if (best === null || sigmaM < best.sigmaM)
      best = { sigmaM, velocitySigmaMps: Math.max(radar.velocitySigmaMps, 0.5) };
  }
  let covariance = filterCovarianceOf(estimate);
  if (covariance === null) {
    const p = best!.sigmaM ** 2;
    const v = best!.velocitySigmaMps ** 2;
    covariance = new Array<number>(36).fill(0);
    for (let i = 0; i < 3; i++) covariance[i * 7] = p;
    for (let i = 3; i < 6; i++) covariance[i * 7] = v;
  }
  return {
    kind: 'local',
    trackId: String(track.trackId),
    tovUs: utcOfHostUs(track.estimateTimeUs),
    state: [track.eastM, track.northM, track.upM, track.eastMps, track.northMps, track.upMps],
    covariance,
    identity: IDENTITY_OF_IFF[track.iff],
    quality: Math.min(1, Math.max(0, track.quality / 100)),
    pedigree: { nodeId, sensorId: own.length === 1 ? own[0]!.radarId : 'fused', fused },
  };
}

const IFF_OF_IDENTITY: Readonly<Record<TrackIdentity, string>> = {
  hostile: 'hostile',
  suspect: 'hostile',
  friend: 'friendly',
  neutral: 'unknown',
  unknown: 'unknown',
  pending: 'unknown',
};

/** A releasable local track as the release step takes it (origin `local`, upper-triangle covariance). */
export function trackForRelease(track: LocalTrack, quality: string, wallMsOfUtcUs = (us: number) => us / 1000) {
  const upper: number[] = [];
  for (let r = 0; r < 6; r++) for (let c = r; c < 6; c++) upper.push(track.covariance[r * 6 + c]!);
  const [e, n, u, ve, vn, vu] = track.state as [number, number, number, number, number, number];
  const out: TrackForRelease = {
    trackId: track.trackId,
    validAtMs: wallMsOfUtcUs(track.tovUs),
    identity: IFF_OF_IDENTITY[track.identity],
    quality,
    positionEnuM: { eastM: e, northM: n, upM: u },
    velocityEnuMps: { eastM: ve, northM: vn, upM: vu },
    covarianceEnu: upper,
    sensors: track.pedigree.sensorId === 'fused' ? [] : [track.pedigree.sensorId],
    origin: 'local',
  };
  return out;
}

const QUALITY_OF_SHARED: Readonly<Record<string, number>> = { good: 1, simulated: 0.8, replayed: 0.5, suspect: 0.3 };
const IDENTITY_OF_SHARED: Readonly<Record<string, TrackIdentity>> = {
  hostile: 'hostile',
  friendly: 'friend',
  friend: 'friend',
  unknown: 'unknown',
  suspect: 'suspect',
  neutral: 'neutral',
};

/**
 * A held partner entry (ECEF) as a fusion {@link PartnerTrack}. Without a released velocity the
 * velocity is 0 with a 1 km/s σ; without a released covariance the position σ is 1 km: a partner
 * that withholds precision is never taken for more precise than it let us know.
 */
export function partnerTrackOf(held: HeldPartnerTrack): PartnerTrack {
  const entry = held.entry;
  const velocity = entry.ecefMps ?? [0, 0, 0];
  let covariance: number[];
  if (entry.covariance !== undefined && entry.ecefMps !== undefined) {
    covariance = fullOf(entry.covariance).flat();
  } else {
    covariance = new Array<number>(36).fill(0);
    for (let i = 0; i < 3; i++) covariance[i * 7] = 1e6;
    for (let i = 3; i < 6; i++) covariance[i * 7] = entry.ecefMps === undefined ? 1e6 : 1e4;
  }
  return {
    kind: 'partner',
    trackId: entry.trackId,
    tovUs: Date.parse(entry.validAt) * 1000,
    frame: { kind: 'ecef' },
    state: [...entry.ecefM, ...velocity],
    covariance,
    identity: IDENTITY_OF_SHARED[entry.identity ?? 'unknown'] ?? 'unknown',
    quality: QUALITY_OF_SHARED[entry.quality ?? 'suspect'] ?? 0.3,
    pedigree: { nodeId: entry.pedigree.node, sensorId: entry.pedigree.sensors?.[0] ?? 'fused', fused: false },
  };
}

/**
 * A partner-only joint track as a track measurement of the core's partner feed `radarId`: the
 * fused state at the fusion instant (host time `atUs`), σ from the joint covariance's largest
 * position and velocity variances.
 */
export function partnerFeedMeasurement(
  track: JointTrack,
  radarId: string,
  radarTrackId: number,
  atUs: number,
  seq: number,
): TrackMeasurementInput {
  const c = track.covariance;
  const [e, n, u, ve, vn, vu] = track.state as [number, number, number, number, number, number];
  return {
    kind: 'track-measurement',
    receivedAtUs: atUs,
    sourceId: radarId,
    seq,
    radarId,
    radarTrackId,
    measurementTimeUs: atUs,
    eastM: e,
    northM: n,
    upM: u,
    eastMps: ve,
    northMps: vn,
    upMps: vu,
    positionSigmaM: Math.max(1, Math.sqrt(Math.max(c[0]!, c[7]!, c[14]!))),
    velocitySigmaMps: Math.max(0.5, Math.sqrt(Math.max(c[21]!, c[28]!, c[35]!))),
    quality: Math.round(track.quality * 100),
    iff: IFF_OF_IDENTITY[track.identity] as IffClass,
  };
}
