import type { RadarSite } from './report-input.js';

/** A launcher as the plan view and the timeline need it. */
export interface LauncherSite {
  readonly id: string;
  readonly eastM: number;
  readonly northM: number;
  readonly upM: number;
  readonly minRangeM: number | null;
  readonly maxRangeM: number | null;
  readonly maxAltitudeM: number | null;
  readonly rounds: number | null;
}

/** A defended point of the core config. */
export interface DefendedPointSite {
  readonly id: string;
  readonly eastM: number;
  readonly northM: number;
  readonly radiusM: number;
}

/** Where things stand on the bench, read from the run's core config. */
export interface SiteLayout {
  readonly launchers: readonly LauncherSite[];
  readonly radars: readonly RadarSite[];
  readonly defendedPoints: readonly DefendedPointSite[];
}

type Loose = Record<string, unknown>;

const isObject = (value: unknown): value is Loose => typeof value === 'object' && value !== null;
const finiteOr = <T>(value: unknown, fallback: T): number | T =>
  typeof value === 'number' && Number.isFinite(value) ? value : fallback;

/**
 * Read launcher, radar and defended-point positions from a manifest's `coreConfig` (typed
 * `unknown` in the run file format: a recording from another version may lack fields, so every
 * field is checked and missing ones become null rather than an error). Radars given by the
 * caller (from the scenario) win over the core config, which usually carries ids only.
 */
export function siteLayoutFrom(coreConfig: unknown, radars: readonly RadarSite[] = []): SiteLayout {
  const config = isObject(coreConfig) ? coreConfig : {};
  const launchers: LauncherSite[] = [];
  for (const raw of Array.isArray(config.launchers) ? (config.launchers as unknown[]) : []) {
    if (!isObject(raw) || typeof raw.id !== 'string') continue;
    const position = isObject(raw.position) ? raw.position : {};
    const envelope = isObject(raw.envelope) ? raw.envelope : {};
    launchers.push({
      id: raw.id,
      eastM: finiteOr(position.eastM, 0),
      northM: finiteOr(position.northM, 0),
      upM: finiteOr(position.upM, 0),
      minRangeM: finiteOr(envelope.minRangeM, null),
      maxRangeM: finiteOr(envelope.maxRangeM, null),
      maxAltitudeM: finiteOr(envelope.maxAltitudeM, null),
      rounds: finiteOr(raw.rounds, null),
    });
  }
  const configRadars: RadarSite[] = [];
  for (const raw of Array.isArray(config.radars) ? (config.radars as unknown[]) : []) {
    if (!isObject(raw) || typeof raw.id !== 'string' || !isObject(raw.position)) continue;
    configRadars.push({
      id: raw.id,
      eastM: finiteOr(raw.position.eastM, 0),
      northM: finiteOr(raw.position.northM, 0),
      upM: finiteOr(raw.position.upM, 0),
    });
  }
  const defendedPoints: DefendedPointSite[] = [];
  for (const raw of Array.isArray(config.defendedPoints) ? (config.defendedPoints as unknown[]) : []) {
    if (!isObject(raw) || typeof raw.id !== 'string' || !isObject(raw.position)) continue;
    defendedPoints.push({
      id: raw.id,
      eastM: finiteOr(raw.position.eastM, 0),
      northM: finiteOr(raw.position.northM, 0),
      radiusM: finiteOr(raw.radiusM, 0),
    });
  }
  return { launchers, radars: radars.length > 0 ? radars : configRadars, defendedPoints };
}
