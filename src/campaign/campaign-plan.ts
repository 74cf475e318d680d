import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { parseDocument } from 'yaml';
import { canonicalJson } from '../common/canonical-json.js';
import { mulberry32 } from '../common/mulberry32.js';
import { ConfigError } from '../config/config-error.js';
import { parseScenario } from '../config/load-scenario.js';
import { applyToDocument, expandScenarioPath, parseScenarioPath, ScenarioPathError } from './scenario-paths.js';
import { currentSweepPath } from './deprecated-sweep-paths.js';
import type { ParameterValue, Sweep } from './sweep-schema.js';

/** One point of a sweep: the parameter values and the scenario text they give (base seed). */
export interface CampaignPoint {
  readonly index: number;
  /** `rangeSigmaM=10 launchers=3`, or `base` for a campaign without a sweep. */
  readonly label: string;
  readonly parameters: Readonly<Record<string, ParameterValue>>;
  readonly scenarioText: string;
}

/** One run of a campaign: a point and a seed. `key` is unique in the campaign (`p2-r17`). */
export interface PlannedRun {
  readonly key: string;
  readonly point: number;
  readonly runIndex: number;
  readonly seed: number;
}

/**
 * Everything a campaign runs, decided and validated before the first run. `id` is a hash of
 * every input that changes a run's bytes (config and scenario texts, points, first seed,
 * duration) — not of the number of runs: run i has the same seed whatever the count, so a
 * campaign grown from 20 to 200 runs keeps its 20 stored results. A result directory or queue
 * holding another id belongs to another campaign.
 */
export interface CampaignPlan {
  readonly id: string;
  /** File name the scenario is run under (it goes into each recording's manifest). */
  readonly scenarioName: string;
  readonly configName: string;
  readonly configText: string;
  readonly baseSeed: number;
  readonly parameterNames: readonly string[];
  readonly points: readonly CampaignPoint[];
  /** Seed of run i at every point: the scenario's seed + i (common random numbers across points). */
  readonly seeds: readonly number[];
  readonly durationS: number | null;
  readonly runs: readonly PlannedRun[];
}

/** One invalid point: which, and the field the scenario schema (or the path) refused. */
export interface PlanIssue {
  readonly point: number;
  readonly label: string;
  readonly field: string;
  readonly message: string;
}

/** A campaign that cannot start: every invalid point, each naming its field. Nothing ran. */
export class CampaignPlanError extends Error {
  readonly code = 'campaign-plan';
  constructor(readonly issues: readonly PlanIssue[]) {
    super(
      issues
        .slice(0, 20)
        .map((i) => `sweep point ${i.point} (${i.label}): ${i.field ? `${i.field}: ` : ''}${i.message}`)
        .join('\n') + (issues.length > 20 ? `\n… and ${issues.length - 20} more` : ''),
    );
    this.name = 'CampaignPlanError';
  }
}

/** Inputs of {@link planCampaign}. */
export interface PlanInputs {
  readonly configFile: string;
  readonly scenarioFile: string;
  /** Seeds per point (>= 1). */
  readonly runs: number;
  readonly durationS?: number;
  readonly sweep?: Sweep;
}

/** Read the files, expand the sweep into points, validate every point's scenario. Throws CampaignPlanError. */
export async function planCampaign(inputs: PlanInputs): Promise<CampaignPlan> {
  const [configText, scenarioText] = await Promise.all([
    readFile(inputs.configFile, 'utf8'),
    readFile(inputs.scenarioFile, 'utf8'),
  ]);
  return planCampaignFromText({ ...inputs, configText, scenarioText });
}

/** As planCampaign, from texts already read. Pure. */
export function planCampaignFromText(
  inputs: PlanInputs & { readonly configText: string; readonly scenarioText: string },
): CampaignPlan {
  const scenarioName = basename(inputs.scenarioFile);
  const base = parseScenario(inputs.scenarioFile, inputs.scenarioText); // throws ConfigError: a usage error
  const points: CampaignPoint[] = [];
  const issues: PlanIssue[] = [];
  const combos = inputs.sweep === undefined ? [{}] : sweepCombos(inputs.sweep, base.seed);
  const root: unknown = parseDocument(inputs.scenarioText).toJS();
  combos.forEach((parameters, index) => {
    const label = pointLabel(parameters);
    try {
      const text = inputs.sweep === undefined ? inputs.scenarioText : pointText(inputs, root, parameters);
      parseScenario(`${scenarioName} at point ${index}`, text);
      points.push({ index, label, parameters, scenarioText: text });
    } catch (error) {
      if (error instanceof ConfigError)
        for (const issue of error.issues)
          issues.push({ point: index, label, field: issue.path, message: issue.message });
      else if (error instanceof ScenarioPathError)
        issues.push({ point: index, label, field: '', message: error.message });
      else throw error;
    }
  });
  if (issues.length > 0) throw new CampaignPlanError(issues);
  if (base.seed + inputs.runs - 1 > Number.MAX_SAFE_INTEGER)
    throw new CampaignPlanError([
      { point: 0, label: 'base', field: 'seed', message: 'seed + runs exceeds the largest safe integer' },
    ]);
  const seeds = Array.from({ length: inputs.runs }, (_, i) => base.seed + i);
  const runs: PlannedRun[] = [];
  for (const point of points)
    seeds.forEach((seed, runIndex) =>
      runs.push({ key: `p${point.index}-r${runIndex}`, point: point.index, runIndex, seed }),
    );
  const durationS = inputs.durationS ?? inputs.sweep?.durationS ?? null;
  const id = createHash('sha256')
    .update(
      canonicalJson(
        {
          configText: inputs.configText,
          scenarioName,
          points: points.map((p) => p.scenarioText),
          baseSeed: base.seed,
          durationS,
        },
        'finite',
      ),
    )
    .digest('hex')
    .slice(0, 16);
  return {
    id,
    scenarioName,
    configName: basename(inputs.configFile),
    configText: inputs.configText,
    baseSeed: base.seed,
    parameterNames: inputs.sweep?.parameters.map((p) => p.name) ?? [],
    points,
    seeds,
    durationS,
    runs,
  };
}

/**
 * The scenario text of one run: the point's text with the run's seed. The seed line is left
 * untouched when it already matches, so run 0 of a campaign without a sweep runs the scenario
 * file byte for byte (its recording equals `shieldlink run`'s).
 */
export function scenarioTextForSeed(pointText: string, seed: number): string {
  const doc = parseDocument(pointText);
  if (doc.get('seed') === seed) return pointText;
  doc.set('seed', seed);
  return String(doc);
}

function pointText(
  inputs: { readonly scenarioText: string; readonly sweep?: Sweep },
  root: unknown,
  parameters: Readonly<Record<string, ParameterValue>>,
): string {
  const doc = parseDocument(inputs.scenarioText);
  // Truncations first (from the longest path), so a `launchers.length` does not shift an index
  // another parameter names; then values.
  const ordered = [...inputs.sweep!.parameters].sort((a, b) => Number(isLength(b.path)) - Number(isLength(a.path)));
  for (const parameter of ordered) {
    // A duration swept under its deprecated name (in ms or us) on a scenario written in seconds.
    const { path, value } = currentSweepPath(root, parameter.path, parameters[parameter.name]);
    const targets = expandScenarioPath(root, path, parseScenarioPath(path));
    applyToDocument(doc, targets, value, parameter.name);
  }
  return String(doc);
}

const isLength = (path: string): boolean => path.endsWith('.length');

/** The points of a sweep: a grid (last parameter fastest) or seeded uniform samples. */
export function sweepCombos(sweep: Sweep, defaultSeed: number): Record<string, ParameterValue>[] {
  if (sweep.sampling === 'grid') {
    let combos: Record<string, ParameterValue>[] = [{}];
    for (const p of sweep.parameters) combos = combos.flatMap((c) => p.values!.map((v) => ({ ...c, [p.name]: v })));
    return combos;
  }
  const random = mulberry32(sweep.sampling.random.seed ?? defaultSeed);
  return Array.from({ length: sweep.sampling.random.samples }, () => {
    const combo: Record<string, ParameterValue> = {};
    for (const p of sweep.parameters) {
      if (p.values !== undefined)
        combo[p.name] = p.values[Math.min(p.values.length - 1, Math.floor(random() * p.values.length))]!;
      else {
        const { min, max, integer } = p.range!;
        combo[p.name] = integer
          ? Math.ceil(min) + Math.floor(random() * (Math.floor(max) - Math.ceil(min) + 1))
          : min + random() * (max - min);
      }
    }
    return combo;
  });
}

function pointLabel(parameters: Readonly<Record<string, ParameterValue>>): string {
  const entries = Object.entries(parameters);
  if (entries.length === 0) return 'base';
  return entries.map(([k, v]) => `${k}=${typeof v === 'number' ? formatValue(v) : String(v)}`).join(' ');
}

function formatValue(v: number): string {
  return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(4)));
}
