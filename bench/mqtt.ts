/**
 * MQTT bridge benchmarks (goals: throughput to Mosquitto >= 20,000 msg/s; state-to-
 * subscriber latency p99 <= 5 ms on loopback), against the embedded Aedes broker and, when it is
 * installed, a real Mosquitto started on a free loopback port.
 *
 * - `mqtt.<broker>.events.throughput`: engagement events through the bridge's ordered QoS 1
 *   stream, from the first `engagement()` call to the last PUBACK (msg/s).
 * - `mqtt.<broker>.spool.drain`: the same from a spool left by an outage (records/s): how fast
 *   the bridge catches up after the broker is back.
 * - `mqtt.<broker>.state.latency.p50/p99`: `deviceState()` call to arrival at a separate
 *   subscriber client in this process (ms), one update every 5 ms.
 * - `mqtt.enqueue.mean`: cost of one `engagement()` call for the loop (ns).
 *
 * Run on its own: `npx tsx bench/mqtt.ts [--quick]`.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import {
  type BridgeSink,
  type BridgeSource,
  type EngagementChange,
  OperatorKeyring,
  ShieldlinkBridge,
  startEmbeddedBroker,
} from '../src/bridge/index.js';
import { EventSpool } from '../src/bridge/event-spool.js';
import { RealClock, wallClockMs } from '../src/time/real-clock.js';
import type { BenchFigure } from './bench-figure.js';
import { partMain } from './part-main.js';
import { alignColumns } from './text-table.js';

/** Options of {@link runMqttBench}. */
export interface MqttBenchOptions {
  /** Fewer messages and samples (CI smoke run); figures are noisier. */
  quick: boolean;
}

const NODE = 'bench-mqtt';

class PushSource implements BridgeSource {
  sink: BridgeSink | null = null;
  birth() {
    return { softwareVersion: 'bench', configHash: 'bench', startedAt: new Date(0).toISOString(), devices: [] };
  }
  attach(sink: BridgeSink) {
    this.sink = sink;
    return () => (this.sink = null);
  }
}

function change(n: number): EngagementChange {
  return {
    engagementId: String(n % 64),
    trackId: String(n % 500),
    launcherId: 'launcher-1',
    transition: 'planned',
    state: 'planned',
    reason: null,
    commandId: null,
    sourceSeq: n,
    hostTimeUs: n * 1000,
  };
}

async function startBridge(url: string, spoolFile: string, spillThreshold: number) {
  const source = new PushSource();
  const bridge = new ShieldlinkBridge({
    nodeId: NODE,
    broker: { url },
    spoolFile,
    keyring: new OperatorKeyring([]),
    executor: { execute: async () => ({ status: 'rejected', reason: 'bench' }) },
    clock: new RealClock(),
    wallClock: wallClockMs,
    channel: { spillThreshold, maxQueuedRecords: 1_000_000 },
    state: { metricsIntervalMs: 60_000 },
  });
  await bridge.start(source);
  await bridge.whenConnected();
  return { bridge, sink: source.sink! };
}

async function throughput(url: string, dir: string, count: number): Promise<{ rate: number; enqueueNs: number }> {
  const { bridge, sink } = await startBridge(url, join(dir, `tp-${count}.spool`), count + 1);
  let enqueueNs = 0;
  const t0 = performance.now();
  // Produce in slices of 1000 per turn, as a loop adapter would, so publishing interleaves.
  for (let n = 0; n < count; n += 1000) {
    const s = process.hrtime.bigint();
    for (let i = n; i < Math.min(count, n + 1000); i++) sink.engagement(change(i + 1));
    enqueueNs += Number(process.hrtime.bigint() - s);
    await new Promise((resolve) => setImmediate(resolve));
  }
  await bridge.whenIdle();
  const seconds = (performance.now() - t0) / 1000;
  await bridge.stop();
  return { rate: count / seconds, enqueueNs: enqueueNs / count };
}

async function spoolDrain(url: string, dir: string, count: number): Promise<number> {
  const file = join(dir, `drain-${count}.spool`);
  const { spool } = await EventSpool.open(file, 'none');
  const payload = JSON.stringify({ v: 1, nodeId: NODE, bootId: 'previous', seq: 1, filler: 'x'.repeat(200) });
  for (let n = 0; n < count; n += 10_000) {
    await spool.append(
      Array.from({ length: Math.min(10_000, count - n) }, (_, i) => ({
        topic: `shieldlink/v1/${NODE}/engagements/${(n + i) % 64}`,
        payload,
      })),
    );
  }
  await spool.close();
  const t0 = performance.now();
  const { bridge } = await startBridge(url, file, 10_000);
  await bridge.whenIdle();
  const seconds = (performance.now() - t0) / 1000;
  await bridge.stop();
  return count / seconds;
}

async function latency(url: string, dir: string, samples: number): Promise<number[]> {
  const { bridge, sink } = await startBridge(url, join(dir, 'lat.spool'), 10_000);
  const subscriber = await mqtt.connectAsync(url, { protocolVersion: 4, reconnectPeriod: 0 });
  const delays: number[] = [];
  subscriber.on('message', (_topic, payload) => {
    const sentAt = (JSON.parse(payload.toString()) as { detail: { sentAtMs?: number } }).detail.sentAtMs;
    if (typeof sentAt === 'number') delays.push(performance.now() - sentAt);
  });
  await subscriber.subscribeAsync(`shieldlink/v1/${NODE}/devices/+/state`, { qos: 1 });
  const warmup = 50;
  for (let i = 0; i < samples + warmup; i++) {
    sink.deviceState({
      deviceId: 'radar-1',
      kind: 'radar',
      link: 'active',
      state: 'search',
      quality: 'good',
      deviceTimeUs: i,
      receivedAtUs: null,
      counters: { i },
      detail: { sentAtMs: performance.now() },
    });
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  await new Promise((resolve) => setTimeout(resolve, 100));
  await subscriber.endAsync();
  await bridge.stop();
  return delays.slice(warmup).sort((a, b) => a - b);
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function benchBroker(name: string, url: string, options: MqttBenchOptions): Promise<BenchFigure[]> {
  const dir = mkdtempSync(join(tmpdir(), 'shieldlink-bench-mqtt-'));
  try {
    const count = options.quick ? 20_000 : 100_000;
    await throughput(url, dir, 2_000); // warm-up (JIT, connections)
    const tp = await throughput(url, dir, count);
    const drain = await spoolDrain(url, dir, options.quick ? 10_000 : 50_000);
    const delays = await latency(url, dir, options.quick ? 300 : 2_000);
    return [
      {
        name: `mqtt.${name}.events.throughput`,
        value: tp.rate,
        unit: 'msg/s',
        // The goal is for Mosquitto; Aedes runs in this process and shares its CPU.
        ...(name === 'mosquitto' ? { goal: '>= 20000 msg/s' } : {}),
      },
      { name: `mqtt.${name}.spool.drain`, value: drain, unit: 'records/s' },
      { name: `mqtt.${name}.state.latency.p50`, value: percentile(delays, 50), unit: 'ms' },
      {
        name: `mqtt.${name}.state.latency.p99`,
        value: percentile(delays, 99),
        unit: 'ms',
        goal: '<= 5 ms on loopback',
      },
      { name: `mqtt.${name}.enqueue.mean`, value: tp.enqueueNs, unit: 'ns' },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Run the benchmark against Aedes and (if installed) Mosquitto. */
export async function runMqttBench(options: MqttBenchOptions): Promise<BenchFigure[]> {
  const figures: BenchFigure[] = [];
  const aedes = await startEmbeddedBroker({ allowAnonymous: true, port: 0, wsPort: null });
  try {
    figures.push(...(await benchBroker('aedes', aedes.url, options)));
  } finally {
    await aedes.close();
  }
  const mosquitto = await startMosquitto();
  if (mosquitto === null) {
    process.stderr.write('bench/mqtt: mosquitto not installed, Mosquitto figures skipped\n');
    return figures;
  }
  try {
    figures.push(...(await benchBroker('mosquitto', mosquitto.url, options)));
  } finally {
    await mosquitto.stop();
  }
  return figures;
}

async function startMosquitto(): Promise<{ url: string; stop: () => Promise<void> } | null> {
  const binary = ['/usr/sbin/mosquitto', '/usr/local/sbin/mosquitto', '/usr/bin/mosquitto'].find((p) => existsSync(p));
  if (binary === undefined) return null;
  const dir = mkdtempSync(join(tmpdir(), 'shieldlink-bench-mosquitto-'));
  const port = await new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const p = (server.address() as { port: number }).port;
      server.close(() => resolve(p));
    });
  });
  const config = [
    `listener ${port} 127.0.0.1`,
    'allow_anonymous true',
    'max_queued_messages 0',
    'max_inflight_messages 0',
    // Latency tuning (docs/mqtt.md): no Nagle on the broker's client sockets.
    'set_tcp_nodelay true',
    ...(process.getuid?.() === 0 ? ['user root'] : []),
  ];
  writeFileSync(join(dir, 'mosquitto.conf'), config.join('\n') + '\n');
  const child: ChildProcess = spawn(binary, ['-c', join(dir, 'mosquitto.conf')], { stdio: 'ignore' });
  for (let i = 0; i < 250; i++) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = createConnection({ port, host: '127.0.0.1' });
      socket.once('connect', () => (socket.destroy(), resolve(true)));
      socket.once('error', () => resolve(false));
    });
    if (ok) break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return {
    url: `mqtt://127.0.0.1:${port}`,
    stop: async () => {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function formatFigures(figures: readonly BenchFigure[]): string {
  const rows = figures.map((f) => [f.name, f.value.toFixed(f.unit === 'ms' ? 2 : 0), f.unit, f.goal ?? '']);
  return alignColumns(rows).join('\n');
}

await partMain(import.meta.url, async ({ quick }) => [formatFigures(await runMqttBench({ quick }))]);
