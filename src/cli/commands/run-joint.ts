import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { LoadedBenchConfig } from '../../config/load-bench-config.js';
import type { Scenario } from '../../config/scenario-schema.js';
import { jointMeasuresOf } from '../../compose/joint-measures.js';
import { type MeasurementResult, evaluateMeasurements } from '../../session/evaluate-measurements.js';
import type { RunSummary } from '../../session/run-summary.js';
import { JOINT_MODES, type JointMode, type JointRunResult, runJoint } from '../../compose/run-joint.js';
import type { RunPictureQuality } from '../../session/run-picture-quality.js';
import { writeJointReport } from './joint-report-file.js';
import { runJointRealTimeCommand } from './run-joint-real-time.js';
import { type CommandIo, EXIT_OK, EXIT_VERDICT_FAIL, UsageError } from '../command.js';

/** What `run` hands over for a scenario with `nodes:`. */
export interface RunJointCommandInput {
  readonly values: {
    readonly duration?: string | undefined;
    readonly json?: boolean | undefined;
    readonly quiet?: boolean | undefined;
    readonly junit?: string | undefined;
    readonly 'joint-mode'?: string | undefined;
    readonly 'compare-joint'?: boolean | undefined;
    readonly brokers?: string | undefined;
  };
  readonly loaded: LoadedBenchConfig;
  readonly scenarioFile: string;
  readonly scenario: Scenario;
  readonly virtualTime: boolean;
  readonly io: CommandIo;
}

/**
 * `shieldlink run --scenario <joint scenario>`: every node in one process in virtual time (see
 * runJoint). Writes `<name>.<node>.run` (+ truth, ledger) per node and `<name>.joint.json` in the
 * config's output directory; prints per-node and joint figures and the scenario's measurements per
 * node (`--junit FILE`: one test suite per node). Exit 0 when every node's safety counters are 0
 * and every node meets every measurement's limits, else 1.
 */
export async function runJointCommand(input: RunJointCommandInput): Promise<number> {
  const { values, loaded, scenarioFile, scenario, io } = input;
  // Real time: one process per node, supervised (run-joint-real-time.ts).
  if (!input.virtualTime)
    return runJointRealTimeCommand({
      values,
      configFile: loaded.file,
      scenarioFile,
      scenario,
      outputDir: loaded.resolvePath(loaded.config.output.dir),
      io,
    });
  if (values.brokers !== undefined) throw new UsageError('--brokers applies to --real-time only');
  const durationS = values.duration === undefined ? undefined : Number(values.duration);
  const modeArg = values['joint-mode'];
  const mode = JOINT_MODES.find((m) => m === modeArg);
  if (modeArg !== undefined && mode === undefined)
    throw new UsageError(`--joint-mode: expected one of ${JOINT_MODES.join(', ')}, got '${modeArg}'`);
  if (modeArg !== undefined && values['compare-joint'])
    throw new UsageError('--joint-mode and --compare-joint exclude each other');
  const outputDir = loaded.resolvePath(loaded.config.output.dir);
  await mkdir(outputDir, { recursive: true });
  const interrupt = new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  const name = scenarioFile.replace(/^.*\//, '').replace(/\.ya?ml$/, '');
  const modes: readonly JointMode[] = values['compare-joint'] ? JOINT_MODES : [mode ?? 'linked'];
  const results: JointRunResult[] = [];
  for (const m of modes) {
    // Compared modes' recordings go in their own subdirectory; the first mode's stay in place.
    const dir = m === modes[0] ? outputDir : join(outputDir, m);
    await mkdir(dir, { recursive: true });
    results.push(
      await runJoint({
        loaded,
        scenarioFile,
        scenario,
        outputDir: dir,
        interrupt,
        mode: m,
        ...(durationS === undefined ? {} : { durationS }),
      }),
    );
  }
  const main = results[0]!;
  const figures = { ...jointFigures(main), comparison: results.map((r) => ({ mode: r.mode, ...r.outcome })) };
  await writeFile(join(outputDir, `${name}.joint.json`), JSON.stringify(figures, null, 2) + '\n');
  await writeJointReport(main, scenario, join(outputDir, `${name}.joint.report.html`));
  if (values.json) io.stdout.write(JSON.stringify(figures) + '\n');
  else if (!values.quiet) {
    io.stdout.write(formatJointTable(main, join(outputDir, `${name}.<node>.run`)));
    io.stdout.write(formatComparison(results));
    io.stdout.write(`joint report (nodes side by side): ${join(outputDir, `${name}.joint.report.html`)}\n`);
  }
  const measured = jointMeasurements(main, scenario);
  if (values.junit !== undefined) await writeFile(values.junit, jointJunit(main, measured));
  if (!values.json && !values.quiet)
    for (const n of measured)
      for (const m of n.measurements) io.stdout.write(`measurement  ${n.nodeId}: ${m.message}\n`);
  const safe = results.every((r) => r.nodes.every((n) => Object.values(n.run.summary.safety).every((v) => v === 0)));
  const pass = measured.every((n) => n.measurements.every((m) => m.pass));
  return safe && pass ? EXIT_OK : EXIT_VERDICT_FAIL;
}

/**
 * The scenario's measurements, per node: `joint.*` paths read the node's joint figures
 * ({@link jointMeasuresOf}), every other path the node's own run summary.
 */
export function jointMeasurements(
  result: JointRunResult,
  scenario: Scenario,
): { nodeId: string; measurements: MeasurementResult[] }[] {
  return result.nodes.map((n) => {
    const figures: RunSummary = { ...n.run.summary, joint: jointMeasuresOf(n, result) } as RunSummary;
    return { nodeId: n.nodeId, measurements: evaluateMeasurements(figures, scenario.measurements) };
  });
}

const escapeXml = (text: string): string =>
  text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);

/** JUnit XML of a joint run: one test suite per node, one case per safety counter and per measurement. */
export function jointJunit(
  result: JointRunResult,
  measured: readonly { nodeId: string; measurements: readonly MeasurementResult[] }[],
): string {
  const suites = result.nodes.map((n, i) => {
    const cases = [
      ...Object.entries(n.run.summary.safety).map(([counter, value]) => ({
        name: `safety.${counter} == 0`,
        failure: value === 0 ? null : `safety.${counter} = ${value} (counted from the simulator's truth)`,
      })),
      ...measured[i]!.measurements.map((m) => ({ name: m.name, failure: m.pass ? null : m.message })),
    ];
    return { name: escapeXml(`shieldlink ${result.scenario} ${n.nodeId}`), cases };
  });
  const tests = suites.reduce((a, s) => a + s.cases.length, 0);
  const failures = suites.reduce((a, s) => a + s.cases.filter((c) => c.failure !== null).length, 0);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="shieldlink" tests="${tests}" failures="${failures}" time="${result.wallS.toFixed(3)}">`,
  ];
  for (const suite of suites) {
    const f = suite.cases.filter((c) => c.failure !== null).length;
    lines.push(`  <testsuite name="${suite.name}" tests="${suite.cases.length}" failures="${f}">`);
    for (const c of suite.cases)
      lines.push(
        c.failure === null
          ? `    <testcase classname="${suite.name}" name="${escapeXml(c.name)}"/>`
          : `    <testcase classname="${suite.name}" name="${escapeXml(c.name)}"><failure message="${escapeXml(c.failure)}"/></testcase>`,
      );
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>');
  return lines.join('\n') + '\n';
}

/** The side-by-side table of joint modes, one row per mode (figures over all nodes: one sky). */
export function formatComparison(results: readonly JointRunResult[]): string {
  const lines = [
    'mode          intercepted  asset leakers  launches  rounds/kill  duplicates (truth)  dup. linked/lost  detect→launch s',
  ];
  for (const r of results) {
    const o = r.outcome;
    const c = o.coordinationDuplicates;
    lines.push(
      `${r.mode.padEnd(13)} ${`${o.intercepted}/${o.hostiles}`.padStart(11)}  ${String(o.assetLeakers).padStart(13)}  ${String(o.launches).padStart(8)}  ${f(o.roundsPerKill).padStart(11)}  ${String(o.duplicateEngagements).padStart(18)}  ${(c === null ? 'n/a' : `${c.linked}/${c.lost}`).padStart(16)}  ${f(o.detectionToLaunchMedianS, 1).padStart(15)}`,
    );
  }
  return lines.join('\n') + '\n';
}

/** The figures of a joint run, per node (alone and joint) — JSON-safe. */
export function jointFigures(result: JointRunResult) {
  return {
    scenario: result.scenario,
    simulatedS: result.simulatedS,
    wallS: result.wallS,
    speedup: result.wallS > 0 ? result.simulatedS / result.wallS : null,
    network: result.network,
    mode: result.mode,
    outcome: result.outcome,
    nodes: result.nodes.map((n) => ({
      nodeId: n.nodeId,
      recordingSha256: n.run.summary.recordingSha256,
      safety: n.run.summary.safety,
      engagements: n.run.summary.engagements,
      own: quality(n.own),
      joint: quality(n.joint),
      firstDetection: n.firstDetection,
      fusedNees: n.fusedNees,
      measures: jointMeasuresOf(n, result),
      counters: n.counters,
      intake: n.intake,
      coordination: n.coordination,
    })),
  };
}

function quality(q: RunPictureQuality) {
  return {
    gospaMeanM: q.gospa?.mean ?? null,
    completeness: q.siap.completeness,
    ambiguity: q.siap.ambiguity,
    spuriousness: q.siap.spuriousness,
    positionalAccuracyM: q.siap.positionalAccuracyM,
  };
}

const f = (x: number | null | undefined, digits = 2): string =>
  x === null || x === undefined ? 'n/a' : x.toFixed(digits);

function formatJointTable(result: JointRunResult, recordings: string): string {
  const lines: string[] = [];
  lines.push(
    `joint scenario ${result.scenario}: ${result.nodes.length} nodes, ${result.simulatedS.toFixed(1)} s simulated in ${result.wallS.toFixed(2)} s wall (${(result.simulatedS / Math.max(result.wallS, 1e-9)).toFixed(0)}x real time)`,
  );
  lines.push('node      picture  GOSPA m  complete  ambig.  spurious  pos. acc. m');
  for (const n of result.nodes) {
    for (const [label, q] of [
      ['alone', n.own],
      ['joint', n.joint],
    ] as const)
      lines.push(
        `${n.nodeId.padEnd(9)} ${label.padEnd(8)} ${f(q.gospa?.mean, 1).padStart(7)}  ${f(q.siap.completeness).padStart(8)}  ${f(q.siap.ambiguity).padStart(6)}  ${f(q.siap.spuriousness).padStart(8)}  ${f(q.siap.positionalAccuracyM, 1).padStart(11)}`,
      );
  }
  for (const n of result.nodes) {
    const earlier = n.firstDetection.filter((d) => d.jointS !== null && (d.ownS === null || d.jointS < d.ownS));
    lines.push(
      `${n.nodeId}: first held, alone → joint: ${n.firstDetection.map((d) => `${d.targetId} ${f(d.ownS, 1)}→${f(d.jointS, 1)} s`).join(', ')} (${earlier.length} earlier or only through the partner)`,
    );
    lines.push(
      `${n.nodeId}: fused tracks' position NEES mean ${f(n.fusedNees.mean)} over ${n.fusedNees.samples} samples, ${f(n.fusedNees.inBand95 === null ? null : n.fusedNees.inBand95 * 100, 0)} % inside the 95 % band [${f(n.fusedNees.lower)}, ${f(n.fusedNees.upper)}]; ${n.counters.fusedPairs} fused pairs`,
    );
    const e = n.run.summary.engagements as Record<string, number>;
    lines.push(
      `${n.nodeId}: partner feed ${n.counters.partnerFeedMeasurements} measurements; releases sent ${n.counters.releasesSent}; intake ${Object.entries(
        n.intake,
      )
        .map(([p, i]) => `${p} ${i.accepted} accepted, ${Object.values(i.dropped).reduce((a, b) => a + b, 0)} dropped`)
        .join('; ')}; engagements ${Object.entries(e)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}`,
    );
    const c = n.coordination;
    if (c !== null)
      lines.push(
        `${n.nodeId}: coordination ${c.state} at the end, lost ${c.lostS.toFixed(1)} s; claims sent ${c.counters.claimsSent}; duplicate engagements ${c.counters.duplicateEngagements.linked} while linked, ${c.counters.duplicateEngagements.lost} while lost; must-fire fires ${c.counters.mustFireFires}`,
      );
  }
  for (const [link, c] of Object.entries(result.network))
    lines.push(
      `network ${link}: ${c.sent} sent, ${c.delivered} delivered, ${c.lost} lost, ${c.partitioned} partitioned`,
    );
  lines.push(`recordings: ${recordings} (replay --verify each)`);
  return lines.join('\n') + '\n';
}
