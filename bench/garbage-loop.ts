/**
 * Does garbage on the command topics move the control loop? The loop benchmark (bench/loop.ts)
 * while the node's MQTT side runs as `shieldlink run` starts it — the authenticated embedded
 * broker, the bridge with its node key, the audit budget and a recording sink on the I/O thread
 * — alternately quiet and under garbage: 10,000 bad commands per second (the rate of 100,000 in
 * 10 s) from another process, through operator logins. Rounds A B A B …, 5 s each, so a drift
 * in the machine's load hits both alike. The broker's per-client publish budget is lifted for
 * the garbage round (worst case: a broker that lets it all through to the node), so what is
 * measured is the node's own cost of refusing it.
 *
 * Reports the loop's p99 lateness quiet vs under garbage (same run), and what the garbage left in
 * the recording (audit records) and the spool.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  generateBrokerCredentials,
  NodeKey,
  OperatorKey,
  OperatorKeyring,
  ShieldlinkBridge,
  startEmbeddedBroker,
} from '../src/bridge/index.js';
import { RealClock, wallClockMs } from '../src/time/real-clock.js';
import type { BenchFigure } from './bench-figure.js';
import { type LoopBenchResult, measureLoop } from './loop.js';
import { nodeEntry } from './node-entry.js';

/** Options of {@link runGarbageLoopBench}. */
export interface GarbageLoopBenchOptions {
  /** One round of each instead of three. */
  quick: boolean;
}

const NODE = 'bench-garbage';
const RATE = 10_000;
const ALLOWANCE_US = 20;

interface RoundResult {
  readonly loop: LoopBenchResult;
  readonly sent: number;
  readonly auditRecords: number;
  readonly auditBytes: number;
  readonly spoolBytes: number;
  readonly suppressed: number;
}

async function round(garbage: boolean): Promise<RoundResult> {
  const dir = mkdtempSync(join(tmpdir(), 'sl-garbage-'));
  const credentials = generateBrokerCredentials(NODE);
  let result: Omit<RoundResult, 'loop'> | undefined;
  const loop = await measureLoop({
    quick: true,
    extraLoad: async () => {
      const broker = await startEmbeddedBroker({
        port: 0,
        wsPort: null,
        credentials,
        limits: { publishesPerSecond: 1_000_000, publishBurst: 1_000_000, maxConnections: 64 },
      });
      let auditRecords = 0;
      let auditBytes = 0;
      const spoolFile = join(dir, 'node.spool');
      const bridge = new ShieldlinkBridge({
        nodeId: NODE,
        broker: { url: broker.url, ...credentials.users.node },
        spoolFile,
        keyring: new OperatorKeyring([OperatorKey.generate('alice-1', 'alice')]),
        executor: { execute: async () => ({ status: 'completed' }) },
        audit: {
          record: (entry) => {
            auditRecords++;
            auditBytes += JSON.stringify(entry).length;
          },
        },
        clock: new RealClock(),
        wallClock: wallClockMs,
        nodeKey: NodeKey.generate(NODE),
      });
      await bridge.start({
        birth: () => ({ softwareVersion: 'bench', configHash: 'x', startedAt: new Date().toISOString(), devices: [] }),
        attach: () => () => undefined,
      });
      await bridge.whenConnected();
      let child: Promise<number> = Promise.resolve(0);
      if (garbage) {
        const entry = nodeEntry('./garbage-publisher.js');
        const args = {
          url: broker.url,
          node: NODE,
          ...credentials.users.operator,
          rate: RATE,
          seconds: 5.5,
          clients: 4,
        };
        const proc = spawn(process.execPath, [...entry.execArgv, entry.file, JSON.stringify(args)], {
          stdio: ['ignore', 'pipe', 'inherit'],
        });
        let out = '';
        proc.stdout.on('data', (c: Buffer) => (out += c.toString()));
        child = new Promise((resolve) =>
          proc.once('exit', () => {
            try {
              resolve((JSON.parse(out) as { sent: number }).sent);
            } catch {
              resolve(0);
            }
          }),
        );
      }
      return async () => {
        const sent = await child;
        const suppressed = bridge.metricsSnapshot().commandsSuppressed;
        await bridge.stop();
        await broker.close();
        result = { sent, auditRecords, auditBytes, spoolBytes: statSync(spoolFile).size, suppressed };
        rmSync(dir, { recursive: true, force: true });
      };
    },
  });
  return { loop, ...result! };
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};

export async function runGarbageLoopBench(options: GarbageLoopBenchOptions): Promise<BenchFigure[]> {
  const rounds = options.quick ? 1 : 3;
  const quiet: RoundResult[] = [];
  const flooded: RoundResult[] = [];
  for (let i = 0; i < rounds; i++) {
    quiet.push(await round(false));
    flooded.push(await round(true));
  }
  const p99 = (r: RoundResult): number => r.loop.loop.latenessUs.p99;
  const quietP99 = median(quiet.map(p99));
  const floodedP99 = median(flooded.map(p99));
  const base = `same bridge and broker, no garbage: median of ${rounds} round(s) of 5 s interleaved`;
  const worst = (pick: (r: RoundResult) => number): number => Math.max(...flooded.map(pick));
  return [
    {
      name: 'security.garbage.loop.lateness.p99',
      value: floodedP99,
      unit: 'us',
      goal: `within ${ALLOWANCE_US} us of the quiet figure, same run`,
      met: floodedP99 <= quietP99 + ALLOWANCE_US,
      baseline: base,
      baselineValue: quietP99,
    },
    {
      name: 'security.garbage.loop.lateness.max',
      value: median(flooded.map((r) => r.loop.loop.latenessUs.max)),
      unit: 'us',
      baseline: base,
      baselineValue: median(quiet.map((r) => r.loop.loop.latenessUs.max)),
    },
    {
      name: 'security.garbage.loop.missedTicks',
      value: median(flooded.map((r) => r.loop.loop.missedTicks)),
      unit: 'ticks',
      baseline: base,
      baselineValue: median(quiet.map((r) => r.loop.loop.missedTicks)),
    },
    { name: 'security.garbage.sentPerRound', value: median(flooded.map((r) => r.sent)), unit: 'messages' },
    {
      name: 'security.garbage.auditRecords',
      value: worst((r) => r.auditRecords),
      unit: 'records',
      goal: '<= 100 per 5 s round (2 sources x (20 + 2/s x 5.5 s) x 2 records + summaries)',
      met: worst((r) => r.auditRecords) <= 100,
      baseline: 'quiet round',
      baselineValue: median(quiet.map((r) => r.auditRecords)),
    },
    { name: 'security.garbage.auditBytes', value: worst((r) => r.auditBytes), unit: 'bytes' },
    {
      name: 'security.garbage.spoolBytes',
      value: worst((r) => r.spoolBytes),
      unit: 'bytes',
      goal: '<= 65536 at the end of a round',
      met: worst((r) => r.spoolBytes) <= 65_536,
    },
    { name: 'security.garbage.suppressed', value: median(flooded.map((r) => r.suppressed)), unit: 'messages' },
  ];
}
