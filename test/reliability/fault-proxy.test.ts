import t from 'tap';
import { DirectionFaults } from '../../src/proxy/direction-faults.js';
import { NO_FAULTS, parseFaultSpec } from '../../src/proxy/fault-spec.js';
import { FaultSpecError } from '../../src/proxy/fault-spec-error.js';
import { EXAMPLE_MESSAGES, encodeMessage } from '../../src/protocol/index.js';
import { startEngagementOperator } from './support/engagement-operator.js';
import { simHostBench } from './support/sim-host-bench.js';

const BENCH_FAULTS = 'drop=0.001,flip=0.0005,dup=0.01,delay=2ms±1ms,garbage=0.0005';
const FIXED_DELAY_FAULTS = 'drop=0.001,flip=0.0005,dup=0.01,delay=50us±25us,garbage=0.0005';

t.test('fault specs parse per direction; bad specs are one clear FaultSpecError', async (t) => {
  const spec = parseFaultSpec('drop=0.01,flip=0.001,dup=0.01,delay=2ms±1ms,garbage=0.001');
  t.same(spec['to-host'], {
    ...NO_FAULTS,
    drop: 0.01,
    flip: 0.001,
    dup: 0.01,
    garbage: 0.001,
    delayUs: 2000,
    jitterUs: 1000,
  });
  t.same(spec['to-device'], spec['to-host']);
  const split = parseFaultSpec('drop:to-host=0.05,delay:to-device=500us+-100us,garbage-max=4');
  t.equal(split['to-host'].drop, 0.05);
  t.equal(split['to-device'].drop, 0);
  t.same([split['to-device'].delayUs, split['to-device'].jitterUs, split['to-host'].delayUs], [500, 100, 0]);
  t.equal(split['to-host'].garbageMaxBytes, 4);
  t.same(parseFaultSpec(''), { 'to-host': NO_FAULTS, 'to-device': NO_FAULTS });
  const bad: Array<[string, RegExp]> = [
    ['drop=2', /rate '2' is not a probability/],
    ['drop=-0.1', /not a probability/],
    ['drop=abc', /not a probability/],
    ['drip=0.1', /unknown fault 'drip'/],
    ['drop', /expected KEY=VALUE/],
    ['delay=2', /not a number with a unit/],
    ['delay=1ms±2ms', /jitter 2ms is larger than the delay 1ms/],
    ['drop:sideways=0.1', /direction 'sideways'/],
    ['drop=0.1,drop=0.2', /drop given twice/],
    ['garbage-max=0', /garbage-max must be/],
  ];
  for (const [text, why] of bad) {
    t.throws(() => parseFaultSpec(text), FaultSpecError, text);
    t.throws(() => parseFaultSpec(text), why, text);
  }
});

t.test('direction faults: seeded, counted, every one reported, memory bounded', async (t) => {
  const frames: Uint8Array[] = [];
  for (let seq = 0; seq < 20_000; seq++) {
    const example = EXAMPLE_MESSAGES[seq % EXAMPLE_MESSAGES.length]!.message;
    frames.push(encodeMessage({ ...example, seq: seq & 0xffff }));
  }
  const stream = Buffer.concat(frames);
  const spec = parseFaultSpec('drop=0.01,flip=0.001,dup=0.01,garbage=0.001')['to-host'];
  const run = (): { out: Buffer; faults: DirectionFaults; reports: number } => {
    let reports = 0;
    const faults = new DirectionFaults('to-host', spec, 42, () => reports++);
    const pieces: Uint8Array[] = [];
    for (let at = 0; at < stream.length; at += 97) pieces.push(faults.apply(stream.subarray(at, at + 97)));
    return { out: Buffer.concat(pieces), faults, reports };
  };
  const a = run();
  const b = run();
  t.ok(a.out.equals(b.out), 'same seed, same bytes in: same bytes out');
  const c = a.faults.counters;
  const total = c.dropped + c.flipped + c.duplicatedFrames + c.garbageBursts;
  t.equal(a.reports, total, 'every injected fault reported once');
  t.equal(c.bytesIn, stream.length);
  // Seeded, so exact; the bounds only say the rates are honoured (±30 %).
  const near = (n: number, expected: number): boolean => n > expected * 0.7 && n < expected * 1.3;
  t.ok(near(c.dropped, stream.length * 0.01), `dropped ${c.dropped} of ${stream.length}`);
  t.ok(near(c.flipped, stream.length * 0.001 * 0.99), `flipped ${c.flipped}`);
  t.ok(near(c.duplicatedFrames, frames.length * 0.01 * 0.8), `duplicated ${c.duplicatedFrames} frames`);
  t.ok(near(c.garbageBursts, stream.length * 0.001 * 0.99), `garbage bursts ${c.garbageBursts}`);
  t.comment(
    `proxy faults over ${stream.length} bytes / ${frames.length} frames: dropped ${c.dropped}, flipped ${c.flipped}, ` +
      `dup ${c.duplicatedFrames}, garbage ${c.garbageBursts} bursts (${c.garbageBytes} B)`,
  );

  // A megabyte without a delimiter: the dup buffer stays bounded and nothing is duplicated.
  const noDelimiter = new DirectionFaults('to-host', { ...NO_FAULTS, dup: 1 }, 1, () => undefined);
  const out = noDelimiter.apply(new Uint8Array(1 << 20).fill(0x55));
  t.equal(out.length, 1 << 20, 'no frame, nothing duplicated');
  t.equal(noDelimiter.counters.duplicatedFrames, 0);
});

async function proxiedEngagement(faultsText: string, simS: number) {
  const bench = await simHostBench({ proxyFaults: parseFaultSpec(faultsText), proxySeed: 8 });
  const active = await bench.runUntil(() => bench.launcher.linkState === 'active', 5_000_000);
  const operator = startEngagementOperator(bench.clock, bench.launcher, 400_000);
  await bench.clock.advance(simS * 1_000_000);
  operator.stop();
  await bench.stop();
  const launches = bench.truth.ofKind('launch');
  const perId = new Map<number, number>();
  for (const l of launches) perId.set(l.commandId, (perId.get(l.commandId) ?? 0) + 1);
  const counters = bench.proxy!.counters();
  const injected = (d: 'to-host' | 'to-device'): number =>
    counters[d].dropped + counters[d].flipped + counters[d].duplicatedFrames + counters[d].garbageBursts;
  return { bench, active, tally: operator.tally, launches, perId, counters, injected };
}

for (const [faultsText, accepting] of [
  [BENCH_FAULTS, false],
  [FIXED_DELAY_FAULTS, true],
] as const) {
  t.test(
    `drivers through the proxy against the simulator, faults ${faultsText}: no unsafe outcome, faults counted`,
    async (t) => {
      const SIM_S = 120;
      const { bench, active, tally, launches, perId, counters, injected } = await proxiedEngagement(faultsText, SIM_S);
      t.ok(active, 'active through the proxy');
      t.comment(
        `${SIM_S} s virtual through the proxy (${faultsText}): faults to-host ${injected('to-host')}, ` +
          `to-device ${injected('to-device')}; operator ${JSON.stringify(tally)}; launches ${launches.length}; ` +
          `host frame errors ${JSON.stringify(bench.launcher.counters().frameErrors)}; to-host ${JSON.stringify(counters['to-host'])}`,
      );
      t.ok(injected('to-host') > 50 && injected('to-device') > 5, 'faults were injected both ways');
      t.equal(
        bench.proxyLog.filter((r) => r.fault !== 'delay').length,
        injected('to-host') + injected('to-device'),
        'every fault logged',
      );
      t.equal(
        bench.truth.ofKind('fire-while-link-down').length,
        0,
        'no FIRE reached the launcher while its link was down',
      );
      t.equal(bench.truth.ofKind('duplicate-execution').length, 0, 'no command id executed twice');
      t.ok(
        [...perId.values()].every((n) => n === 1),
        'each command id launched at most once',
      );
      t.ok(launches.length <= tally.firesAccepted, 'no launch the host was not told about');
      t.equal(
        bench.host.writes.filter((w) => w.message === undefined).length,
        0,
        'the host only ever wrote valid frames',
      );
      if (accepting) {
        t.ok(
          tally.firesAccepted > 0 && launches.length > 0,
          'with a short delay the engagement goes on through the faults',
        );
      } else {
        // 2 ms ± 1 ms each way puts the time-sync bound (about RTT/2) far above 200 us: FIRE fails closed.
        t.equal(tally.firesAccepted, 0, 'with 2 ms ± 1 ms delays every FIRE is refused (sync out of bound), none sent');
        t.equal(launches.length, 0);
        t.equal(bench.host.writesOf('FIRE').length, 0, 'no FIRE frame left the host');
      }
    },
  );
}
