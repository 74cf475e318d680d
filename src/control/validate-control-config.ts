import type { ControlConfig } from './control-config.js';
import { ControlConfigError } from './control-error.js';
import type { GroundArea } from './defended-assets.js';

function finite(path: string, value: number, min = -Infinity, max = Infinity): void {
  if (typeof value !== 'number' || !Number.isFinite(value))
    throw new ControlConfigError(path, 'must be a finite number');
  if (value < min || value > max) throw new ControlConfigError(path, `must be within [${min}, ${max}]`);
}

function positive(path: string, value: number): void {
  finite(path, value);
  if (!(value > 0)) throw new ControlConfigError(path, 'must be > 0');
}

function integer(path: string, value: number, min: number, max: number): void {
  finite(path, value, min, max);
  if (!Number.isInteger(value)) throw new ControlConfigError(path, 'must be an integer');
}

function uniqueIds(path: string, items: readonly { readonly id: string }[]): void {
  const seen = new Set<string>();
  items.forEach((item, i) => {
    if (typeof item.id !== 'string' || item.id.length === 0)
      throw new ControlConfigError(`${path}[${i}].id`, 'must be a non-empty string');
    if (seen.has(item.id)) throw new ControlConfigError(`${path}[${i}].id`, `duplicate id '${item.id}'`);
    seen.add(item.id);
  });
}

/**
 * Checks every field of a config; the core relies on these bounds (capacities, positive speeds,
 * drop after coast, ...).
 * @throws ControlConfigError naming the first offending field.
 */
export function validateControlConfig(config: ControlConfig): void {
  integer('tickPeriodUs', config.tickPeriodUs, 1, 10_000_000);
  uniqueIds('radars', config.radars);
  if (config.radars.length > 255) throw new ControlConfigError('radars', 'at most 255 radars');
  if (config.launchers.length === 0) throw new ControlConfigError('launchers', 'at least one launcher');
  if (config.launchers.length > 64) throw new ControlConfigError('launchers', 'at most 64 launchers');
  uniqueIds('launchers', config.launchers);
  config.launchers.forEach((l, i) => {
    const p = `launchers[${i}]`;
    finite(`${p}.position.eastM`, l.position.eastM);
    finite(`${p}.position.northM`, l.position.northM);
    finite(`${p}.position.upM`, l.position.upM);
    finite(`${p}.flyout.launchDelayMs`, l.flyout.launchDelayMs, 0, 60_000);
    positive(`${p}.flyout.speedMps`, l.flyout.speedMps);
    finite(`${p}.envelope.minRangeM`, l.envelope.minRangeM, 0);
    positive(`${p}.envelope.maxRangeM`, l.envelope.maxRangeM);
    if (l.envelope.maxRangeM <= l.envelope.minRangeM)
      throw new ControlConfigError(`${p}.envelope.maxRangeM`, 'must exceed minRangeM');
    finite(`${p}.envelope.maxAltitudeM`, l.envelope.maxAltitudeM);
    positive(`${p}.slewRateDegPerS`, l.slewRateDegPerS);
    integer(`${p}.rounds`, l.rounds, 0, 1_000_000);
    if (l.lethalRadiusM !== undefined) positive(`${p}.lethalRadiusM`, l.lethalRadiusM);
  });
  uniqueIds('defendedPoints', config.defendedPoints);
  config.defendedPoints.forEach((d, i) => {
    finite(`defendedPoints[${i}].position.eastM`, d.position.eastM);
    finite(`defendedPoints[${i}].position.northM`, d.position.northM);
    finite(`defendedPoints[${i}].position.upM`, d.position.upM);
    positive(`defendedPoints[${i}].radiusM`, d.radiusM);
  });
  validateAssets(config);
  const t = config.tracking;
  integer('tracking.maxTracks', t.maxTracks, 1, 1 << 20);
  integer('tracking.maxLinksPerTrack', t.maxLinksPerTrack, 1, 16);
  positive('tracking.processNoiseM2PerS3', t.processNoiseM2PerS3);
  finite('tracking.gravityMps2', t.gravityMps2, 0, 100);
  integer('tracking.confirmHits', t.confirmHits, 1, 1000);
  positive('tracking.coastAfterUs', t.coastAfterUs);
  positive('tracking.dropAfterUs', t.dropAfterUs);
  if (t.dropAfterUs <= t.coastAfterUs) throw new ControlConfigError('tracking.dropAfterUs', 'must exceed coastAfterUs');
  positive('tracking.gateSigmas', t.gateSigmas);
  finite('tracking.minGateM', t.minGateM, 0);
  finite('tracking.minVelocityGateMps', t.minVelocityGateMps, 0);
  positive('tracking.ballisticScoreThreshold', t.ballisticScoreThreshold);
  finite('tracking.ballisticScoreMemory', t.ballisticScoreMemory, 0, 0.999);
  if (t.filter !== 'imm' && t.filter !== 'cv') throw new ControlConfigError('tracking.filter', 'must be imm or cv');
  positive('tracking.immBallisticProcessNoiseM2PerS3', t.immBallisticProcessNoiseM2PerS3);
  positive('tracking.immManoeuvreProcessNoiseM2PerS3', t.immManoeuvreProcessNoiseM2PerS3);
  positive('tracking.immDragBallisticCoefficientKgPerM2', t.immDragBallisticCoefficientKgPerM2);
  finite('tracking.immStayProbability', t.immStayProbability, 0.5, 0.9999);
  const e = config.engagement;
  finite('engagement.commandLeadUs', e.commandLeadUs, 0);
  positive('engagement.planningHorizonUs', e.planningHorizonUs);
  positive('engagement.replanToleranceM', e.replanToleranceM);
  finite('engagement.slewToleranceDeg', e.slewToleranceDeg, 0, 180);
  finite('engagement.killAssessmentDelayUs', e.killAssessmentDelayUs, 0);
  positive('engagement.fireReportTimeoutUs', e.fireReportTimeoutUs);
  finite('engagement.minQualityToEngage', e.minQualityToEngage, 0, 100);
  positive('engagement.launcherStatusMaxAgeUs', e.launcherStatusMaxAgeUs);
  if (e.syncBoundUs !== null) positive('engagement.syncBoundUs', e.syncBoundUs);
  finite('engagement.launchErrorMargin', e.launchErrorMargin, 0, 1);
  positive('engagement.launchErrorMargin', e.launchErrorMargin);
  positive('engagement.defaultSyncBudgetUs', e.defaultSyncBudgetUs);
  positive('engagement.fireRefusalBackoffUs', e.fireRefusalBackoffUs);
  finite('engagement.fireRefusalBackoffMaxUs', e.fireRefusalBackoffMaxUs, e.fireRefusalBackoffUs, 3_600_000_000);
  integer('engagement.maxFireRefusalsPerTarget', e.maxFireRefusalsPerTarget, 1, 255);
  integer('engagement.minOperatorsForFree', e.minOperatorsForFree, 1, 16);
  integer('engagement.maxEngagements', e.maxEngagements, config.launchers.length, 1 << 16);
  integer('engagement.firstCommandId', e.firstCommandId, 1, 0xffff_ffff);
  integer('engagement.lastCommandId', e.lastCommandId, e.firstCommandId, 0xffff_ffff);
  finite('engagement.minInterceptAltitudeM', e.minInterceptAltitudeM);
  const s = config.solver;
  integer('solver.gridSteps', s.gridSteps, 4, 4096);
  integer('solver.refineIterations', s.refineIterations, 1, 64);
  integer('solver.maxSolvesPerTick', s.maxSolvesPerTick, 1, 1 << 20);
  positive('solver.maxSolutionAgeUs', s.maxSolutionAgeUs);
}

function validateArea(path: string, area: GroundArea): void {
  if (area.kind === 'circle') {
    finite(`${path}.eastM`, area.eastM);
    finite(`${path}.northM`, area.northM);
    positive(`${path}.radiusM`, area.radiusM);
    return;
  }
  if (area.kind !== 'polygon' || !Array.isArray(area.vertices) || area.vertices.length < 3)
    throw new ControlConfigError(path, 'must be a circle or a polygon of at least 3 vertices');
  area.vertices.forEach((v, i) => {
    finite(`${path}.vertices[${i}].eastM`, v.eastM);
    finite(`${path}.vertices[${i}].northM`, v.northM);
  });
}

function validateAssets(config: ControlConfig): void {
  uniqueIds('defendedAssets', [...config.defendedAssets, ...config.defendedPoints]);
  if (config.defendedAssets.length + config.defendedPoints.length > 256)
    throw new ControlConfigError('defendedAssets', 'at most 256 assets and defended points together');
  config.defendedAssets.forEach((a, i) => {
    const p = `defendedAssets[${i}]`;
    validateArea(`${p}.area`, a.area);
    finite(`${p}.minAltitudeM`, a.minAltitudeM);
    finite(`${p}.maxAltitudeM`, a.maxAltitudeM, a.minAltitudeM);
    positive(`${p}.value`, a.value);
    a.keepOut.forEach((k, j) => validateArea(`${p}.keepOut[${j}]`, k));
  });
  const d = config.doctrine;
  if (d.assignment !== 'expected-value' && d.assignment !== 'earliest-impact')
    throw new ControlConfigError('doctrine.assignment', 'must be expected-value or earliest-impact');
  integer('doctrine.maxRoundsPerThreat', d.maxRoundsPerThreat, 1, 255);
  integer('doctrine.reserveRounds', d.reserveRounds, 0, 1_000_000);
  finite('doctrine.killProbability', d.killProbability, 0, 1);
  positive('doctrine.killProbability', d.killProbability);
  integer('doctrine.maxLocalSearchMoves', d.maxLocalSearchMoves, 0, 1_000_000);
  if (d.firing !== undefined && d.firing !== 'shoot-look-shoot' && d.firing !== 'salvo')
    throw new ControlConfigError('doctrine.firing', 'must be shoot-look-shoot or salvo');
}
