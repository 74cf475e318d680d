import { readFile, stat } from 'node:fs/promises';
import { GeoError, LocalFrame } from '../../geo/index.js';
import type { LedgerPolicy, OwnEyesSource, OwnRadarReport } from '../../ledger/index.js';
import { readRunFile, RunFileError } from '../../record/run-reader.js';
import { UsageError } from '../command.js';

/** Largest partner run file `verify --own-radar` reads. */
const MAX_RUN_BYTES = 1 << 30;

/** What `--own-radar` and its companions give. */
export interface OwnRadarOptions {
  /** The partner's own run file (its radar's track reports, its run clock). */
  readonly runFile: string;
  /** `LAT,LON,HEIGHT` of the partner's site (the origin of its run's ENU frame). */
  readonly site: string;
  /** The slant range its radar covers, km. */
  readonly rangeKm: string;
  /** Wall time of the partner run's clock 0, Unix µs; default: the header of `<run>.mqtt.jsonl`. */
  readonly epochUs: string | undefined;
}

/** A partner run that cannot serve as its own eyes (unreadable, not a run file, no epoch). */
export class OwnRadarError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OwnRadarError';
  }
}

/**
 * Load the partner's own radar reports from its run file (every `track-measurement` input, in
 * time order: its own radars only — shared partner tracks are other inputs) and build the
 * source `verifyLedger` maps the node's claims through: node ENU → ECEF → partner ENU (src/geo,
 * exact), node run clock → wall clock (the node's declared epoch) → partner run clock. Throws
 * UsageError for a bad option, OwnRadarError for a run file that cannot be used.
 */
export async function loadOwnRadar(options: OwnRadarOptions, policy: LedgerPolicy): Promise<OwnEyesSource> {
  const partnerFrame = frameOf(parseSite(options.site), '--own-site');
  const rangeKm = Number(options.rangeKm);
  if (!Number.isFinite(rangeKm) || rangeKm <= 0 || rangeKm > 5000)
    throw new UsageError(`--own-range-km: expected a range in (0, 5000] km, got '${options.rangeKm}'`);
  const partnerEpochUs =
    options.epochUs === undefined ? await epochFromMqttLog(options.runFile) : parseEpoch(options.epochUs);
  let size: number;
  try {
    size = (await stat(options.runFile)).size;
  } catch (error) {
    throw new OwnRadarError(`cannot read ${options.runFile} (${(error as NodeJS.ErrnoException).code})`);
  }
  if (size > MAX_RUN_BYTES)
    throw new OwnRadarError(`${options.runFile} is ${size} bytes, over the ${MAX_RUN_BYTES} limit`);
  let run;
  try {
    run = await readRunFile(options.runFile);
  } catch (error) {
    throw new OwnRadarError(error instanceof RunFileError ? error.message : String(error));
  }
  const reports: OwnRadarReport[] = [];
  let fromUs = Infinity;
  let toUs = -Infinity;
  for (const record of run.records) {
    if (record.kind !== 'tick') continue;
    fromUs = Math.min(fromUs, record.nowUs);
    toUs = Math.max(toUs, record.nowUs);
    for (const input of record.inputs) {
      const report = asReport(input);
      if (report !== null) reports.push(report);
    }
  }
  if (reports.length === 0) throw new OwnRadarError(`${options.runFile} holds no report of the partner's own radar`);
  reports.sort((a, b) => a.timeUs - b.timeUs);
  const gate = {
    chi2: policy.ownRadar.gateChi2,
    claimSigmaM: policy.ownRadar.claimSigmaM,
    claimSigmaMps: policy.ownRadar.claimSigmaMps,
    windowUs: policy.ownRadar.windowS * 1e6,
  };
  return (config) => {
    if (config === null) return 'the ledger does not start with the node config';
    if (config.site === undefined) return 'the node declared no site: its claims cannot be placed';
    if (typeof config.epochUs !== 'number' || !Number.isFinite(config.epochUs))
      return 'the node declared no clock epoch: its claims cannot be timed';
    let nodeFrame: LocalFrame;
    try {
      nodeFrame = new LocalFrame(config.site);
    } catch (error) {
      return `the node's declared site is not a place (${error instanceof GeoError ? error.message : String(error)})`;
    }
    const nodeEpochUs = config.epochUs;
    return {
      reports,
      coverageRangeM: rangeKm * 1000,
      recordedFromUs: fromUs,
      recordedToUs: toUs,
      partnerTimeUs: (nodeUs) => nodeUs + nodeEpochUs - partnerEpochUs,
      toPartnerPoint: (p) => partnerFrame.enuFromFrame(nodeFrame, p),
      toPartnerVector: (v) => partnerFrame.vectorFromFrame(nodeFrame, v),
      gate: { ...gate, gravityMps2: typeof config.gravityMps2 === 'number' ? config.gravityMps2 : 9.80665 },
    };
  };
}

function asReport(input: unknown): OwnRadarReport | null {
  const r = input as Record<string, unknown> | null;
  if (typeof r !== 'object' || r === null || r['kind'] !== 'track-measurement') return null;
  const numbers = ['measurementTimeUs', 'eastM', 'northM', 'upM', 'eastMps', 'northMps', 'upMps'] as const;
  if (!numbers.every((k) => typeof r[k] === 'number' && Number.isFinite(r[k]))) return null;
  const sigma = (k: string): number => (typeof r[k] === 'number' && (r[k] as number) > 0 ? (r[k] as number) : NaN);
  const report: OwnRadarReport = {
    radarId: String(r['radarId']),
    radarTrackId: Number(r['radarTrackId']),
    timeUs: r['measurementTimeUs'] as number,
    eastM: r['eastM'] as number,
    northM: r['northM'] as number,
    upM: r['upM'] as number,
    eastMps: r['eastMps'] as number,
    northMps: r['northMps'] as number,
    upMps: r['upMps'] as number,
    positionSigmaM: sigma('positionSigmaM'),
    velocitySigmaMps: sigma('velocitySigmaMps'),
    iff: typeof r['iff'] === 'string' ? r['iff'] : 'unknown',
  };
  return Number.isNaN(report.positionSigmaM) || Number.isNaN(report.velocitySigmaMps) ? null : report;
}

function parseSite(text: string): { latDeg: number; lonDeg: number; heightM: number } {
  const parts = text.split(',').map((s) => Number(s.trim()));
  if (parts.length !== 3 || !parts.every(Number.isFinite))
    throw new UsageError(`--own-site: expected LAT,LON,HEIGHT (degrees, degrees, metres), got '${text}'`);
  return { latDeg: parts[0]!, lonDeg: parts[1]!, heightM: parts[2]! };
}

function frameOf(site: { latDeg: number; lonDeg: number; heightM: number }, what: string): LocalFrame {
  try {
    return new LocalFrame(site);
  } catch (error) {
    throw new UsageError(`${what}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function parseEpoch(text: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < 0) throw new UsageError(`--own-epoch-us: expected Unix µs, got '${text}'`);
  return n;
}

/** `epochUs` of the MQTT log header beside the run file (`<name>.mqtt.jsonl`). */
async function epochFromMqttLog(runFile: string): Promise<number> {
  const log = runFile.replace(/\.run$/, '') + '.mqtt.jsonl';
  let first: string;
  try {
    const text = await readFile(log, 'utf8');
    const end = text.indexOf('\n');
    first = end < 0 ? text : text.slice(0, end);
  } catch {
    throw new OwnRadarError(`no ${log} beside the run file to take its clock epoch from: give --own-epoch-us`);
  }
  try {
    const header = JSON.parse(first) as { kind?: unknown; epochUs?: unknown };
    if (header.kind === 'mqtt-log' && typeof header.epochUs === 'number' && Number.isFinite(header.epochUs))
      return header.epochUs;
  } catch {
    // fall through
  }
  throw new OwnRadarError(`${log} has no mqtt-log header with epochUs: give --own-epoch-us`);
}
