import type { EngagementDecisionEntry, EnuPoint, FireEntry } from './ledger-entry.js';
import { entryType, type ReadEntry } from './verify-ledger.js';

/**
 * "With its own eyes": a partner checks each FIRE's claimed track state (position, velocity and
 * identity at the decision behind it) against what its OWN radar reported at that moment, in its
 * own recording. Nothing here trusts the node beyond its declared site and clock epoch; the
 * partner's reports are its own. Pure: frames and clocks come in as functions (the CLI builds them
 * from src/geo), so the verifier stays free of everything but the entries and the reports.
 */

/** One report of the partner's own radar (a `track-measurement` of its run file), partner frame. */
export interface OwnRadarReport {
  readonly radarId: string;
  readonly radarTrackId: number;
  /** Measurement instant, the partner's run clock, µs. */
  readonly timeUs: number;
  readonly eastM: number;
  readonly northM: number;
  readonly upM: number;
  readonly eastMps: number;
  readonly northMps: number;
  readonly upMps: number;
  /** The radar's stated 1-sigma position uncertainty per axis, m (> 0). */
  readonly positionSigmaM: number;
  /** The radar's stated 1-sigma velocity uncertainty per axis, m/s (> 0). */
  readonly velocitySigmaMps: number;
  readonly iff: string;
}

/** The statistical gate: how far a claim may be from the partner's measurement. */
export interface OwnEyesGate {
  /**
   * Chi-square bound on the normalised squared position distance, and separately on the
   * velocity distance (3 degrees of freedom each). Default 16.27: 0.1 % of true matches rejected.
   */
  readonly chi2: number;
  /** 1-sigma per axis assumed for the node's claimed position (the ledger states none), m. */
  readonly claimSigmaM: number;
  /** 1-sigma per axis assumed for the node's claimed velocity, m/s. */
  readonly claimSigmaMps: number;
  /** A partner report counts when within this of the claim's instant, µs (each side). */
  readonly windowUs: number;
  /** Gravity, for the extrapolation uncertainty of a report to the claim's instant, m/s². */
  readonly gravityMps2: number;
}

export const DEFAULT_OWN_EYES_GATE: OwnEyesGate = {
  chi2: 16.27,
  claimSigmaM: 50,
  claimSigmaMps: 15,
  windowUs: 1_500_000,
  gravityMps2: 9.80665,
};

/** What the partner's radar is, and how the node's frame and clock map onto the partner's. */
export interface OwnEyesInput {
  /** Every report of the partner's radar(s), in time order (partner run clock). */
  readonly reports: readonly OwnRadarReport[];
  /** Slant range the partner's radar covers around the partner's site, m. */
  readonly coverageRangeM: number;
  /** The partner's recording spans [fromUs, toUs] of its run clock. */
  readonly recordedFromUs: number;
  readonly recordedToUs: number;
  /** A node run-clock instant on the partner's run clock (through both wall-clock epochs). */
  readonly partnerTimeUs: (nodeUs: number) => number;
  /** A point of the node's ENU frame in the partner's ENU frame (through ECEF). */
  readonly toPartnerPoint: (p: EnuPoint) => EnuPoint;
  /** A vector (velocity) of the node's ENU axes in the partner's axes. */
  readonly toPartnerVector: (v: EnuPoint) => EnuPoint;
  readonly gate: OwnEyesGate;
}

/**
 * The partner's judgement of one FIRE: `confirmed` (a report within the gate, identities not
 * contradicting), `elsewhere` (the radar covered the claim and reported tracks, none within the
 * gate), `not-seen` (the radar covered the claim and reported nothing at all around that
 * instant), `identity-disagrees` (the matching report names a definite identity other than the
 * claim's: hostile against friendly), or — the radar cannot judge — `out-of-coverage` (beyond
 * its range or below its horizon), `not-recorded` (outside the partner's recording) and
 * `no-claim` (the FIRE has no decision with a track state: a compliance violation already).
 */
export type OwnEyesVerdict =
  'confirmed' | 'elsewhere' | 'not-seen' | 'identity-disagrees' | 'out-of-coverage' | 'not-recorded' | 'no-claim';

/** The verdicts that are disagreements (a failed verification). */
export const OWN_EYES_DISAGREEMENTS: readonly OwnEyesVerdict[] = ['elsewhere', 'not-seen', 'identity-disagrees'];

/** One FIRE as the partner's radar saw it. */
export interface OwnEyesFire {
  readonly entry: number;
  readonly engagementId: number;
  readonly trackId: number;
  readonly verdict: OwnEyesVerdict;
  /** The claim in the partner's frame at the claim's instant (partner clock), or null. */
  readonly claim: (EnuPoint & { readonly atUs: number; readonly iff: string }) | null;
  /** Slant range from the partner's site, m. */
  readonly rangeM: number | null;
  /** The best-matching report (least position chi-square), if any was in the window. */
  readonly nearest: {
    readonly radarId: string;
    readonly radarTrackId: number;
    readonly distanceM: number;
    readonly positionChi2: number;
    readonly velocityChi2: number;
    readonly iff: string;
  } | null;
  readonly message: string;
}

export interface OwnEyesResult {
  readonly fires: readonly OwnEyesFire[];
  /** FIREs per verdict. */
  readonly counts: Readonly<Record<OwnEyesVerdict, number>>;
  readonly ok: boolean;
}

const DEFINITE = new Set(['hostile', 'friendly']);

/**
 * Judge every FIRE of `entries` with the partner's own radar (see {@link OwnEyesVerdict}). The
 * claim is the track state of the last engagement decision before the FIRE; each report in the
 * window is extrapolated at constant velocity to the claim's instant, its uncertainty grown by the
 * velocity sigma and by gravity over the gap. Linear in FIREs × reports in each window.
 */
export function checkOwnEyes(entries: readonly ReadEntry[], input: OwnEyesInput): OwnEyesResult {
  const decisions = new Map<number, ReadEntry>();
  const fires: OwnEyesFire[] = [];
  for (const read of entries) {
    const type = entryType(read);
    if (type === 'engagement-decision')
      decisions.set(read.engagementId ?? (read.entry as EngagementDecisionEntry).engagementId, read);
    if (type !== 'fire') continue;
    const fire = read.entry as FireEntry;
    const decision = decisions.get(fire.engagementId)?.entry as EngagementDecisionEntry | undefined;
    fires.push(judge(read.index, fire, decision?.track ?? null, input));
  }
  return ownEyesResult(fires);
}

/** The result of judged FIREs (none: nothing to judge). */
export function ownEyesResult(fires: readonly OwnEyesFire[]): OwnEyesResult {
  const counts = {
    confirmed: 0,
    elsewhere: 0,
    'not-seen': 0,
    'identity-disagrees': 0,
    'out-of-coverage': 0,
    'not-recorded': 0,
    'no-claim': 0,
  } satisfies Record<OwnEyesVerdict, number>;
  for (const f of fires) counts[f.verdict]++;
  return { fires, counts, ok: fires.every((f) => !OWN_EYES_DISAGREEMENTS.includes(f.verdict)) };
}

function judge(
  index: number,
  fire: FireEntry,
  track: EngagementDecisionEntry['track'],
  input: OwnEyesInput,
): OwnEyesFire {
  const base = { entry: index, engagementId: fire.engagementId, trackId: fire.trackId };
  const what = `FIRE of engagement ${fire.engagementId} (track ${fire.trackId})`;
  if (track === null || !finiteState(track)) {
    return {
      ...base,
      verdict: 'no-claim',
      claim: null,
      rangeM: null,
      nearest: null,
      message: `${what}: no claimed track state`,
    };
  }
  const atUs = input.partnerTimeUs(track.estimateTimeUs);
  const p = input.toPartnerPoint(track);
  const v = input.toPartnerVector({ eastM: track.eastMps, northM: track.northMps, upM: track.upMps });
  const claim = { ...p, atUs, iff: track.iff };
  const rangeM = Math.hypot(p.eastM, p.northM, p.upM);
  const out = (verdict: OwnEyesVerdict, message: string, nearest: OwnEyesFire['nearest'] = null): OwnEyesFire => ({
    ...base,
    verdict,
    claim,
    rangeM,
    nearest,
    message: `${what}: ${message}`,
  });
  const where = `${km(rangeM)} from the partner's radar`;
  if (atUs < input.recordedFromUs || atUs > input.recordedToUs) {
    return out('not-recorded', `claimed at ${(atUs / 1e6).toFixed(1)} s of the partner's clock, outside its recording`);
  }
  if (rangeM > input.coverageRangeM)
    return out('out-of-coverage', `claimed ${where}, beyond its ${km(input.coverageRangeM)}`);
  if (p.upM < 0) return out('out-of-coverage', `claimed ${where}, below its horizon`);
  const g = input.gate;
  let best: OwnEyesFire['nearest'] = null;
  let seen = 0;
  for (let i = firstAtOrAfter(input.reports, atUs - g.windowUs); i < input.reports.length; i++) {
    const r = input.reports[i]!;
    if (r.timeUs > atUs + g.windowUs) break;
    seen++;
    const dtS = (atUs - r.timeUs) / 1e6;
    const fall = 0.5 * g.gravityMps2 * dtS * dtS;
    const posVar = r.positionSigmaM ** 2 + g.claimSigmaM ** 2 + (r.velocitySigmaMps * dtS) ** 2 + fall * fall;
    const velVar = r.velocitySigmaMps ** 2 + g.claimSigmaMps ** 2 + (g.gravityMps2 * dtS) ** 2;
    const dE = r.eastM + r.eastMps * dtS - p.eastM;
    const dN = r.northM + r.northMps * dtS - p.northM;
    const dU = r.upM + r.upMps * dtS - p.upM;
    const positionChi2 = (dE * dE + dN * dN + dU * dU) / posVar;
    if (best !== null && positionChi2 >= best.positionChi2) continue;
    const velocityChi2 = ((r.eastMps - v.eastM) ** 2 + (r.northMps - v.northM) ** 2 + (r.upMps - v.upM) ** 2) / velVar;
    best = {
      radarId: r.radarId,
      radarTrackId: r.radarTrackId,
      distanceM: Math.hypot(dE, dN, dU),
      positionChi2,
      velocityChi2,
      iff: r.iff,
    };
  }
  const window = `±${(g.windowUs / 1e6).toFixed(1)} s`;
  if (best === null)
    return out('not-seen', `claimed ${where}, in its coverage, but it reported nothing within ${window}`);
  const detail = `${best.radarId} track ${best.radarTrackId} ${km(best.distanceM)} away (χ² position ${best.positionChi2.toFixed(1)}, velocity ${best.velocityChi2.toFixed(1)}; gate ${g.chi2})`;
  if (best.positionChi2 > g.chi2 || best.velocityChi2 > g.chi2) {
    return out('elsewhere', `claimed ${where}; ${seen} report(s) within ${window}, nearest ${detail}`, best);
  }
  if (DEFINITE.has(best.iff) && DEFINITE.has(track.iff) && best.iff !== track.iff) {
    return out(
      'identity-disagrees',
      `claimed ${track.iff}, the partner's radar identified it ${best.iff}: ${detail}`,
      best,
    );
  }
  return out('confirmed', `seen by ${detail}`, best);
}

function finiteState(t: NonNullable<EngagementDecisionEntry['track']>): boolean {
  return [t.eastM, t.northM, t.upM, t.eastMps, t.northMps, t.upMps, t.estimateTimeUs].every(
    (x) => typeof x === 'number' && Number.isFinite(x),
  );
}

/** Index of the first report at or after `timeUs` (binary search; reports are in time order). */
function firstAtOrAfter(reports: readonly OwnRadarReport[], timeUs: number): number {
  let lo = 0;
  let hi = reports.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (reports[mid]!.timeUs < timeUs) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function km(m: number): string {
  return `${(m / 1000).toFixed(1)} km`;
}
