import type { PlannedFire, RunStatistics } from './run-statistics.js';
import type { FireRefusals, LauncherReadiness } from './launcher-readiness-log.js';
import { type P50P99, p50p99 } from './percentiles.js';
import type { RunPictureQuality } from './run-picture-quality.js';
import { type AssetOutcomes, assetOutcomes } from './asset-outcomes.js';
import type { ThreatAccuracy } from './threat-accuracy.js';
import type { DefendedAssetConfig } from '../control/index.js';

/** The truth records the summary reads (a structural subset of the simulator's truth log). */
export type SummaryTruthRecord =
  | { kind: 'target'; tUs: number; targetId: string; iff: string; eastM: number; northM: number; upM: number }
  | {
      kind: 'launch';
      tUs: number;
      executedUs: number;
      launcherId: string;
      commandId: number;
      executeAtUs: number;
      launcherTimeUs: number;
    }
  | { kind: 'kill'; tUs: number; targetId: string; iff: string; commandId: number }
  | { kind: 'friendly-kill'; tUs: number; targetId: string }
  | { kind: 'impact'; tUs: number; targetId: string; iff: string; leaker: boolean }
  | { kind: 'closest-approach'; tUs: number; targetId: string | null; missM: number | null; commandId: number }
  | { kind: 'fire-while-link-down'; tUs: number }
  | { kind: 'duplicate-execution'; tUs: number }
  | { kind: string; tUs: number };

/** A launcher's engagement envelope and position, to decide which hostiles entered an envelope. */
export interface EnvelopeSpec {
  readonly position: { readonly eastM: number; readonly northM: number; readonly upM: number };
  readonly envelope: { readonly minRangeM: number; readonly maxRangeM: number; readonly maxAltitudeM: number };
}

/** Interval of authorized weapons-control status (from the authenticated command path). */
export interface AuthorizationInterval {
  readonly fromUs: number;
  readonly toUs: number;
  readonly status: 'tight' | 'free';
}

/** The machine-readable result of a run (`shieldlink run --json`, last stdout line). */
export interface RunSummary {
  readonly scenario: string;
  readonly seed: number | null;
  readonly clockMode: 'virtual' | 'real';
  readonly simulatedS: number;
  readonly wallS: number;
  /** simulatedS / wallS. */
  readonly speedup: number;
  readonly hostiles: number;
  /** Hostiles whose truth track entered at least one launcher envelope. */
  readonly hostilesInEnvelope: number;
  readonly intercepted: number;
  /** intercepted / hostilesInEnvelope; null when none entered (nothing was measured). */
  readonly interceptRatio: number | null;
  readonly leakers: number;
  readonly friendliesEngaged: number;
  readonly launches: number;
  readonly firesPlanned: number;
  /**
   * Actual launch instant minus the planned one, microseconds. `launchErrorBasis` says how:
   * `host-plan` — truth execution instant minus the host's planned instant, on one clock
   * (in-process simulator: includes time-sync error); `launcher-clock` — actual minus execute-at
   * in the launcher's own clock (simulator in another process: the launcher's execution error).
   */
  readonly launchErrorUs: P50P99;
  readonly launchErrorBasis: 'host-plan' | 'launcher-clock';
  /** False on a hardware bench: there is no truth, and the safety counters are not counted. */
  readonly truthAvailable: boolean;
  /** First detection of a track to its FIRE command, milliseconds. */
  readonly reactionMs: P50P99;
  readonly engagements: RunStatistics['engagementResults'];
  /** FIREs the launchers refused (NAK), by reason and launcher; pairs given up. */
  readonly fireRefusals: FireRefusals;
  /** Per launcher: how long it was ready, and why it was not (never-ready launchers included). */
  readonly launcherReadiness: readonly LauncherReadiness[];
  readonly recordingSha256: string | null;
  readonly outputsSha256: string | null;
  /** Defended assets against truth; null without assets or without truth. */
  readonly assets: AssetOutcomes | null;
  /** Counted from the simulator's truth, not from the host's belief. */
  readonly safety: {
    readonly firesWhileLinkLost: number;
    readonly duplicateFires: number;
    readonly friendlyEngagements: number;
    readonly firesWithoutAuthorization: number;
  };
  /**
   * The host picture scored against truth (GOSPA, SIAP: docs/decisions/0019); null without
   * truth (a hardware bench) or when not measured.
   */
  readonly pictureQuality?: RunPictureQuality | null;
  /** IPP error against the truth impact point (`ipp.*`); null without truth or not measured. */
  readonly ipp?: ThreatAccuracy['ipp'] | null;
  /** Tracker consistency against truth (`tracker.nees.*`); null without truth or not measured. */
  readonly tracker?: { readonly nees: ThreatAccuracy['nees'] } | null;
}

/** Closest approach to a friendly under which the friendly counts as engaged. */
const FRIENDLY_ENGAGED_MISS_M = 200;

export interface RunSummaryInputs {
  readonly scenario: string;
  readonly seed: number | null;
  readonly clockMode: 'virtual' | 'real';
  readonly simulatedS: number;
  readonly wallS: number;
  readonly truth: readonly SummaryTruthRecord[];
  readonly statistics: RunStatistics;
  readonly launchers: readonly EnvelopeSpec[];
  readonly authorizations: readonly AuthorizationInterval[];
  readonly recordingSha256: string | null;
  readonly outputsSha256: string | null;
  /** Host time of the simulator's power-on (truth tUs 0); 0 in lockstep runs. */
  readonly truthEpochHostUs?: number;
  /** Default true. */
  readonly truthAvailable?: boolean;
  /** Default `host-plan`. */
  readonly launchErrorBasis?: 'host-plan' | 'launcher-clock';
  /** The picture scored against truth (default null: not measured). */
  readonly pictureQuality?: RunPictureQuality | null;
  /** Defended assets (the core's, declared ones only); default none. */
  readonly assets?: readonly DefendedAssetConfig[];
  /** IPP error and tracker NEES against truth (default null: not measured). */
  readonly threatAccuracy?: ThreatAccuracy | null;
}

/** Join what the host did with the simulator's truth. Pure. */
export function summarizeRun(inputs: RunSummaryInputs): RunSummary {
  const epoch = inputs.truthEpochHostUs ?? 0;
  const basis = inputs.launchErrorBasis ?? 'host-plan';
  const hostileIds = new Set<string>();
  const friendlyIds = new Set<string>();
  const inEnvelope = new Set<string>();
  const killedHostiles = new Set<string>();
  const friendliesEngaged = new Set<string>();
  const launchErrors: number[] = [];
  let leakers = 0;
  let launches = 0;
  let firesWhileLinkLost = 0;
  let duplicateFires = 0;
  let firesWithoutAuthorization = 0;
  for (const record of inputs.truth) {
    switch (record.kind) {
      case 'target': {
        const r = record as Extract<SummaryTruthRecord, { kind: 'target' }>;
        if (r.iff === 'hostile') {
          hostileIds.add(r.targetId);
          if (!inEnvelope.has(r.targetId) && inputs.launchers.some((l) => insideEnvelope(l, r)))
            inEnvelope.add(r.targetId);
        } else if (r.iff === 'friendly') friendlyIds.add(r.targetId);
        break;
      }
      case 'launch': {
        const r = record as Extract<SummaryTruthRecord, { kind: 'launch' }>;
        launches++;
        const planned: PlannedFire | undefined = inputs.statistics.fires.get(r.commandId);
        if (basis === 'launcher-clock') launchErrors.push(r.launcherTimeUs - r.executeAtUs);
        else if (planned !== undefined) launchErrors.push(r.executedUs + epoch - planned.launchAtHostUs);
        if (!authorizedAt(inputs.authorizations, r.executedUs + epoch)) firesWithoutAuthorization++;
        break;
      }
      case 'kill': {
        const r = record as Extract<SummaryTruthRecord, { kind: 'kill' }>;
        if (r.iff === 'hostile') killedHostiles.add(r.targetId);
        if (r.iff === 'friendly') friendliesEngaged.add(r.targetId);
        break;
      }
      case 'friendly-kill':
        friendliesEngaged.add((record as Extract<SummaryTruthRecord, { kind: 'friendly-kill' }>).targetId);
        break;
      case 'closest-approach': {
        const r = record as Extract<SummaryTruthRecord, { kind: 'closest-approach' }>;
        if (
          r.targetId !== null &&
          friendlyIds.has(r.targetId) &&
          r.missM !== null &&
          r.missM < FRIENDLY_ENGAGED_MISS_M
        ) {
          friendliesEngaged.add(r.targetId);
        }
        break;
      }
      case 'impact':
        if ((record as Extract<SummaryTruthRecord, { kind: 'impact' }>).leaker) leakers++;
        break;
      case 'fire-while-link-down':
        firesWhileLinkLost++;
        break;
      case 'duplicate-execution':
        duplicateFires++;
        break;
      default:
        break;
    }
  }
  // A hostile killed counts as having entered an envelope even if sampling missed the entry.
  for (const id of killedHostiles) inEnvelope.add(id);
  const intercepted = killedHostiles.size;
  return {
    scenario: inputs.scenario,
    seed: inputs.seed,
    clockMode: inputs.clockMode,
    simulatedS: inputs.simulatedS,
    wallS: inputs.wallS,
    speedup: inputs.wallS > 0 ? inputs.simulatedS / inputs.wallS : 0,
    hostiles: hostileIds.size,
    hostilesInEnvelope: inEnvelope.size,
    intercepted,
    interceptRatio: inEnvelope.size === 0 ? null : intercepted / inEnvelope.size,
    leakers,
    friendliesEngaged: friendliesEngaged.size,
    launches,
    firesPlanned: inputs.statistics.fires.size,
    launchErrorUs: p50p99(launchErrors),
    launchErrorBasis: basis,
    truthAvailable: inputs.truthAvailable ?? true,
    reactionMs: p50p99(inputs.statistics.reactionUs, 1 / 1000),
    engagements: inputs.statistics.engagementResults,
    fireRefusals: inputs.statistics.readiness.refusals(),
    launcherReadiness: inputs.statistics.readiness.readiness(inputs.statistics.lastTickUs),
    recordingSha256: inputs.recordingSha256,
    outputsSha256: inputs.outputsSha256,
    assets:
      (inputs.assets ?? []).length > 0 && (inputs.truthAvailable ?? true)
        ? assetOutcomes(inputs.truth as never, inputs.assets ?? [])
        : null,
    safety: {
      firesWhileLinkLost,
      duplicateFires,
      friendlyEngagements: friendliesEngaged.size,
      firesWithoutAuthorization,
    },
    pictureQuality: inputs.pictureQuality ?? null,
    ipp: inputs.threatAccuracy?.ipp ?? null,
    tracker:
      inputs.threatAccuracy === undefined || inputs.threatAccuracy === null
        ? null
        : { nees: inputs.threatAccuracy.nees },
  };
}

function insideEnvelope(
  launcher: EnvelopeSpec,
  point: { readonly eastM: number; readonly northM: number; readonly upM: number },
): boolean {
  const de = point.eastM - launcher.position.eastM;
  const dn = point.northM - launcher.position.northM;
  const du = point.upM - launcher.position.upM;
  const rangeM = Math.sqrt(de * de + dn * dn + du * du);
  return (
    rangeM >= launcher.envelope.minRangeM &&
    rangeM <= launcher.envelope.maxRangeM &&
    point.upM <= launcher.envelope.maxAltitudeM
  );
}

function authorizedAt(intervals: readonly AuthorizationInterval[], atUs: number): boolean {
  return intervals.some((i) => atUs >= i.fromUs && atUs <= i.toUs);
}
