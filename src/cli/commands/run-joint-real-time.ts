import { fileURLToPath } from 'node:url';
import type { Scenario } from '../../config/scenario-schema.js';
import {
  JOINT_BROKER_MODES,
  type JointRealTimeResult,
  JointRealTimeUsageError,
  startJointRealTime,
} from '../../compose/run-joint-real-time.js';
import { type CommandIo, UsageError } from '../command.js';

/** What `run` hands over for a joint scenario with `--real-time`. */
export interface RunJointRealTimeInput {
  readonly values: {
    readonly duration?: string | undefined;
    readonly json?: boolean | undefined;
    readonly brokers?: string | undefined;
  };
  readonly configFile: string;
  readonly scenarioFile: string;
  readonly scenario: Scenario;
  readonly outputDir: string;
  readonly io: CommandIo;
}

/**
 * `shieldlink run --scenario <joint scenario> --real-time`: one `shieldlink run --real-time`
 * process per node (see startJointRealTime), each line it writes printed as `[<node>] …`; SIGINT
 * and SIGTERM go to every node; at the end each node's figures and the joint ones. Exit code: the
 * worst node's.
 */
export async function runJointRealTimeCommand(input: RunJointRealTimeInput): Promise<number> {
  const { values, io } = input;
  const brokers = JOINT_BROKER_MODES.find((m) => m === (values.brokers ?? 'start'));
  if (brokers === undefined)
    throw new UsageError(`--brokers: expected one of ${JOINT_BROKER_MODES.join(', ')}, got '${values.brokers}'`);
  const durationS = values.duration === undefined ? undefined : Number(values.duration);
  let run;
  try {
    run = await startJointRealTime({
      configFile: input.configFile,
      scenarioFile: input.scenarioFile,
      scenario: input.scenario,
      outputDir: input.outputDir,
      brokers,
      cli: fileURLToPath(new URL('../main.js', import.meta.url)),
      ...(durationS === undefined ? {} : { durationS }),
      onLine: (nodeId, line) => io.stderr.write(`[${nodeId}] ${line}\n`),
      log: (line) => io.stderr.write(`joint: ${line}\n`),
    });
  } catch (error) {
    if (error instanceof JointRealTimeUsageError) throw new UsageError(error.message);
    throw error;
  }
  const forward = (signal: NodeJS.Signals) => (): void => run.forward(signal);
  const onInt = forward('SIGINT');
  const onTerm = forward('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  try {
    const result = await run.done;
    if (values.json) io.stdout.write(JSON.stringify(jointRealTimeFigures(result)) + '\n');
    else io.stdout.write(formatJointRealTime(result, input.outputDir));
    return result.exitCode;
  } finally {
    process.off('SIGINT', onInt);
    process.off('SIGTERM', onTerm);
  }
}

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (typeof v === 'object' && v !== null ? (v as Json) : {});
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** Per node: its exit, outcome, picture quality and what its joint picture took from its partners. */
export function jointRealTimeFigures(result: JointRealTimeResult) {
  const nodes = result.nodes.map((n) => {
    const s = obj(n.summary);
    const summary = obj(s['summary'] ?? s);
    const joint = obj(obj(s['linkCounters'] ?? summary['linkCounters'])['joint']);
    const picture = obj(summary['pictureQuality']);
    return {
      nodeId: n.nodeId,
      exitCode: n.exitCode,
      recording: `${n.base}.run`,
      hostiles: num(summary['hostiles']),
      intercepted: num(summary['intercepted']),
      launches: num(summary['launches']),
      safety: summary['safety'] ?? null,
      gospaMeanM: num(obj(picture['gospa'])['mean']),
      siap: picture['siap'] ?? null,
      joint: {
        fusionUpdates: num(joint['fusionUpdates']),
        fusedPairs: num(joint['fusedPairs']),
        partnerFeedMeasurements: num(joint['partnerFeedMeasurements']),
        partnerOnlyTracksConfirmed: num(joint['partnerOnlyTracksConfirmed']),
        releasesSent: num(joint['releasesSent']),
      },
    };
  });
  const sum = (f: (n: (typeof nodes)[number]) => number | null): number => nodes.reduce((a, n) => a + (f(n) ?? 0), 0);
  return {
    wallS: result.wallS,
    exitCode: result.exitCode,
    workDir: result.workDir,
    nodes,
    joint: {
      launches: sum((n) => n.launches),
      fusedPairs: sum((n) => n.joint.fusedPairs),
      partnerFeedMeasurements: sum((n) => n.joint.partnerFeedMeasurements),
      releasesSent: sum((n) => n.joint.releasesSent),
      // Every node saw its partners' tracks: fused with its own or fed to its core.
      everyNodeSawPartners: nodes.every((n) => (n.joint.fusedPairs ?? 0) + (n.joint.partnerFeedMeasurements ?? 0) > 0),
    },
  };
}

const f = (x: number | null, digits = 1): string => (x === null ? 'n/a' : x.toFixed(digits));

function formatJointRealTime(result: JointRealTimeResult, outputDir: string): string {
  const fig = jointRealTimeFigures(result);
  const lines = [
    `joint scenario in real time: ${fig.nodes.length} node processes, ${fig.wallS.toFixed(1)} s wall; exit ${fig.exitCode}`,
    'node      exit  intercepted  launches  GOSPA m  fusion upd.  fused pairs  partner feed  partner-only  releases',
  ];
  for (const n of fig.nodes)
    lines.push(
      `${n.nodeId.padEnd(9)} ${String(n.exitCode).padStart(4)}  ${`${n.intercepted ?? 'n/a'}/${n.hostiles ?? 'n/a'}`.padStart(11)}  ${String(n.launches ?? 'n/a').padStart(8)}  ${f(n.gospaMeanM).padStart(7)}  ${String(n.joint.fusionUpdates ?? 'n/a').padStart(11)}  ${String(n.joint.fusedPairs ?? 'n/a').padStart(11)}  ${String(n.joint.partnerFeedMeasurements ?? 'n/a').padStart(12)}  ${String(n.joint.partnerOnlyTracksConfirmed ?? 'n/a').padStart(12)}  ${String(n.joint.releasesSent ?? 'n/a').padStart(8)}`,
    );
  lines.push(
    `joint: ${fig.joint.launches} launches over all nodes, ${fig.joint.fusedPairs} fused pairs, ${fig.joint.partnerFeedMeasurements} partner feed measurements, ${fig.joint.releasesSent} releases sent; ${fig.joint.everyNodeSawPartners ? 'every node held its partners’ tracks' : 'NOT every node held its partners’ tracks'}`,
  );
  lines.push(
    `recordings: ${outputDir}/${fig.nodes[0]?.recording.replace(/\.[^.]+\.run$/, '.<node>.run') ?? ''} (replay --verify each); node configs and brokers: ${fig.workDir}`,
  );
  return lines.join('\n') + '\n';
}
