import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
// The one import of the run composition: a campaign run is `shieldlink run --virtual-time`.
import { runBench } from '../compose/run-bench.js';
import { loadBenchConfig } from '../config/load-bench-config.js';
import { evaluateMeasurements } from '../session/evaluate-measurements.js';
import { RunStatistics } from '../session/run-statistics.js';
import { RealClock } from '../time/real-clock.js';
import type { RunFigures, RunOutcome, RunSpec } from './run-spec.js';
import { parseRunSpec } from './run-spec-schema.js';

const gzipAsync = promisify(gzip);

/** Largest gzip'd recording a run sends back (a queue job's result lives in Redis). */
export const MAX_RECORDING_GZIP_BYTES = 16 * 1024 * 1024;

/**
 * Run one campaign run as `shieldlink run --virtual-time --broker none` runs a scenario: the
 * in-process simulator in lockstep, recorded and with its truth log, in a directory of its own
 * under `workDir` (`<key>.XXXXXX`, removed afterwards): a queue may hand one worker the same run
 * twice at once (a lock that lapsed on a loaded machine), and two executions must not share
 * files. Never throws for a run that fails: a thrown run is an `error` outcome,
 * a non-zero safety counter a `safety-fail` one. The recording comes back gzip'd when the run
 * failed or `spec.keepRecording` asks for it.
 */
export async function executeRun(untrusted: RunSpec, workDir: string, worker: string): Promise<RunOutcome> {
  const wall = new RealClock();
  // Names become file names under workDir: checked here too, whoever built the spec.
  const spec = parseRunSpec(untrusted);
  const base = { key: spec.key, point: spec.point, runIndex: spec.runIndex, seed: spec.seed, worker };
  const stem = spec.scenarioName.replace(/\.ya?ml$/, '');
  let dir: string | undefined;
  let recordFile: string | undefined;
  try {
    await mkdir(workDir, { recursive: true });
    dir = await mkdtemp(join(workDir, `${spec.key}.`));
    recordFile = join(dir, `${stem}.run`);
    const truthFile = join(dir, `${stem}.truth.jsonl`);
    const configFile = join(dir, spec.configName);
    const scenarioFile = join(dir, spec.scenarioName);
    await writeFile(configFile, spec.configText);
    await writeFile(scenarioFile, spec.scenarioText);
    const loaded = await loadBenchConfig(configFile);
    if (!(loaded.config.simulator.enabled && loaded.config.simulator.placement === 'in-process'))
      throw new Error(`${spec.configName}: a campaign needs the in-process simulator (virtual time)`);
    const statistics = new RunStatistics();
    const result = await runBench({
      loaded,
      scenarioFile,
      virtualTime: true,
      ...(spec.durationS === null ? {} : { durationS: spec.durationS }),
      recordFile,
      truthFile,
      broker: 'none',
      observers: [{ onBusyTick: (record) => statistics.addTick(record) }],
    });
    const summary = result.summary;
    const truthText = await readFile(truthFile, 'utf8');
    const launchErrorsUs: number[] = [];
    for (const line of truthText.split('\n')) {
      if (!line.includes('"kind":"launch"')) continue;
      const r = JSON.parse(line) as { kind: string; executedUs: number; commandId: number };
      if (r.kind !== 'launch') continue;
      const planned = statistics.fires.get(r.commandId);
      if (planned !== undefined) launchErrorsUs.push(r.executedUs + result.truthEpochHostUs - planned.launchAtHostUs);
    }
    const measurements = evaluateMeasurements(summary, result.scenario.measurements);
    const figures: RunFigures = {
      hostiles: summary.hostiles,
      hostilesInEnvelope: summary.hostilesInEnvelope,
      intercepted: summary.intercepted,
      interceptRatio: summary.interceptRatio,
      leakers: summary.leakers,
      friendliesEngaged: summary.friendliesEngaged,
      launches: summary.launches,
      firesPlanned: summary.firesPlanned,
      engagements: summary.engagements,
      safety: summary.safety,
      launchErrorsUs,
      reactionsMs: statistics.reactionUs.map((us) => us / 1000),
      measurementsFailed: measurements.filter((m) => !m.pass).map((m) => m.name),
      simulatedS: summary.simulatedS,
    };
    const safe = Object.values(summary.safety).every((n) => n === 0);
    const recording = safe && !spec.keepRecording ? null : await gzipRecording(recordFile);
    return {
      ...base,
      status: safe ? 'ok' : 'safety-fail',
      figures,
      digests: {
        recordingSha256: summary.recordingSha256!,
        outputsSha256: summary.outputsSha256!,
        truthSha256: createHash('sha256').update(truthText).digest('hex'),
      },
      error: null,
      wallS: wall.nowUs() / 1e6,
      recordingGzipBase64: recording,
    };
  } catch (error) {
    return {
      ...base,
      status: 'error',
      figures: null,
      digests: null,
      error: error instanceof Error ? error.message : String(error),
      wallS: wall.nowUs() / 1e6,
      recordingGzipBase64: recordFile === undefined ? null : await gzipRecording(recordFile).catch(() => null),
    };
  } finally {
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  }
}

async function gzipRecording(file: string): Promise<string | null> {
  const zipped = await gzipAsync(await readFile(file));
  return zipped.length <= MAX_RECORDING_GZIP_BYTES ? zipped.toString('base64') : null;
}
