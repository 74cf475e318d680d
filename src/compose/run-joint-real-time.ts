import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { NodeKey } from '../bridge/node-key.js';
import type { Scenario } from '../config/scenario-schema.js';
import { RealClock } from '../time/real-clock.js';
import { JointMosquittoBrokers, freeLoopbackPort } from './joint-mosquitto.js';
import { type NodeBrokerPlan, type NodeProcessPlan, planJointRealTime } from './joint-real-time-plan.js';

/** How the node processes get their brokers: started here (Mosquitto, bridged) or the scenario's `nodes[].broker`. */
export type JointBrokerMode = 'start' | 'scenario';
export const JOINT_BROKER_MODES: readonly JointBrokerMode[] = ['start', 'scenario'];

/** The environment variable a node process reads a started broker's password from. */
const STARTED_PASSWORD_ENV = 'SHIELDLINK_NODE_MQTT_PASSWORD';
/** Set in each node process: it stops (cleanly) when its stdin closes, i.e. when this process dies. */
export const DIE_WITH_PARENT_ENV = 'SHIELDLINK_DIE_WITH_PARENT';

/** Options of {@link startJointRealTime}. */
export interface JointRealTimeOptions {
  readonly configFile: string;
  readonly scenarioFile: string;
  readonly scenario: Scenario;
  readonly outputDir: string;
  /** Seconds each node runs (default: the scenario's). */
  readonly durationS?: number;
  readonly brokers: JointBrokerMode;
  /** The built `shieldlink` entry point the node processes run (dist/src/cli/main.js). */
  readonly cli: string;
  /** Each line a node process writes (stdout and stderr), with its node id. */
  readonly onLine: (nodeId: string, line: string) => void;
  readonly log: (line: string) => void;
}

/** One node process's end. */
export interface NodeProcessResult {
  readonly nodeId: string;
  /** Its exit code (3 when it died of a signal). */
  readonly exitCode: number;
  readonly signal: string | null;
  /** Its `<base>.summary.json`, parsed (null when it wrote none). */
  readonly summary: Record<string, unknown> | null;
  readonly base: string;
}

/** The end of a real-time joint run. */
export interface JointRealTimeResult {
  readonly nodes: readonly NodeProcessResult[];
  /** The worst node's exit code (0 ok < 1 verdict < 2 usage < 3 runtime). */
  readonly exitCode: number;
  readonly wallS: number;
  /** Where the generated per-node scenarios, configs and brokers are. */
  readonly workDir: string;
}

/** A running real-time joint run. */
export interface JointRealTimeRun {
  /** Forward a signal to every node process (SIGINT, SIGTERM: each stops cleanly). */
  forward(signal: NodeJS.Signals): void;
  readonly done: Promise<JointRealTimeResult>;
}

/** Thrown for a joint scenario that cannot run in real time as asked (a usage error: nothing started). */
export class JointRealTimeUsageError extends Error {}

/**
 * A joint scenario in real time, one process per node: writes each node's scenario and bench
 * config ({@link planJointRealTime}), makes each node's key (`<output>/keys/<node>.node.key.json`,
 * reused when there), starts one Mosquitto per node bridged as hil-configs/joint/ (`brokers:
 * 'start'`) or takes the scenario's `nodes[].broker` (`'scenario'`: running, bridged brokers, each
 * node's password in its `passwordEnv`), then runs `shieldlink run --config <node config>
 * --real-time` per node and supervises them: their output is handed on line by line, a signal is
 * forwarded to all, a node that ends with a usage or runtime error (exit ≥ 2) stops the others,
 * and every node process stops when this process dies (its stdin closes). The brokers started
 * here are stopped at the end. Resolves with each node's exit code and summary.
 */
export async function startJointRealTime(options: JointRealTimeOptions): Promise<JointRealTimeRun> {
  const clock = new RealClock();
  const startUs = clock.nowUs();
  const nodes = options.scenario.nodes ?? [];
  const name = options.scenarioFile.replace(/^.*\//, '').replace(/\.ya?ml$/, '');
  const workDir = join(options.outputDir, `${name}.real-time`);
  const brokerPlans = new Map<string, NodeBrokerPlan>();
  const env = new Map<string, Record<string, string>>();
  if (options.brokers === 'scenario') {
    for (const n of nodes) {
      if (n.broker === undefined)
        throw new JointRealTimeUsageError(`--brokers scenario: node ${n.id} names no broker (nodes[].broker)`);
      const { url, username, passwordEnv } = n.broker as { url: string; username?: string; passwordEnv?: string };
      if (passwordEnv !== undefined && process.env[passwordEnv] === undefined)
        throw new JointRealTimeUsageError(`--brokers scenario: node ${n.id}'s broker password: set ${passwordEnv}`);
      brokerPlans.set(n.id, { url, username: username ?? `shieldlink-${n.id}`, passwordEnv: passwordEnv ?? '' });
      env.set(n.id, {});
    }
  }
  await mkdir(workDir, { recursive: true, mode: 0o700 });
  await mkdir(join(options.outputDir, 'keys'), { recursive: true, mode: 0o700 });
  for (const n of nodes) await NodeKey.loadOrCreate(join(options.outputDir, 'keys', `${n.id}.node.key.json`), n.id);
  let brokers: JointMosquittoBrokers | null = null;
  if (options.brokers === 'start') {
    brokers = await JointMosquittoBrokers.start(
      join(workDir, 'brokers'),
      nodes.map((n) => n.id),
    );
    for (const b of brokers.brokers) {
      brokerPlans.set(b.nodeId, { url: b.url, username: b.username, passwordEnv: STARTED_PASSWORD_ENV });
      env.set(b.nodeId, { [STARTED_PASSWORD_ENV]: b.password });
      options.log(`broker of ${b.nodeId}: ${b.url} (Mosquitto, bridged; log ${b.logFile})`);
    }
  }
  let plans: NodeProcessPlan[];
  try {
    const skyPorts = new Map<string, number>();
    for (const n of nodes) skyPorts.set(n.id, await freeLoopbackPort());
    plans = await planJointRealTime({
      configFile: options.configFile,
      scenarioFile: options.scenarioFile,
      scenario: options.scenario,
      outputDir: options.outputDir,
      workDir,
      brokers: brokerPlans,
      skyPorts,
    });
    for (const p of plans) {
      await writeFile(p.scenarioFile, p.scenarioText);
      await writeFile(p.configFile, p.configText);
    }
  } catch (error) {
    await brokers?.stop();
    throw error;
  }

  const children = new Map<string, ChildProcess>();
  const exits = plans.map(
    (plan) =>
      new Promise<{ code: number | null; signal: string | null }>((resolve) => {
        const args = [options.cli, 'run', '--config', plan.configFile, '--real-time'];
        if (options.durationS !== undefined) args.push('--duration', String(options.durationS));
        const child = spawn(process.execPath, args, {
          env: { ...process.env, ...env.get(plan.nodeId), [DIE_WITH_PARENT_ENV]: '1' },
          stdio: ['pipe', 'pipe', 'pipe'],
        });
        children.set(plan.nodeId, child);
        for (const stream of [child.stdout!, child.stderr!]) {
          let pending = '';
          stream.on('data', (chunk: Buffer) => {
            pending += chunk.toString();
            const lines = pending.split('\n');
            pending = lines.pop() ?? '';
            for (const line of lines) options.onLine(plan.nodeId, line);
          });
          stream.on('end', () => {
            if (pending !== '') options.onLine(plan.nodeId, pending);
          });
        }
        child.once('error', (error) => {
          options.log(`${plan.nodeId}: could not start: ${error.message}`);
          resolve({ code: 3, signal: null });
        });
        child.once('close', (code, signal) => {
          // A node that could not run (usage or runtime error) leaves its partners alone: stop them too.
          if (code === null || code >= 2) stopAll('SIGTERM', `${plan.nodeId} ended with ${code ?? signal}`);
          resolve({ code, signal });
        });
      }),
  );
  let stopping = false;
  const stopAll = (signal: NodeJS.Signals, why: string): void => {
    if (!stopping) options.log(`stopping every node: ${why}`);
    stopping = true;
    for (const child of children.values()) if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  };
  const done = (async (): Promise<JointRealTimeResult> => {
    const ended = await Promise.all(exits);
    await brokers?.stop();
    const results: NodeProcessResult[] = [];
    for (const [i, plan] of plans.entries()) {
      const { code, signal } = ended[i]!;
      const summary = await readFile(join(options.outputDir, `${plan.base}.summary.json`), 'utf8')
        .then((text) => JSON.parse(text) as Record<string, unknown>)
        .catch(() => null);
      results.push({ nodeId: plan.nodeId, exitCode: code ?? 3, signal, summary, base: plan.base });
    }
    return {
      nodes: results,
      exitCode: Math.max(0, ...results.map((r) => r.exitCode)),
      wallS: (clock.nowUs() - startUs) / 1e6,
      workDir,
    };
  })();
  return { forward: (signal) => stopAll(signal, `${signal}`), done };
}
