/**
 * Codec throughput: frames per second decoded (decodeWireFrame) and encoded (encodeMessage) on
 * one core for TRACK_REPORT and FIRE, beside the frame rate a 921,600-baud 8N1 line carries
 * for the same frame size. Goal: >= 2,000,000 TRACK_REPORT decodes/s.
 *
 * Run on its own: `npx tsx bench/codec.ts [--quick]` (or `node dist/bench/codec.js` after a
 * build: compiled code is what the runner measures).
 */
import { mulberry32 } from '../src/common/mulberry32.js';
import { type Message, type MessageBody, decodeWireFrame, encodeMessage } from '../src/protocol/index.js';
import type { BenchFigure } from './bench-figure.js';
import { partMain } from './part-main.js';
import { ruledTable } from './text-table.js';

/** Default line of the bench (docs/protocol.md, physical layer). */
export const LINE_BAUD = 921_600;
/** 8N1: start bit, 8 data bits, stop bit. */
const BITS_PER_BYTE = 10;
const DECODE_GOAL_PER_S = 2_000_000;
/** Distinct frames cycled through, so the figure is not that of one cached input. */
const VARIANTS = 64;

/** Options of {@link runCodecBench}. */
export interface CodecBenchOptions {
  /** Shorter rounds (CI smoke run); figures are noisier. */
  quick: boolean;
}

/** Frames per second a `baud` 8N1 line carries for frames of `wireBytes` (delimiter included). */
export function lineFramesPerSecond(wireBytes: number, baud = LINE_BAUD): number {
  return baud / BITS_PER_BYTE / wireBytes;
}

/** Measure the codec; resolves to decode and encode figures per message plus the line rates. */
export async function runCodecBench(options: CodecBenchOptions): Promise<BenchFigure[]> {
  const roundNs = options.quick ? 100_000_000 : 400_000_000;
  const rounds = options.quick ? 3 : 7;
  const figures: BenchFigure[] = [];
  for (const [name, make] of SUBJECTS) {
    const random = mulberry32(0x5eed);
    const messages: Message[] = [];
    for (let i = 0; i < VARIANTS; i++) messages.push({ ...make(random), seq: (i * 977) & 0xffff, flags: 0 } as Message);
    const wires = messages.map((m) => encodeMessage(m));
    const wireBytes = wires[0]!.length;
    const line = lineFramesPerSecond(wireBytes);
    const baseline = `${LINE_BAUD}-baud 8N1 line, ${wireBytes}-byte frames`;
    const decodeRate = measure(roundNs, rounds, (n) => {
      let ok = 0;
      for (let i = 0; i < n; i++) if (decodeWireFrame(wires[i & (VARIANTS - 1)]!).ok) ok++;
      if (ok !== n) throw new Error(`${name}: ${n - ok} frames failed to decode`);
    });
    const encodeRate = measure(roundNs, rounds, (n) => {
      let bytes = 0;
      for (let i = 0; i < n; i++) bytes += encodeMessage(messages[i & (VARIANTS - 1)]!).length;
      if (bytes < n * (wireBytes - 1)) throw new Error(`${name}: encoder wrote ${bytes} bytes for ${n} frames`);
    });
    figures.push({
      name: `codec.decode.${name}`,
      value: decodeRate,
      unit: 'frames/s',
      ...(name === 'TRACK_REPORT' ? { goal: `>= ${DECODE_GOAL_PER_S} frames/s on one core` } : {}),
      baseline,
      baselineValue: line,
    });
    figures.push({ name: `codec.encode.${name}`, value: encodeRate, unit: 'frames/s', baseline, baselineValue: line });
  }
  return figures;
}

type Subject = readonly [string, (random: () => number) => MessageBody];

const SUBJECTS: readonly Subject[] = [
  [
    'TRACK_REPORT',
    (random) => ({
      type: 'TRACK_REPORT',
      trackId: Math.floor(random() * 10_000),
      measurementTimeUs: Math.floor(random() * 3.6e9),
      eastM: Math.fround((random() - 0.5) * 40_000),
      northM: Math.fround((random() - 0.5) * 40_000),
      upM: Math.fround(random() * 10_000),
      eastMps: Math.fround((random() - 0.5) * 600),
      northMps: Math.fround((random() - 0.5) * 600),
      upMps: Math.fround((random() - 0.5) * 200),
      positionSigmaM: Math.fround(random() * 50),
      velocitySigmaMps: Math.fround(random() * 10),
      quality: Math.floor(random() * 101),
      iffClass: (['unknown', 'friendly', 'hostile'] as const)[Math.floor(random() * 3)]!,
    }),
  ],
  [
    'FIRE',
    (random) => ({
      type: 'FIRE',
      commandId: 1 + Math.floor(random() * 1e6),
      trackId: Math.floor(random() * 10_000),
      executeAtUs: Math.floor(random() * 3.6e9),
      aimEastM: Math.fround((random() - 0.5) * 40_000),
      aimNorthM: Math.fround((random() - 0.5) * 40_000),
      aimUpM: Math.fround(random() * 10_000),
    }),
  ],
];

/**
 * Median rate over `rounds` rounds of about `roundNs` each, after a warm-up that lets the JIT
 * settle. `work(n)` runs n operations.
 */
function measure(roundNs: number, rounds: number, work: (n: number) => void): number {
  let batch = 1_000;
  const warmUpEnd = process.hrtime.bigint() + BigInt(roundNs);
  while (process.hrtime.bigint() < warmUpEnd) work(batch);
  const rates: number[] = [];
  for (let r = 0; r < rounds; r++) {
    let done = 0;
    const start = process.hrtime.bigint();
    let elapsed = 0;
    while (elapsed < roundNs) {
      work(batch);
      done += batch;
      elapsed = Number(process.hrtime.bigint() - start);
      if (elapsed < roundNs / 100) batch *= 2;
    }
    rates.push((done / elapsed) * 1e9);
  }
  rates.sort((a, b) => a - b);
  return rates[Math.floor(rates.length / 2)]!;
}

/** A table of figures for a terminal. */
export function formatFigures(figures: readonly BenchFigure[]): string {
  const rows = figures.map((f) => [
    f.name,
    `${Math.round(f.value).toLocaleString('en-US')} ${f.unit}`,
    f.baselineValue === undefined ? '' : `${Math.round(f.baselineValue).toLocaleString('en-US')} ${f.unit}`,
    f.baselineValue === undefined ? '' : `x${Math.round(f.value / f.baselineValue).toLocaleString('en-US')}`,
    f.goal === undefined ? '' : `${f.value >= DECODE_GOAL_PER_S ? 'met' : 'NOT met'}: ${f.goal}`,
  ]);
  const header = ['figure', 'codec (one core)', `line ${LINE_BAUD} 8N1`, 'headroom', 'goal'];
  const notes = [...new Set(figures.map((f) => f.baseline).filter((b) => b !== undefined))];
  return [...ruledTable(header, rows), '', ...notes.map((n) => `line: ${n}`)].join('\n').trimEnd();
}

await partMain(import.meta.url, async ({ quick }) => [formatFigures(await runCodecBench({ quick }))]);
