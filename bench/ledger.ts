/**
 * The decision ledger: append with signing and verification rates on one core (CPU time of this
 * process), and the control loop's tick lateness with the ledger on and off, the same short
 * real-time run of short-salvo back to back. Goals: append with signing >= 20,000 entries/s
 * (a signed tree head every 100 entries; the figure with a head after every entry beside it),
 * verification >= 100,000 entries/s: integrity and compliance, as `shieldlink verify` gives its
 * verdict (neither process start nor the file read timed), of a 100,000-entry ledger (73 MB, a
 * signed head every 100 entries) that starts with the node config and has a FIRE after every
 * tenth decision; measured cold in fresh processes (median of three), as a partner runs
 * `verify`. Beside it, the same with the file read (as the CLI reads it) counted in.
 *
 * Run on its own: `npx tsx bench/ledger.ts [--quick]` (or `node dist/bench/ledger.js`).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NodeKey } from '../src/bridge/index.js';
import { runBench } from '../src/compose/run-bench.js';
import { loadBenchConfig } from '../src/config/load-bench-config.js';
import { type LedgerEntry, LedgerWriter } from '../src/ledger/index.js';
import type { BenchFigure } from './bench-figure.js';
import { nodeEntry, repoFile } from './node-entry.js';
import { partMain } from './part-main.js';

const APPEND_GOAL = 20_000;
const VERIFY_GOAL = 100_000;
const HEAD_EVERY = 100;
/** A FIRE follows every this many decisions (of the decision's engagement: compliance judges it). */
const FIRE_EVERY = 10;

/** The node config every ledger starts with (one launcher, the node's area as defended asset). */
const CONFIG: LedgerEntry = {
  type: 'config',
  atUs: 0,
  nodeId: 'bench-1',
  configHash: '232f71571ed82a436157e42b73c5c67de314b8918c405d13310f46e3a58baec1',
  scenario: 'bench',
  seed: 1,
  tickPeriodUs: 1000,
  gravityMps2: 9.80665,
  engageable: { hold: [], tight: ['hostile'], free: ['hostile', 'unknown'] },
  launchers: [
    {
      id: 'launcher-1',
      position: { eastM: 2000, northM: -500, upM: 0 },
      envelope: { minRangeM: 2000, maxRangeM: 40_000, maxAltitudeM: 25_000 },
    },
  ],
  defendedAssets: [
    { id: 'node-area', position: { eastM: 0, northM: 0, upM: 0 }, radiusM: 42_061.55, source: 'node-area' },
  ],
};

/** Options of {@link runLedgerBench}. */
export interface LedgerBenchOptions {
  quick: boolean;
}

/** A decision entry of realistic size (about 800 bytes of canonical JSON). */
function decision(i: number): LedgerEntry {
  return {
    type: 'engagement-decision',
    atUs: i * 1000,
    transition: 'planned',
    engagementId: i,
    trackId: i % 500,
    launcherId: 'launcher-1',
    weaponsControlStatus: 'tight',
    rule: 'auto:tight:hostile',
    track: {
      trackId: i % 500,
      estimateTimeUs: i * 1000 - 137.25,
      eastM: 61018.43468992865 - (i % 1000),
      northM: 22103.18871,
      upM: 19512.2201,
      eastMps: -766.13,
      northMps: -278.8,
      upMps: 231.5,
      iff: 'hostile',
      model: 'ballistic',
      quality: 93,
      operatorPriority: false,
      firstSeen: { eastM: 70976.9, northM: 25351.5, upM: 19000, atUs: 8_200_000 },
    },
    predictedImpact: { eastM: 397.33, northM: -295.97, upM: 0, atUs: 100_128_427, assetId: 'node-area' },
    aim: { eastM: 34526.2339991145, northM: 12117.343634769579, upM: 19566.46982560717 },
    launchAtHostUs: 28_654_833,
    interceptAtHostUs: 55_571_500,
  };
}

function cpuS(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

/** Entry `i` of the bench ledger: the config, then decisions with a FIRE after every tenth. */
function benchEntry(i: number): LedgerEntry {
  if (i === 0) return CONFIG;
  if (i % (FIRE_EVERY + 1) !== 0) return decision(i);
  return {
    type: 'fire',
    atUs: i * 1000,
    engagementId: i - 1,
    trackId: (i - 1) % 500,
    launcherId: 'launcher-1',
    fireCommandId: i,
    launchAtHostUs: 28_654_833,
  };
}

/** Entries appended (and heads signed every `headEvery`) per CPU second; the file text. */
function appendRate(key: NodeKey, n: number, headEvery: number): { rate: number; text: string } {
  const entries = Array.from({ length: n }, (_, i) => benchEntry(i));
  const w = new LedgerWriter(key);
  const lines: string[] = [w.header()];
  const t0 = cpuS();
  for (let i = 0; i < n; i++) {
    lines.push(w.append(entries[i]!));
    if ((i + 1) % headEvery === 0) lines.push(w.head(1_767_225_600_000 + i));
  }
  lines.push(w.head(1_767_225_700_000, true));
  const rate = n / (cpuS() - t0);
  return { rate, text: lines.join('\n') + '\n' };
}

/**
 * Cold verifications, each in a fresh process as `shieldlink verify` runs it. Seven, not three:
 * single cold processes on the 2-vCPU VM spread from 0.7× to 1.1× of their median.
 */
const VERIFY_RUNS = 7;

/**
 * Entries verified per CPU second: the median of {@link VERIFY_RUNS} fresh processes that each
 * read the ledger file and verify it once (bench/ledger-verify-once.ts), as a partner's
 * `shieldlink verify` does — not in this process, whose heap holds the append runs' garbage.
 */
function coldVerifyRate(text: string, key: NodeKey): { rate: number; withReadRate: number } {
  const dir = mkdtempSync(join(tmpdir(), 'shieldlink-bench-ledger-'));
  try {
    const ledgerFile = join(dir, 'bench.ledger');
    const pubFile = join(dir, 'bench-1.node.pub.json');
    writeFileSync(ledgerFile, text);
    writeFileSync(pubFile, key.public.toPublicFileText());
    const child = nodeEntry('./ledger-verify-once.js');
    const rates: number[] = [];
    const withRead: number[] = [];
    for (let run = 0; run < VERIFY_RUNS; run++) {
      const out = execFileSync(process.execPath, [...child.execArgv, child.file, ledgerFile, pubFile], {
        encoding: 'utf8',
      });
      const r = JSON.parse(out) as { entries: number; fires: number; readCpuS: number; cpuS: number; pass: boolean };
      if (!r.pass || r.fires === 0) throw new Error(`bench ledger does not verify (${r.fires} FIREs judged)`);
      rates.push(r.entries / r.cpuS);
      withRead.push(r.entries / (r.readCpuS + r.cpuS));
    }
    const median = (xs: number[]): number => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    return { rate: median(rates), withReadRate: median(withRead) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** p99 tick lateness of a real-time short-salvo run, with or without the ledger. */
async function loopRun(
  withLedger: boolean,
  durationS: number,
): Promise<{ p99Us: number; maxUs: number; entries: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'shieldlink-bench-ledger-'));
  try {
    const result = await runBench({
      loaded: await loadBenchConfig(repoFile('hil-configs/sim.yaml')),
      scenarioFile: repoFile('hil-configs/scenarios/short-salvo.yaml'),
      virtualTime: false,
      durationS,
      broker: 'none',
      recordFile: join(dir, 'short-salvo.run'),
      ...(withLedger ? {} : { ledgerFile: null }),
    });
    const m = result.loopMetrics;
    return {
      p99Us: m?.latenessUs.p99 ?? Number.NaN,
      maxUs: m?.latenessUs.max ?? Number.NaN,
      entries: result.ledger?.entries ?? 0,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function runLedgerBench(options: LedgerBenchOptions): Promise<BenchFigure[]> {
  const key = NodeKey.generate('bench-1');
  const n = options.quick ? 20_000 : 100_000;
  appendRate(key, 2_000, HEAD_EVERY); // warm-up
  const batched = appendRate(key, n, HEAD_EVERY);
  const everyEntry = appendRate(key, options.quick ? 5_000 : 20_000, 1);
  const verifyRate = coldVerifyRate(batched.text, key);
  const durationS = options.quick ? 10 : 30;
  const off = await loopRun(false, durationS);
  const on = await loopRun(true, durationS);
  return [
    {
      name: 'ledger.append',
      value: batched.rate,
      unit: 'entries/s',
      goal: `>= ${APPEND_GOAL} entries/s (one core, a signed head every ${HEAD_EVERY} entries)`,
    },
    { name: 'ledger.append.head-every-entry', value: everyEntry.rate, unit: 'entries/s' },
    {
      name: 'ledger.verify',
      value: verifyRate.rate,
      unit: 'entries/s',
      goal: `>= ${VERIFY_GOAL} entries/s (one core)`,
    },
    { name: 'ledger.verify.with-file-read', value: verifyRate.withReadRate, unit: 'entries/s' },
    {
      name: 'ledger.loop.p99-lateness.on',
      value: on.p99Us,
      unit: 'us',
      baseline: `the same run with the ledger off (${off.entries} entries, ledger on: ${on.entries})`,
      baselineValue: off.p99Us,
    },
    {
      name: 'ledger.loop.max-lateness.on',
      value: on.maxUs,
      unit: 'us',
      baseline: 'ledger off',
      baselineValue: off.maxUs,
    },
  ];
}

await partMain(import.meta.url, async ({ quick }) =>
  (await runLedgerBench({ quick })).map(
    (f) =>
      `${f.name}: ${Math.round(f.value).toLocaleString('en-US')} ${f.unit}` +
      (f.baselineValue === undefined
        ? ''
        : ` (${f.baseline}: ${Math.round(f.baselineValue).toLocaleString('en-US')} ${f.unit})`),
  ),
);
