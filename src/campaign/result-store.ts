import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { type CampaignPlan, scenarioTextForSeed } from './campaign-plan.js';
import type { RunOutcome } from './run-spec.js';

export const CAMPAIGN_FORMAT = 'shieldlink-campaign/1';

/** The directory holds another campaign (other inputs): resume would mix two campaigns. */
export class CampaignStoreMismatchError extends Error {
  readonly code = 'campaign-store-mismatch';
  constructor(
    readonly dir: string,
    readonly storedId: string,
    readonly id: string,
  ) {
    super(
      `${dir} holds campaign ${storedId}, not this one (${id}): other config, scenario, sweep, seeds or duration. ` +
        `Use another --out, or --fresh to discard the stored results`,
    );
    this.name = 'CampaignStoreMismatchError';
  }
}

/** A stored run: the outcome without its recording (that goes to `recordings/<key>.run`). */
export type StoredOutcome = Omit<RunOutcome, 'recordingGzipBase64'> & { readonly recordingFile: string | null };

/**
 * A campaign's result directory:
 *
 * - `campaign.json` — the plan (id, points, parameters, seeds, duration);
 * - `points/p<N>.yaml` — each point's scenario (base seed);
 * - `results.jsonl` — one line per finished run, appended (synchronously) as each run ends, so
 *   an interrupted campaign loses at most the runs in flight; a cut last line is ignored;
 * - `recordings/<key>.run` and `recordings/<key>.yaml` (its scenario, seed included: re-run it
 *   with `shieldlink run --scenario`) — for failed runs, and for every run on request.
 *
 * Runs stored as `ok` or `safety-fail` are done; `error` runs (a crash, an exception) are run
 * again on resume.
 */
export class CampaignResultStore {
  private readonly done = new Map<string, StoredOutcome>();
  private readonly resultsFile: string;

  private constructor(
    readonly dir: string,
    private readonly plan: CampaignPlan,
  ) {
    this.resultsFile = join(dir, 'results.jsonl');
  }

  /** Open (or create) the store for `plan`; `fresh` discards results of any earlier campaign there. */
  static open(dir: string, plan: CampaignPlan, options: { fresh?: boolean } = {}): CampaignResultStore {
    const store = new CampaignResultStore(dir, plan);
    const meta = join(dir, 'campaign.json');
    if (existsSync(meta)) {
      const stored = JSON.parse(readFileSync(meta, 'utf8')) as { id?: string };
      if (stored.id !== plan.id) {
        if (options.fresh !== true) throw new CampaignStoreMismatchError(dir, String(stored.id), plan.id);
      }
    }
    if (options.fresh === true) {
      for (const name of ['results.jsonl', 'recordings', 'points', 'campaign.json'])
        rmSync(join(dir, name), { recursive: true, force: true });
    }
    mkdirSync(join(dir, 'points'), { recursive: true });
    writeFileSync(
      meta,
      JSON.stringify(
        {
          format: CAMPAIGN_FORMAT,
          id: plan.id,
          scenario: plan.scenarioName,
          config: plan.configName,
          parameters: plan.parameterNames,
          points: plan.points.map((p) => ({ index: p.index, label: p.label, parameters: p.parameters })),
          seeds: plan.seeds,
          durationS: plan.durationS,
          runs: plan.runs.length,
        },
        null,
        2,
      ) + '\n',
    );
    for (const point of plan.points) writeFileSync(join(dir, 'points', `p${point.index}.yaml`), point.scenarioText);
    store.load();
    return store;
  }

  /** Runs already finished (`ok` or `safety-fail`), by key. */
  results(): ReadonlyMap<string, StoredOutcome> {
    return this.done;
  }

  has(key: string): boolean {
    return this.done.has(key);
  }

  /**
   * Store one outcome (a second outcome for a stored key is ignored: every run is reported
   * exactly once). Writes the recording when it came back. Returns what was stored, or null
   * for a duplicate.
   */
  add(outcome: RunOutcome): StoredOutcome | null {
    if (this.done.has(outcome.key)) return null;
    let recordingFile: string | null = null;
    if (outcome.recordingGzipBase64 !== null) {
      mkdirSync(join(this.dir, 'recordings'), { recursive: true });
      recordingFile = join('recordings', `${outcome.key}.run`);
      writeFileSync(join(this.dir, recordingFile), gunzipSync(Buffer.from(outcome.recordingGzipBase64, 'base64')));
      const point = this.plan.points[outcome.point];
      if (point !== undefined)
        writeFileSync(
          join(this.dir, 'recordings', `${outcome.key}.yaml`),
          scenarioTextForSeed(point.scenarioText, outcome.seed),
        );
    }
    const { recordingGzipBase64: _dropped, ...rest } = outcome;
    const stored: StoredOutcome = { ...rest, recordingFile };
    appendFileSync(this.resultsFile, JSON.stringify(stored) + '\n');
    if (stored.status !== 'error') this.done.set(stored.key, stored);
    return stored;
  }

  /** Every stored outcome in plan order, the latest per key (errors included when no success). */
  all(): StoredOutcome[] {
    const latest = new Map<string, StoredOutcome>();
    for (const o of this.readLines()) if (!this.done.has(o.key) || o.status !== 'error') latest.set(o.key, o);
    for (const [key, o] of this.done) latest.set(key, o);
    return this.plan.runs.map((r) => latest.get(r.key)).filter((o): o is StoredOutcome => o !== undefined);
  }

  private load(): void {
    // A line cut by an interruption: drop it, so the next append starts on a line of its own.
    if (existsSync(this.resultsFile)) {
      const text = readFileSync(this.resultsFile, 'utf8');
      if (text.length > 0 && !text.endsWith('\n'))
        truncateSync(this.resultsFile, Buffer.byteLength(text.slice(0, text.lastIndexOf('\n') + 1)));
    }
    const keys = new Set(this.plan.runs.map((r) => r.key));
    for (const o of this.readLines())
      if (o.status !== 'error' && keys.has(o.key) && !this.done.has(o.key)) this.done.set(o.key, o);
  }

  private readLines(): StoredOutcome[] {
    if (!existsSync(this.resultsFile)) return [];
    const lines = readFileSync(this.resultsFile, 'utf8').split('\n');
    const out: StoredOutcome[] = [];
    lines.forEach((line, index) => {
      if (line.trim() === '') return;
      try {
        out.push(JSON.parse(line) as StoredOutcome);
      } catch {
        if (index < lines.length - 1) throw new Error(`${this.resultsFile}:${index + 1}: not a result line`);
      }
    });
    return out;
  }
}
