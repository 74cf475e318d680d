/**
 * `shieldlink conformance --device ttm`: the simulated ARPA radar on a real PTY (socat) passes
 * every NMEA-TTM rule; broken TTM sources fail the rule they break and only that one — a bad
 * checksum (001), a bearing of 361.5 (006: a field out of range; 004 too, since the decoder
 * refuses it), a target that goes silent without being reported lost (007, the rate) — and the
 * usage errors exit 2.
 */
import t from 'tap';
import { type ArpaTargetTruth, TtmEmitter, ttmSentence } from '../../firmware-sim/nmea/ttm-emitter.js';
import { main } from '../../src/cli/main.js';
import { withChecksum } from '../../src/nmea/index.js';
import { RealClock } from '../../src/time/real-clock.js';
import { SerialTransport, type Transport, openPtyPair } from '../../src/transport/index.js';
import { captureIo } from '../conformance/support/capture-io.js';

const inCi = process.env['CI'] === 'true';
const probe = await openPtyPair().catch((error: Error) => error);
const skip =
  probe instanceof Error ? `socat not found or failed (${probe.message}): install socat to run the PTY test` : false;
if (skip && inCi) throw new Error(`${skip} (CI=true: a missing tool fails the test)`);
if (!(probe instanceof Error)) await probe.close();

const clock = new RealClock();
const TARGETS: ArpaTargetTruth[] = [
  { targetNumber: 1, eastM: 3000, northM: 4000, eastMps: 5, northMps: -3, status: 'tracking' },
  { targetNumber: 2, eastM: -1200, northM: 800, eastMps: 0, northMps: 7.5, status: 'tracking' },
];

/** A TTM source on one end of a fresh PTY pair writing `linesAt(k)` every 250 ms; the other end's path. */
async function source(
  t: { teardown(fn: () => unknown): void },
  linesAt: (k: number) => string[],
): Promise<{ path: string; transport: Transport }> {
  const pair = await openPtyPair();
  t.teardown(() => pair.close());
  const transport = new SerialTransport({ path: pair.paths[0], baud: 38400 });
  await transport.open();
  let k = 0;
  let timer = clock.setTimer(0, function tick() {
    const lines = linesAt(k++);
    if (lines.length > 0) void transport.write(Buffer.from(lines.map((l) => l + '\r\n').join(''), 'latin1'));
    timer = clock.setTimer(250_000, tick);
  });
  t.teardown(async () => {
    timer.cancel();
    await transport.close();
  });
  return { path: pair.paths[1], transport };
}

async function judge(path: string, extra: string[] = []): Promise<{ code: number; out: string }> {
  const io = captureIo();
  const code = await main(
    ['conformance', '--device', 'ttm', '--link', `serial:${path}?baud=38400`, '--listen-s', '3', ...extra],
    io,
  );
  return { code, out: io.stdoutText() + io.stderrText() };
}

function failedRules(out: string): string[] {
  return [...out.matchAll(/^FAIL (NMEA-TTM-\d+)/gm)].map((m) => m[1]!);
}

t.test('the simulated ARPA radar passes every TTM rule', { skip }, async (t) => {
  const pair = await openPtyPair();
  t.teardown(() => pair.close());
  const radar = new SerialTransport({ path: pair.paths[0], baud: 38400 });
  await radar.open();
  const emitter = new TtmEmitter(radar, clock, 500_000, () => TARGETS, { talker: 'RA', units: 'N' });
  emitter.start();
  t.teardown(async () => {
    emitter.stop();
    await radar.close();
  });
  const { code, out } = await judge(pair.paths[1], ['--max-interval-s', '1.5']);
  t.comment(out);
  t.equal(code, 0);
  t.same(failedRules(out), []);
  t.match(out, /^PASS NMEA-TTM-007 .*\n/m);
  t.match(out, /conformance ttm: 7 passed, 0 failed/);
});

const good = (k: number): string => ttmSentence(TARGETS[0]!, { talker: 'RA' }, k / 4);

t.test('a bad checksum fails NMEA-TTM-001 only', { skip }, async (t) => {
  const { path } = await source(t, (k) => [k % 3 === 1 ? good(k).replace(/\*[0-9A-F]{2}$/, '*00') : good(k)]);
  const { code, out } = await judge(path);
  t.equal(code, 1);
  t.same(failedRules(out), ['NMEA-TTM-001'], out);
});

t.test('a bearing of 361.5 degrees fails the field rules', { skip }, async (t) => {
  const bad = withChecksum('RATTM,01,2.700,361.5,T,11.00,59.0,T,,,N,,T,,,A');
  const { path } = await source(t, (k) => [good(k), ...(k % 4 === 2 ? [bad] : [])]);
  const { code, out } = await judge(path);
  t.equal(code, 1);
  t.same(failedRules(out), ['NMEA-TTM-004', 'NMEA-TTM-006'], out);
  t.match(out, /FAIL NMEA-TTM-006 .*bearing 361\.5 is outside \[0, 360\)/);
});

t.test('a target that goes silent without being reported lost fails NMEA-TTM-007 only', { skip }, async (t) => {
  const second = (k: number): string => ttmSentence(TARGETS[1]!, { talker: 'RA' }, k / 4);
  // target 2 stops after 0.5 s, never reported lost; target 1 goes on
  const { path } = await source(t, (k) => [good(k), ...(k < 2 ? [second(k)] : [])]);
  const { code, out } = await judge(path, ['--max-interval-s', '1']);
  t.equal(code, 1);
  t.same(failedRules(out), ['NMEA-TTM-007'], out);
  t.match(out, /target 2 unreported/);
});

t.test('usage errors exit 2', async (t) => {
  for (const [argv, message] of [
    [['conformance', '--device', 'ttm'], /missing --link URL/],
    [
      ['conformance', '--device', 'ttm', '--link', 'serial:/dev/x?baud=4800', '--listen-s', '0'],
      /--listen-s 0: expected seconds/,
    ],
    [['conformance', '--device', 'ttm', '--link', 'serial:/dev/x', '--rule', 'X'], /Unknown option '--rule'/],
    [['conformance', '--device', 'ttm', '--link', 'serial:/dev/x'], /needs \?baud=4800 .* or \?baud=38400/],
    [['conformance', '--device', 'ttm', '--link', 'serial:/dev/x?baud=9600'], /not 9600/],
  ] as const) {
    const io = captureIo();
    t.equal(await main([...argv], io), 2, argv.join(' '));
    t.match(io.stderrText(), message);
  }
});
