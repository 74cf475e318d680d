/**
 * Builders shared by the control tests: a two-radar, two-launcher bench config and input
 * factories with sensible defaults (every input gets a per-source seq from a counter).
 */
import {
  makeControlConfig,
  type ControlConfig,
  type ControlConfigSpec,
  type LauncherConfig,
  type LauncherStatusInput,
  type OperatorCommand,
  type OperatorCommandInput,
  type TrackDropInput,
  type TrackMeasurementInput,
  type FireOutcomeInput,
  type FireOutcome,
} from '../../src/control/index.js';

export const G = 9.80665;

export function launcherConfig(
  id: string,
  eastM: number,
  northM: number,
  over: Partial<LauncherConfig> = {},
): LauncherConfig {
  return {
    id,
    position: { eastM, northM, upM: 0 },
    flyout: { launchDelayMs: 250, speedMps: 1500 },
    envelope: { minRangeM: 500, maxRangeM: 40_000, maxAltitudeM: 25_000 },
    slewRateDegPerS: 90,
    rounds: 4,
    ...over,
  };
}

export function testConfig(spec: Partial<ControlConfigSpec> = {}): ControlConfig {
  return makeControlConfig({
    radars: [{ id: 'R1' }, { id: 'R2' }],
    launchers: [launcherConfig('L1', 0, 0), launcherConfig('L2', 5_000, 0)],
    ...spec,
    tracking: { maxTracks: 256, ...spec.tracking },
    engagement: { maxEngagements: 32, ...spec.engagement },
  });
}

const seqs = new Map<string, number>();
function nextSeq(source: string): number {
  const n = (seqs.get(source) ?? 0) + 1;
  seqs.set(source, n);
  return n;
}

export interface Truth {
  eastM: number;
  northM: number;
  upM: number;
  eastMps: number;
  northMps: number;
  upMps: number;
  /** Vertical acceleration (−G for ballistic). */
  accelUpMps2?: number;
}

/** Truth propagated from t=0 to `tUs`. */
export function propagate(t: Truth, tUs: number): Truth {
  const s = tUs / 1e6;
  const a = t.accelUpMps2 ?? 0;
  return {
    eastM: t.eastM + t.eastMps * s,
    northM: t.northM + t.northMps * s,
    upM: t.upM + t.upMps * s + 0.5 * a * s * s,
    eastMps: t.eastMps,
    northMps: t.northMps,
    upMps: t.upMps + a * s,
    accelUpMps2: a,
  };
}

export function measurement(
  radarId: string,
  radarTrackId: number,
  timeUs: number,
  truth: Truth,
  over: Partial<TrackMeasurementInput> = {},
): TrackMeasurementInput {
  const p = propagate(truth, timeUs);
  return {
    kind: 'track-measurement',
    receivedAtUs: timeUs,
    sourceId: radarId,
    seq: nextSeq(radarId),
    radarId,
    radarTrackId,
    measurementTimeUs: timeUs,
    eastM: p.eastM,
    northM: p.northM,
    upM: p.upM,
    eastMps: p.eastMps,
    northMps: p.northMps,
    upMps: p.upMps,
    positionSigmaM: 5,
    velocitySigmaMps: 1,
    quality: 90,
    iff: 'hostile',
    ...over,
  };
}

export function drop(
  radarId: string,
  radarTrackId: number,
  timeUs: number,
  reason: TrackDropInput['reason'],
): TrackDropInput {
  return {
    kind: 'track-drop',
    receivedAtUs: timeUs,
    sourceId: radarId,
    seq: nextSeq(radarId),
    radarId,
    radarTrackId,
    dropTimeUs: timeUs,
    reason,
  };
}

export function launcherStatus(
  launcherId: string,
  timeUs: number,
  over: Partial<LauncherStatusInput> = {},
): LauncherStatusInput {
  return {
    kind: 'launcher-status',
    receivedAtUs: timeUs,
    sourceId: launcherId,
    seq: nextSeq(launcherId),
    launcherId,
    statusTimeUs: timeUs,
    lifecycleActive: true,
    linkFresh: true,
    timeSyncUncertaintyUs: 50,
    state: 'armed',
    roundsReady: 4,
    watchdog: 'ok',
    azimuthDeg: 0,
    elevationDeg: 10,
    ...over,
  };
}

export function fireOutcome(
  launcherId: string,
  fireCommandId: number,
  timeUs: number,
  outcome: FireOutcome,
): FireOutcomeInput {
  return {
    kind: 'fire-outcome',
    receivedAtUs: timeUs,
    sourceId: launcherId,
    seq: nextSeq(launcherId),
    launcherId,
    fireCommandId,
    outcome,
  };
}

export function operator(
  timeUs: number,
  command: OperatorCommand,
  operatorIds: readonly string[] = ['op-a', 'op-b'],
): OperatorCommandInput {
  const seq = nextSeq('operator');
  return {
    kind: 'operator-command',
    receivedAtUs: timeUs,
    sourceId: 'operator',
    seq,
    requestId: `req-${seq}`,
    operatorIds,
    command,
  };
}
