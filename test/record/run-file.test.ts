import { appendFile, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { OutputsHasher } from '../../src/record/outputs-hasher.js';
import {
  forEachIdleTick,
  type IdleRecord,
  idleTickCount,
  RUN_FILE_FORMAT,
  type RunManifest,
} from '../../src/record/run-file-format.js';
import { RunRecorder } from '../../src/record/run-recorder.js';
import { RunFileError, readRunFile } from '../../src/record/run-reader.js';
import { type ReplayableCore, replayRun } from '../../src/record/replay.js';

const manifest: RunManifest = {
  kind: 'manifest',
  format: RUN_FILE_FORMAT,
  softwareVersion: '0.0.0-test',
  configHash: 'abc',
  scenario: null,
  seed: 7,
  clockMode: 'virtual',
  tickPeriodUs: 1000,
  coreConfig: { gain: 2 },
};

/** A toy core: outputs the running sum times gain whenever an input arrives; every 5th tick an event. */
function toyCore(gain: number): ReplayableCore {
  let sum = 0;
  let tick = 0;
  return {
    step(nowUs, inputs) {
      tick++;
      const commands: unknown[] = [];
      for (const input of inputs) {
        sum += (input as { v: number }).v;
        commands.push({ out: sum * gain, atUs: nowUs });
      }
      const events = tick % 5 === 0 && inputs.length > 0 ? [{ tick }] : [];
      return { commands, events };
    },
  };
}

async function record(file: string, gain: number, ticks: number): Promise<string> {
  const recorder = RunRecorder.create(file, { ...manifest, coreConfig: { gain } });
  const core = toyCore(gain);
  for (let tick = 0; tick < ticks; tick++) {
    const nowUs = tick * 1000;
    const inputs = tick % 3 === 0 ? [{ v: tick }] : [];
    const out = core.step(nowUs, inputs);
    recorder.recordTick(tick, nowUs, inputs, out.commands, out.events);
  }
  recorder.recordAudit(5, { command: 'set-weapons-status', outcome: 'rejected' });
  return recorder.close({ ticks });
}

t.test('two recordings of the same run are byte-identical and replay verifies', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'sl-run-'));
  const a = join(dir, 'a.run');
  const b = join(dir, 'b.run');
  const hashA = await record(a, 2, 5000);
  const hashB = await record(b, 2, 5000);
  t.equal(hashA, hashB);
  t.ok((await readFile(a)).equals(await readFile(b)), 'byte-identical');
  const contents = await readRunFile(a);
  t.equal(contents.complete, true);
  t.equal(contents.truncatedTail, false);
  const verdict = replayRun(contents, (m) => toyCore((m.coreConfig as { gain: number }).gain));
  t.same(verdict, { identical: true, ticks: 5000, outputsSha256: hashA });
  t.ok(
    contents.records.some((r) => r.kind === 'idle'),
    'idle ticks packed',
  );
  t.ok(
    contents.records.some((r) => r.kind === 'audit'),
    'audit recorded',
  );
});

t.test('replay reports the first diverging tick', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'sl-run-'));
  const file = join(dir, 'a.run');
  await record(file, 2, 100);
  const contents = await readRunFile(file);
  let calls = 0;
  const verdict = replayRun(contents, () => {
    const core = toyCore(2);
    return {
      step(nowUs, inputs) {
        calls++;
        const out = core.step(nowUs, inputs);
        // Diverge on tick 30 (the 31st step).
        return calls === 31 ? { commands: [{ out: -1 }], events: out.events } : out;
      },
    };
  });
  t.equal(verdict.identical, false);
  if (!verdict.identical) t.equal(verdict.firstDivergence?.tick, 30);
});

t.test('a file cut mid-line reads back to its last complete record', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'sl-run-'));
  const file = join(dir, 'a.run');
  await record(file, 1, 50);
  const text = await readFile(file, 'utf8');
  const lines = text.trimEnd().split('\n');
  const cut = lines.slice(0, -1).join('\n') + '\n' + lines.at(-1)!.slice(0, 10);
  await writeFile(file, cut);
  const contents = await readRunFile(file);
  t.equal(contents.complete, false);
  t.equal(contents.truncatedTail, true);
  t.equal(contents.records.length, lines.length - 2, 'manifest and cut line excluded');
  const verdict = replayRun(contents, () => toyCore(1));
  t.equal(verdict.identical, false, 'an incomplete run never verifies');
});

t.test('corruption in the middle and non-run files are typed errors', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'sl-run-'));
  const file = join(dir, 'a.run');
  await record(file, 1, 20);
  const lines = (await readFile(file, 'utf8')).split('\n');
  lines[2] = '{garbage';
  await writeFile(file, lines.join('\n'));
  await t.rejects(readRunFile(file), RunFileError);
  const other = join(dir, 'other.txt');
  await writeFile(other, '{"kind":"something"}\n');
  await t.rejects(readRunFile(other), RunFileError);
  await t.rejects(readRunFile(join(dir, 'missing.run')), RunFileError);
  await appendFile(other, 'x');
});

t.test('recordIdleTick and a pre-serialised tick write the same file as the plain path', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'sl-run-'));
  const plain = join(dir, 'plain.run');
  const fast = join(dir, 'fast.run');
  const a = RunRecorder.create(plain, manifest);
  const b = RunRecorder.create(fast, manifest);
  // Odd values on purpose: non-integer, negative zero, large; idle lines longer than one packed line.
  for (let tick = 0; tick < 2_500; tick++) {
    const nowUs = tick * 1000.125 + (tick === 7 ? -0 : 0);
    if (tick % 997 === 5) {
      const inputs = [{ v: tick, s: 'a"b\\c\u2028', n: 1e21 }];
      const commands = [{ out: -0.5 }];
      const events: unknown[] = [];
      a.recordTick(tick, nowUs, inputs, commands, events);
      b.recordTick(tick, nowUs, inputs, commands, events, JSON.stringify({ tick, nowUs, inputs, commands, events }));
    } else {
      a.recordTick(tick, nowUs, [], [], []);
      b.recordIdleTick(tick, nowUs);
    }
  }
  t.equal(await a.close({ x: 1 }), await b.close({ x: 1 }));
  t.ok((await readFile(plain)).equals(await readFile(fast)), 'byte-identical files');
  const contents = await readRunFile(fast);
  t.equal(contents.records.filter((r) => r.kind === 'tick').length, 3);
  const idle = contents.records.filter((r): r is IdleRecord => r.kind === 'idle');
  t.equal(
    idle.reduce((n, r) => n + idleTickCount(r), 0),
    2_497,
  );
});

/** Write idle ticks at `times` (tick i at times[i]) and read back what the file says. */
async function idleRoundTrip(times: readonly number[]): Promise<{ read: [number, number][]; entries: number }> {
  const dir = await mkdtemp(join(tmpdir(), 'sl-run-'));
  const file = join(dir, 'idle.run');
  const recorder = RunRecorder.create(file, manifest);
  times.forEach((nowUs, tick) => recorder.recordIdleTick(tick, nowUs));
  await recorder.close(null);
  const read: [number, number][] = [];
  let entries = 0;
  for (const record of (await readRunFile(file)).records) {
    if (record.kind !== 'idle') continue;
    entries += record.ticks.length;
    forEachIdleTick(record, (tick, nowUs) => void read.push([tick, nowUs]));
  }
  return { read, entries };
}

t.test('idle ticks: evenly spaced ones become runs, and every tick reads back exactly', async (t) => {
  const regular = Array.from({ length: 5_000 }, (_, k) => 2_000 + k * 1_000);
  const a = await idleRoundTrip(regular);
  t.same(
    a.read,
    regular.map((nowUs, tick) => [tick, nowUs]),
  );
  t.equal(a.entries, 1, 'one run');
  // A period that is not a float64-exact step: times as a tick driver computes them.
  const third = Array.from({ length: 3_000 }, (_, k) => 5 + k * (1e6 / 3));
  const b = await idleRoundTrip(third);
  t.same(
    b.read,
    third.map((nowUs, tick) => [tick, nowUs]),
    'exact, bit for bit',
  );
  t.ok(b.entries < 3_000, `${b.entries} entries for 3000 ticks`);
  // Real-time jitter: irregular spacing reads back exactly too.
  let x = 7;
  const jittered = Array.from({ length: 2_500 }, (_, k) => {
    x = (x * 48271) % 2147483647;
    return k * 1_000 + (x % 97) / 7;
  });
  const c = await idleRoundTrip(jittered);
  t.same(
    c.read,
    jittered.map((nowUs, tick) => [tick, nowUs]),
  );
});

t.test('a version 1 file (idle pairs only) still reads and replays', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'sl-run-'));
  const file = join(dir, 'v1.run');
  const core = toyCore(2);
  const hasher = new OutputsHasher();
  const lines: unknown[] = [{ ...manifest, format: 'shieldlink-run/1' }];
  const idle: [number, number][] = [];
  for (let tick = 0; tick < 30; tick++) {
    const inputs = tick % 10 === 0 ? [{ v: tick }] : [];
    const out = core.step(tick * 1000, inputs);
    if (inputs.length === 0) idle.push([tick, tick * 1000]);
    else {
      if (idle.length > 0) lines.push({ kind: 'idle', ticks: idle.splice(0) });
      hasher.addTick(tick, out.commands, out.events);
      lines.push({ kind: 'tick', tick, nowUs: tick * 1000, inputs, ...out });
    }
  }
  lines.push({ kind: 'idle', ticks: idle.splice(0) });
  const outputsSha256 = hasher.digest();
  lines.push({ kind: 'end', ticks: 30, outputsSha256, summary: null });
  await writeFile(file, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
  const contents = await readRunFile(file);
  t.same(
    replayRun(contents, () => toyCore(2)),
    { identical: true, ticks: 30, outputsSha256 },
  );
});

t.test('a malformed idle record is a typed error', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'sl-run-'));
  for (const ticks of [[[1]], [[1, 2, 0, 5]], [[1, 2, 1.5, 5]], [[1, 'x']], 'nope', [[1, 2, 3]]]) {
    const file = join(dir, 'bad.run');
    await writeFile(file, [manifest, { kind: 'idle', ticks }].map((l) => JSON.stringify(l)).join('\n') + '\n');
    await t.rejects(readRunFile(file), RunFileError, JSON.stringify(ticks));
  }
});

t.test('threats lines: written in order after their tick, replay checks them against its core', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'sl-run-'));
  const file = join(dir, 'threats.run');
  const recorder = RunRecorder.create(file, manifest);
  const core = toyCore(2);
  let sum = 0;
  for (let tick = 0; tick < 50; tick++) {
    const nowUs = tick * 1000;
    const inputs = tick % 7 === 0 ? [{ v: tick }] : [];
    for (const i of inputs) sum += i.v;
    const out = core.step(nowUs, inputs);
    recorder.recordTick(tick, nowUs, inputs, out.commands, out.events);
    if (tick % 10 === 9) recorder.recordThreats(nowUs, [{ trackId: 1, sum }]);
  }
  await recorder.close({});
  const contents = await readRunFile(file);
  const kinds = contents.records.map((r) => r.kind);
  t.equal(kinds.filter((k) => k === 'threats').length, 5);
  t.equal(kinds.at(-2), 'threats', 'the last threats line comes after the idle ticks before it');
  const withThreats = (): ReplayableCore => {
    const inner = toyCore(2);
    let s = 0;
    return {
      step(nowUs, inputs) {
        for (const i of inputs) s += (i as { v: number }).v;
        return inner.step(nowUs, inputs);
      },
      threats: () => [{ trackId: 1, sum: s }],
    };
  };
  const ok = replayRun(contents, withThreats);
  t.equal(ok.identical, true, ok.identical ? 'identical' : ok.reason);
  // A core whose threat picture differs at the same instant diverges, naming the last tick.
  const off = replayRun(contents, () => {
    const inner = withThreats();
    return { step: (n, i) => inner.step(n, i), threats: () => [{ trackId: 1, sum: -1 }] };
  });
  t.equal(off.identical, false);
  if (!off.identical) {
    t.equal(off.reason, 'threat picture differs');
    t.equal(off.firstDivergence?.tick, 9);
  }
  // A core without a threat picture does not check the lines (older tools).
  t.equal(replayRun(contents, () => toyCore(2)).identical, true);
});
