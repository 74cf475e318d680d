import { DEFAULT_DOCTRINE_CONFIG, type DefendedAssetConfig, type DoctrineConfig } from './defended-assets.js';
import type { EnuPositionM } from './enu.js';
import { validateControlConfig } from './validate-control-config.js';

/**
 * Configuration of the control core. Plain JSON data (finite numbers only) so that a run file's
 * manifest can carry it verbatim (docs/decisions/0003-run-file.md). Times are microseconds unless
 * the name says otherwise; the launcher model keeps the units of `hil-configs/*.yaml`.
 */
export interface ControlConfig {
  /** Period of the control tick. `step()` may be called at any rate; this sizes the FIRE window. */
  readonly tickPeriodUs: number;
  /** Radars whose reports the core accepts; reports from any other radar id are rejected. */
  readonly radars: readonly RadarConfig[];
  /** Launchers the core may command. At least one; ids unique. */
  readonly launchers: readonly LauncherConfig[];
  /** Points whose approach counts as an impact for threat ordering (in addition to the ground). */
  readonly defendedPoints: readonly DefendedPointConfig[];
  /** Defended assets with values: what threat evaluation and the expected-value doctrine protect. */
  readonly defendedAssets: readonly DefendedAssetConfig[];
  /** Weapon-assignment doctrine. */
  readonly doctrine: DoctrineConfig;
  readonly tracking: TrackingConfig;
  readonly engagement: EngagementConfig;
  readonly solver: SolverConfig;
}

/** A radar feeding the core. */
export interface RadarConfig {
  readonly id: string;
}

/** A launcher and its interceptor model. */
export interface LauncherConfig {
  readonly id: string;
  /** Launcher position in the ENU frame. */
  readonly position: EnuPositionM;
  /**
   * Flyout model: the interceptor leaves `launchDelayMs` after the launch instant and flies
   * straight to the aim point at a constant `speedMps`.
   */
  readonly flyout: { readonly launchDelayMs: number; readonly speedMps: number };
  /**
   * Engagement envelope, checked at the aim point: slant range from the launcher within
   * [minRangeM, maxRangeM] and altitude (upM) at most maxAltitudeM.
   */
  readonly envelope: { readonly minRangeM: number; readonly maxRangeM: number; readonly maxAltitudeM: number };
  /** Both axes slew at this rate at once. */
  readonly slewRateDegPerS: number;
  /** Magazine size: the core never fires more than this many rounds from this launcher. */
  readonly rounds: number;
  /**
   * Lethal radius of the interceptor, metres. With the flyout speed it sets the launcher's
   * launch-time error budget (see launch-error-budget.ts); when absent the budget is
   * `engagement.defaultSyncBudgetUs`.
   */
  readonly lethalRadiusM?: number;
}

/** A defended point: a track predicted to enter this sphere "impacts" when it does. */
export interface DefendedPointConfig {
  readonly id: string;
  readonly position: EnuPositionM;
  readonly radiusM: number;
}

/** Tracker parameters. */
export interface TrackingConfig {
  /** Capacity of the track table (host tracks held at once). Memory is allocated up front. */
  readonly maxTracks: number;
  /** Radar tracks (one per radar) that can be merged into one host track. */
  readonly maxLinksPerTrack: number;
  /** White-acceleration process noise spectral density of the filters, m²/s³. */
  readonly processNoiseM2PerS3: number;
  /** Gravity used by the ballistic target model. */
  readonly gravityMps2: number;
  /** Measurements before a track is confirmed (and may be engaged). */
  readonly confirmHits: number;
  /** Age of the last measurement after which a track coasts (not engageable, pending dropped). */
  readonly coastAfterUs: number;
  /** Age of the last measurement after which a track is dropped ('stale'). */
  readonly dropAfterUs: number;
  /** Association gate, in combined standard deviations, for a new radar track. */
  readonly gateSigmas: number;
  /** Smallest association gate radius, metres, whatever the sigmas say. */
  readonly minGateM: number;
  /** Smallest association gate on velocity difference, m/s, whatever the sigmas say. */
  readonly minVelocityGateMps: number;
  /**
   * Ballistic classification: fading-memory log-likelihood ratio (ballistic vs constant velocity
   * on the vertical axis) above which a track is classed ballistic, below minus which it is
   * classed constant velocity (hysteresis).
   */
  readonly ballisticScoreThreshold: number;
  /** Memory factor of that log-likelihood ratio per measurement, in (0, 1). */
  readonly ballisticScoreMemory: number;
  /**
   * The filter: `imm` (interacting multiple models: constant velocity, ballistic, ballistic with
   * drag, manoeuvre; re-gates a radar track that jumps to another host track's target) or `cv`
   * (constant velocity with a ballistic vertical filter chosen by the score above). Default cv.
   */
  readonly filter: 'imm' | 'cv';
  /** IMM: process noise of the ballistic models, m²/s³ (the constant-velocity model uses processNoiseM2PerS3). */
  readonly immBallisticProcessNoiseM2PerS3: number;
  /** IMM: process noise of the manoeuvre model, m²/s³. */
  readonly immManoeuvreProcessNoiseM2PerS3: number;
  /** IMM: ballistic coefficient the drag model assumes, kg/m². */
  readonly immDragBallisticCoefficientKgPerM2: number;
  /** IMM: probability a model stays in force from one measurement to the next. */
  readonly immStayProbability: number;
}

/** Engagement policy, interlock bounds and timing. */
export interface EngagementConfig {
  /**
   * FIRE is emitted between `commandLeadUs` and `commandLeadUs + tickPeriodUs` before the
   * planned launch instant, so that it reaches the launcher before its execute-at time.
   */
  readonly commandLeadUs: number;
  /** Engagements are planned only for launches at most this far ahead. */
  readonly planningHorizonUs: number;
  /** Re-plan (before FIRE) or ABORT (after FIRE) when the predicted target position at the planned intercept moves this far from the aim point. */
  readonly replanToleranceM: number;
  /** A re-plan emits a new SLEW when the aim direction moved more than this. */
  readonly slewToleranceDeg: number;
  /** A launched engagement is assessed this long after the planned intercept. */
  readonly killAssessmentDelayUs: number;
  /** A FIRE without outcome this long after its launch instant fails (and the launcher is made SAFE). */
  readonly fireReportTimeoutUs: number;
  /** Smallest fused track quality (0..100) that may be engaged. */
  readonly minQualityToEngage: number;
  /** A launcher whose latest status was received longer ago than this is not ready. */
  readonly launcherStatusMaxAgeUs: number;
  /**
   * Optional cap on the launch-time error budget, us: a launcher whose time-sync uncertainty
   * exceeds min(budget, this) is not ready. null: no cap (the budget alone decides).
   */
  readonly syncBoundUs: number | null;
  /**
   * Fraction of the lethal radius a launch-time error may cost (0..1]: the launch-time error
   * budget is `launchErrorMargin · lethalRadiusM / flyout.speedMps` (launch-error-budget.ts).
   */
  readonly launchErrorMargin: number;
  /** Launch-time error budget of a launcher with no declared lethal radius, us. */
  readonly defaultSyncBudgetUs: number;
  /**
   * After a refused FIRE (any NAK) the launcher is not ready (`fire-refused`) for this long,
   * doubled per further refusal in a row up to `fireRefusalBackoffMaxUs`; a launch resets it.
   */
  readonly fireRefusalBackoffUs: number;
  readonly fireRefusalBackoffMaxUs: number;
  /** FIREs one launcher may have refused for one track before it never plans that track again. */
  readonly maxFireRefusalsPerTarget: number;
  /** Distinct operators needed to set weapons control FREE (defence in depth; the bridge checks too). */
  readonly minOperatorsForFree: number;
  /** Capacity of the engagement table (active and awaiting assessment). */
  readonly maxEngagements: number;
  /** First command id the core issues (ids never 0, increasing; ICD-CMN-008). */
  readonly firstCommandId: number;
  /** Last command id the core may issue (its reserved block ends here); past it no command goes out. */
  readonly lastCommandId: number;
  /** Aim points below this altitude are not solutions (the ground). */
  readonly minInterceptAltitudeM: number;
}

/** Intercept solver and its per-tick work budget. */
export interface SolverConfig {
  /** Samples of the intercept-time grid (bounded work per solve). */
  readonly gridSteps: number;
  /** Bisection / golden-section iterations refining a grid solution. */
  readonly refineIterations: number;
  /** Most solver runs per tick for candidate (track, launcher) pairs (plans and re-plans are extra). */
  readonly maxSolvesPerTick: number;
  /** A cached candidate solution older than this is solved again before use. */
  readonly maxSolutionAgeUs: number;
}

export const DEFAULT_TRACKING_CONFIG: TrackingConfig = {
  maxTracks: 4096,
  maxLinksPerTrack: 4,
  processNoiseM2PerS3: 0.05,
  gravityMps2: 9.80665,
  confirmHits: 2,
  coastAfterUs: 1_500_000,
  dropAfterUs: 3_000_000,
  gateSigmas: 4,
  minGateM: 50,
  minVelocityGateMps: 20,
  ballisticScoreThreshold: 6,
  ballisticScoreMemory: 0.8,
  filter: 'cv',
  immBallisticProcessNoiseM2PerS3: 0.05,
  immManoeuvreProcessNoiseM2PerS3: 300,
  immDragBallisticCoefficientKgPerM2: 5000,
  immStayProbability: 0.95,
};

export const DEFAULT_ENGAGEMENT_CONFIG: EngagementConfig = {
  commandLeadUs: 50_000,
  planningHorizonUs: 10_000_000,
  replanToleranceM: 50,
  slewToleranceDeg: 0.5,
  killAssessmentDelayUs: 1_000_000,
  fireReportTimeoutUs: 500_000,
  minQualityToEngage: 30,
  launcherStatusMaxAgeUs: 300_000,
  syncBoundUs: null,
  launchErrorMargin: 0.1,
  defaultSyncBudgetUs: 200,
  fireRefusalBackoffUs: 250_000,
  fireRefusalBackoffMaxUs: 8_000_000,
  maxFireRefusalsPerTarget: 3,
  minOperatorsForFree: 2,
  maxEngagements: 256,
  firstCommandId: 1,
  lastCommandId: 0xffff_ffff,
  minInterceptAltitudeM: 0,
};

export const DEFAULT_SOLVER_CONFIG: SolverConfig = {
  gridSteps: 64,
  refineIterations: 24,
  maxSolvesPerTick: 64,
  maxSolutionAgeUs: 200_000,
};

/** What `makeControlConfig` needs; everything not given takes the defaults above. */
export interface ControlConfigSpec {
  readonly tickPeriodUs?: number;
  readonly radars: readonly RadarConfig[];
  readonly launchers: readonly LauncherConfig[];
  readonly defendedPoints?: readonly DefendedPointConfig[];
  readonly defendedAssets?: readonly DefendedAssetConfig[];
  readonly doctrine?: Partial<DoctrineConfig>;
  readonly tracking?: Partial<TrackingConfig>;
  readonly engagement?: Partial<EngagementConfig>;
  readonly solver?: Partial<SolverConfig>;
}

/**
 * A complete, validated config from a spec and the defaults.
 * @throws ControlConfigError (code `invalid-config`) naming the first offending field.
 */
export function makeControlConfig(spec: ControlConfigSpec): ControlConfig {
  const config: ControlConfig = {
    tickPeriodUs: spec.tickPeriodUs ?? 1_000,
    radars: spec.radars,
    launchers: spec.launchers,
    defendedPoints: spec.defendedPoints ?? [],
    defendedAssets: spec.defendedAssets ?? [],
    doctrine: { ...DEFAULT_DOCTRINE_CONFIG, ...spec.doctrine },
    tracking: { ...DEFAULT_TRACKING_CONFIG, ...spec.tracking },
    engagement: { ...DEFAULT_ENGAGEMENT_CONFIG, ...spec.engagement },
    solver: { ...DEFAULT_SOLVER_CONFIG, ...spec.solver },
  };
  validateControlConfig(config);
  return config;
}
