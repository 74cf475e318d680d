/**
 * ASTERIX decoding rate: CAT048 records per CPU-second decoded on one core (AsterixDecoder over
 * the UDP payloads of a capture, already in memory; the wall-clock rate beside it), and the same
 * with each record printed as its JSON line, beside Wireshark's rate (`tshark -T ek`, every port
 * decoded as ASTERIX, per CPU-second of tshark) on the same capture in the same run. Goal: >= 1,000,000 CAT048
 * records/s on one core.
 *
 * The capture: the real air-traffic sample (../shared/interop/asterix/cat_034_048.pcap, or
 * SHIELDLINK_INTEROP_DIR) repeated to ~16,000 records so tshark's start-up is not the figure;
 * without it, generated CAT048 records of the same shape.
 *
 * Run on its own: `npx tsx bench/asterix.ts [--quick]` (or `node dist/bench/asterix.js`).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  AsterixDecoder,
  type CapturedDatagram,
  encodeBlock,
  readCapture,
  recordJson,
  writePcap,
} from '../src/asterix/index.js';
import type { BenchFigure } from './bench-figure.js';
import { repoFile } from './node-entry.js';
import { partMain } from './part-main.js';

const GOAL_PER_S = 1_000_000;
const REPEAT = 100;

/** Options of {@link runAsterixBench}. */
export interface AsterixBenchOptions {
  quick: boolean;
}

function sampleDatagrams(): { datagrams: CapturedDatagram[]; source: string } {
  const dir = process.env['SHIELDLINK_INTEROP_DIR'] ?? path.resolve(repoFile(''), '../shared/interop/asterix');
  const file = path.join(dir, 'cat_034_048.pcap');
  if (existsSync(file))
    return { datagrams: readCapture(readFileSync(file)).datagrams, source: 'cat_034_048.pcap (real, x100)' };
  const datagrams: CapturedDatagram[] = [];
  for (let n = 0; n < 100; n++) {
    const records = Array.from({ length: 2 }, (_, k) => ({
      category: 48,
      items: {
        '010': { SAC: 25, SIC: 201 },
        '140': { ToD: 27354 + n / 8 },
        '020': { TYP: 5, SIM: 0, RDP: 0, SPI: 0, RAB: 0 },
        '040': { RHO: 100 + n, THETA: (n * 37 + k) % 360 },
        '070': { V: 0, G: 0, L: 0, MODE3A: 512 + n },
        '090': { V: 0, G: 0, FL: 330 },
        '220': { ACAddr: 0x3c660c + n },
        '240': { TId: 'DLH65A' },
        '250': [{ MBDATA: '0xc0780031bc0000', BDS1: 4, BDS2: 0 }],
        '161': { TRN: n * 2 + k },
        '200': { GSP: 0.12, HDG: 124 },
        '170': { CNF: 0, RAD: 2, DOU: 0, MAH: 0, CDM: 0 },
        '230': { COM: 1, STAT: 0, SI: 0, MSSC: 1, ARC: 1, AIC: 1, B1A: 1, B1B: 5 },
      },
    }));
    datagrams.push({ frame: n + 1, timeS: n, dstPort: 8600, payload: encodeBlock(48, records) });
  }
  return { datagrams, source: 'generated CAT048 (shared captures not found), x100' };
}

/**
 * Median over rounds of CAT048 records decoded per CPU-second of this process by `work` (which
 * decodes everything once and returns the CAT048 count). CPU time, not wall time: on a shared
 * machine the wall rate measures the other processes; CPU time also counts the GC's helper
 * threads, so the figure errs low.
 */
function measure(roundNs: number, rounds: number, work: () => number): { cpuRate: number; wallRate: number } {
  const warmUpEnd = process.hrtime.bigint() + BigInt(roundNs);
  while (process.hrtime.bigint() < warmUpEnd) work();
  const cpuRates: number[] = [];
  const wallRates: number[] = [];
  for (let r = 0; r < rounds; r++) {
    let records = 0;
    const cpuStart = process.cpuUsage();
    const start = process.hrtime.bigint();
    let elapsed = 0;
    while (elapsed < roundNs) {
      records += work();
      elapsed = Number(process.hrtime.bigint() - start);
    }
    const cpu = process.cpuUsage(cpuStart);
    cpuRates.push(records / ((cpu.user + cpu.system) / 1e6));
    wallRates.push((records / elapsed) * 1e9);
  }
  const median = (values: number[]): number => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  return { cpuRate: median(cpuRates), wallRate: median(wallRates) };
}

/**
 * tshark's CAT048 records per CPU-second (user + system of tshark, median of `runs` full
 * decodes to JSON), or undefined without tshark.
 */
function tsharkRate(file: string, ports: number[], cat048Records: number, runs: number): number | undefined {
  if (spawnSync('tshark', ['-v'], { stdio: 'ignore' }).status !== 0) return undefined;
  const decodeAs = ports.flatMap((port) => ['-d', `udp.port==${port},asterix`]).join(' ');
  const seconds: number[] = [];
  for (let r = 0; r < runs; r++) {
    // bash's `times` prints the children's user and system time after the run
    const out = execFileSync('bash', ['-c', `tshark -r '${file}' ${decodeAs} -T ek > /dev/null 2>&1; times`], {
      encoding: 'utf8',
    });
    const children = out.trim().split('\n').pop()!.split(/\s+/);
    const cpu = children.map((t) => {
      const m = /^(\d+)m([\d.]+)s$/.exec(t);
      return m ? Number(m[1]) * 60 + Number(m[2]) : 0;
    });
    seconds.push(cpu.reduce((a, b) => a + b, 0));
  }
  seconds.sort((a, b) => a - b);
  return cat048Records / seconds[Math.floor(seconds.length / 2)]!;
}

/** Measure; resolves to the decode figure (tshark as baseline) and the decode+JSON figure. */
export async function runAsterixBench(options: AsterixBenchOptions): Promise<BenchFigure[]> {
  const { datagrams, source } = sampleDatagrams();
  const payloads: Uint8Array[] = [];
  for (let r = 0; r < REPEAT; r++) for (const datagram of datagrams) payloads.push(datagram.payload);
  const decoder = new AsterixDecoder();
  let cat048 = 0;
  const counting = {
    record: (record: { category: number }) => {
      if (record.category === 48) cat048++;
    },
  };
  const decodeAll = (): number => {
    cat048 = 0;
    for (let k = 0; k < payloads.length; k++) decoder.decode(payloads[k]!, counting);
    return cat048;
  };
  const perPass = decodeAll();
  const roundNs = options.quick ? 200_000_000 : 1_000_000_000;
  const rounds = options.quick ? 3 : 7;
  const decodeRate = measure(roundNs, rounds, decodeAll);
  let jsonBytes = 0;
  const toJson = {
    record: (record: Parameters<typeof recordJson>[0]) => {
      if (record.category === 48) {
        cat048++;
        jsonBytes += recordJson(record).length;
      }
    },
  };
  const jsonRate = measure(roundNs, rounds, () => {
    cat048 = 0;
    for (let k = 0; k < payloads.length; k++) decoder.decode(payloads[k]!, toJson);
    return cat048;
  });
  if (jsonBytes === 0) throw new Error('asterix bench: nothing printed');
  const dir = mkdtempSync(path.join(tmpdir(), 'asterix-bench-'));
  let tshark: number | undefined;
  try {
    const file = path.join(dir, 'repeated.pcap');
    const packets = payloads.map((payload, n) => ({
      timeUs: n * 1000,
      dstPort: datagrams[n % datagrams.length]!.dstPort || 8600,
      payload,
    }));
    writeFileSync(file, writePcap(packets));
    const ports = [...new Set(packets.map((p) => p.dstPort))];
    tshark = tsharkRate(file, ports, perPass, options.quick ? 1 : 3);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const baseline =
    tshark === undefined
      ? undefined
      : `tshark -T ek on the same capture (${perPass.toLocaleString('en-US')} CAT048 records, ${source})`;
  const withBaseline = tshark === undefined ? {} : { baseline: baseline!, baselineValue: tshark };
  return [
    {
      name: 'asterix.decode.CAT048',
      value: decodeRate.cpuRate,
      unit: 'records/s',
      goal: `>= ${GOAL_PER_S} records/s on one core`,
      ...withBaseline,
    },
    { name: 'asterix.decode.CAT048.wall', value: decodeRate.wallRate, unit: 'records/s' },
    { name: 'asterix.decode-json.CAT048', value: jsonRate.cpuRate, unit: 'records/s', ...withBaseline },
  ];
}

await partMain(import.meta.url, async ({ quick }) =>
  (await runAsterixBench({ quick })).map(
    (f) =>
      `${f.name}: ${Math.round(f.value).toLocaleString('en-US')} ${f.unit}` +
      (f.baselineValue === undefined
        ? ''
        : ` (baseline ${Math.round(f.baselineValue).toLocaleString('en-US')} ${f.unit}: ${f.baseline}; x${(f.value / f.baselineValue).toFixed(0)})`),
  ),
);
