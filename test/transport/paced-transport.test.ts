import fc from 'fast-check';
import t from 'tap';
import { SYNC_ONLY } from '../../src/time/clock.js';
import { VirtualClock } from '../../src/time/virtual-clock.js';
import { createMemoryLinkPair } from '../../src/transport/memory-transport.js';
import { PacedTransport, lineTimeUs } from '../../src/transport/paced-transport.js';
import type { Transport, TransportError } from '../../src/transport/transport.js';
import { EndRecorder } from './end-recorder.js';
import { RecordingClock } from './recording-clock.js';
import { type LinkUnderTest, transportContract } from './transport-contract.js';

const BAUD = 921_600;

/** A memory link with both ends paced at 921600 baud, as host and simulator run in virtual time. */
async function pacedLink(): Promise<LinkUnderTest> {
  const clock = new VirtualClock();
  const pair = createMemoryLinkPair({ clock, name: 'paced' });
  const a = new PacedTransport(pair.hostEnd, { clock, baud: BAUD });
  const b = new PacedTransport(pair.deviceEnd, { clock, baud: BAUD });
  await a.open();
  await b.open();
  return {
    a,
    b,
    async waitFor(condition, what) {
      if (!(await clock.runUntilCondition(condition, clock.nowUs() + 60_000_000))) {
        throw new Error(`paced link: ${what} never happened`);
      }
    },
    async dispose() {
      await a.close();
      await b.close();
    },
  };
}

transportContract('memory+paced', pacedLink, { peerSeesRemoteClose: false });

/** A paced host end over a memory link, with arrival times recorded at the device end. */
async function timedLink(options: { baud?: number; chunkUs?: number; startUs?: number } = {}) {
  const clock = new VirtualClock(options.startUs ?? 0);
  const pair = createMemoryLinkPair({ clock });
  const paced = new PacedTransport(pair.hostEnd, {
    clock,
    baud: options.baud ?? BAUD,
    ...(options.chunkUs === undefined ? {} : { chunkUs: options.chunkUs }),
  });
  await paced.open();
  await pair.deviceEnd.open();
  const device = new EndRecorder(pair.deviceEnd);
  /** [arrival time, bytes so far] for each chunk the device received. */
  const arrivals: [number, number][] = [];
  pair.deviceEnd.on('data', () => arrivals.push([clock.nowUs(), device.byteCount]));
  return { clock, pair, paced, device, arrivals };
}

t.test('lineTimeUs: 10 bits per byte (8N1) at the baud', async (t) => {
  t.equal(lineTimeUs(1, 921_600), 10_000_000 / 921_600);
  t.equal(lineTimeUs(0, 9_600), 0);
  t.equal(lineTimeUs(96, 9_600), 100_000, '96 bytes at 9600 baud = 100 ms');
  t.equal(Math.round(lineTimeUs(1000, 921_600) * 1000) / 1000, 10_850.694);
  t.equal(lineTimeUs(10, 1_000_000, 11), 110, '8E1/8N2 = 11 bits per byte');
});

t.test('paced: 1000 bytes at 921600 baud arrive exactly at 10 850.7 us, in ~1 ms chunks', async (t) => {
  const { clock, paced, device, arrivals } = await timedLink({ startUs: 5_000 });
  t.equal(paced.chunkBytes, 92, '1 ms of line time at 921600 baud');
  let resolvedAtUs: number | undefined;
  const write = paced.write(new Uint8Array(1000).fill(0x55)).then(() => (resolvedAtUs = clock.nowUs()));
  await clock.runUntil(5_000 + 20_000);
  await write;
  t.equal(device.byteCount, 1000);
  const last = arrivals[arrivals.length - 1]!;
  t.equal(last[1], 1000);
  t.equal(Math.round(last[0] - 5_000), 10_851, 'last byte at start + 10 850.7 us (to the microsecond)');
  t.ok(Math.abs(last[0] - 5_000 - 10_850.694) < 0.001, 'exactly, not rounded by the clock');
  t.equal(resolvedAtUs, last[0], 'the write resolves when its last byte has left');
  t.equal(arrivals.length, Math.ceil(1000 / 92), 'one delivery per chunk');
  for (const [atUs, bytesSoFar] of arrivals) {
    t.ok(Math.abs(atUs - 5_000 - lineTimeUs(bytesSoFar, BAUD)) < 1e-6, `${bytesSoFar} bytes by their line time`);
  }
});

t.test('paced: back-to-back writes queue on the line; an idle line starts now', async (t) => {
  const { clock, paced, arrivals } = await timedLink({ baud: 115_200 });
  const frameUs = lineTimeUs(20, 115_200);
  const first = paced.write(new Uint8Array(20));
  const second = paced.write(new Uint8Array(20));
  t.equal(paced.queuedBytes, 40);
  await clock.runUntil(10_000);
  await Promise.all([first, second]);
  const ends = arrivals.filter(([, n]) => n % 20 === 0).map(([at]) => at);
  t.ok(Math.abs(ends[0]! - frameUs) < 1e-6, 'first frame ends after its own line time');
  t.ok(Math.abs(ends[1]! - 2 * frameUs) < 1e-6, 'second frame waits for the first');
  t.equal(paced.queuedBytes, 0);

  const third = paced.write(new Uint8Array(20));
  await clock.runUntil(20_000);
  await third;
  t.ok(Math.abs(arrivals[arrivals.length - 1]![0] - (10_000 + frameUs)) < 1e-6, 'an idle line starts at the write');
});

t.test('paced: the last chunk of each write ends on its last byte (frame delimiters are exact)', async (t) => {
  const { clock, paced, arrivals } = await timedLink({ chunkUs: 100 });
  t.equal(paced.chunkBytes, 9);
  const sizes = [5, 23, 9, 1];
  const writes = sizes.map((n) => paced.write(new Uint8Array(n)));
  await clock.runUntil(100_000);
  await Promise.all(writes);
  t.same(
    arrivals.map(([, n]) => n),
    [5, 14, 23, 28, 37, 38],
    'chunks counted from each write start, short final chunk per write',
  );
  for (const [atUs, n] of arrivals) t.ok(Math.abs(atUs - lineTimeUs(n, BAUD)) < 1e-6, `byte ${n} at its line time`);
});

t.test('paced: a slow line sends one byte per timer', async (t) => {
  const { clock, paced, arrivals } = await timedLink({ baud: 9_600 });
  t.equal(paced.chunkBytes, 1, 'a byte takes longer than a chunk');
  const write = paced.write(new Uint8Array(3));
  await clock.runUntil(10_000);
  await write;
  t.same(
    arrivals.map(([at]) => Math.round(at)),
    [1042, 2083, 3125],
  );
});

t.test('paced: closing or unplugging mid-write rejects pending writes with write-failed', async (t) => {
  const { clock, pair, paced, device } = await timedLink();
  const long = paced.write(new Uint8Array(10_000));
  const queued = paced.write(new Uint8Array(10));
  await clock.runUntil(20_000); // about 1843 of 10000 bytes have left
  pair.unplug();
  await t.rejects(long, { name: 'TransportError', code: 'write-failed' });
  await t.rejects(queued, { code: 'write-failed' });
  t.ok(device.byteCount < 10_000, 'the rest never left');
  t.equal(paced.queuedBytes, 0);
  t.equal(clock.pendingTimers, 0, 'no timer left behind');

  pair.replug();
  await paced.open();
  await pair.deviceEnd.open();
  const startUs = clock.nowUs();
  const after = paced.write(new Uint8Array(2));
  const arrivals: number[] = [];
  pair.deviceEnd.on('data', () => arrivals.push(clock.nowUs()));
  await clock.runUntil(startUs + 1_000);
  await after;
  t.ok(Math.abs(arrivals[0]! - startUs - lineTimeUs(2, BAUD)) < 1e-6, 'the line is idle again after reopen');

  const pending = paced.write(new Uint8Array(1_000));
  await paced.close();
  await t.rejects(pending, { code: 'write-failed' }, 'local close drops the unsent bytes too');
  await t.rejects(paced.write(new Uint8Array(1)), { code: 'not-open' });
});

t.test('paced: a real clock firing late sends every chunk already due at once', async (t) => {
  // A clock whose timers fire only when the test says, at a time of the test's choosing.
  const timers: { atUs: number; callback: () => void; cancelled: boolean }[] = [];
  let nowUs = 0;
  const clock = {
    kind: 'real' as const,
    nowUs: () => nowUs,
    setTimerAt(atUs: number, callback: () => void) {
      const timer = { atUs, callback, cancelled: false };
      timers.push(timer);
      return { cancel: () => void (timer.cancelled = true) };
    },
    setTimer(delayUs: number, callback: () => void) {
      return this.setTimerAt(nowUs + delayUs, callback);
    },
  };
  const virtual = new VirtualClock();
  const pair = createMemoryLinkPair({ clock: virtual });
  const paced = new PacedTransport(pair.hostEnd, { clock, baud: BAUD });
  await paced.open();
  await pair.deviceEnd.open();
  const device = new EndRecorder(pair.deviceEnd);
  const write = paced.write(new Uint8Array(500));
  t.equal(timers.length, 1);
  nowUs = 3_000; // the timer due at ~998 us fires 2 ms late
  timers.shift()!.callback();
  await virtual.runUntil(0);
  t.equal(device.byteCount, 92 * 3, 'the three chunks due by 3 ms went together');
  t.ok(Math.abs(timers[0]!.atUs - lineTimeUs(92 * 4, BAUD)) < 1e-6, 'the next stays on the original schedule');
  nowUs = 100_000;
  timers.shift()!.callback();
  await virtual.runUntil(0);
  await write;
  t.equal(device.byteCount, 500);
});

t.test('paced: rejects a bad baud at construction', async (t) => {
  const clock = new VirtualClock();
  const pair = createMemoryLinkPair({ clock });
  t.throws(() => new PacedTransport(pair.hostEnd, { clock, baud: 0 }), RangeError);
  t.throws(() => new PacedTransport(pair.hostEnd, { clock, baud: Number.NaN }), RangeError);
});

/** A paced host end over a memory link on a RecordingClock, with the device end's chunks kept. */
async function recordedLink(wrapInner?: (end: Transport) => Transport) {
  const clock = new RecordingClock();
  const pair = createMemoryLinkPair({ clock });
  const paced = new PacedTransport(wrapInner ? wrapInner(pair.hostEnd) : pair.hostEnd, { clock, baud: BAUD });
  await paced.open();
  await pair.deviceEnd.open();
  const chunks: { atUs: number; chunk: Uint8Array }[] = [];
  pair.deviceEnd.on('data', (chunk) => chunks.push({ atUs: clock.nowUs(), chunk }));
  return { clock, pair, paced, chunks };
}

t.test('paced: writeOwned() gives the bytes away uncopied and calls back inside the last timer', async (t) => {
  const { clock, paced, chunks } = await recordedLink();
  const frame = new Uint8Array(30).fill(7);
  const calls: { atUs: number; error: TransportError | undefined; timersFired: number }[] = [];
  paced.writeOwned(frame, (error) => calls.push({ atUs: clock.nowUs(), error, timersFired: clock.results.length }));
  t.same(calls, [], 'never called from inside writeOwned()');
  await clock.runUntil(10_000);
  t.same(calls, [{ atUs: lineTimeUs(30, BAUD), error: undefined, timersFired: 0 }], 'at the instant, in that timer');
  t.same(clock.results, [SYNC_ONLY, undefined], 'the pacing timer needed no event-loop turn; the delivery did');
  t.equal(chunks[0]!.chunk, frame, 'the very bytes reached the peer');
  t.equal(chunks[0]!.atUs, lineTimeUs(30, BAUD));
});

t.test('paced: write() copies and resolves through a promise, so its timer lets the loop settle', async (t) => {
  const { clock, paced, chunks } = await recordedLink();
  const frame = new Uint8Array(30).fill(7);
  const write = paced.write(frame);
  frame.fill(9); // the caller may reuse its buffer at once
  await clock.runUntil(10_000);
  await write;
  t.same([...chunks[0]!.chunk], new Array<number>(30).fill(7));
  t.same(clock.results, [undefined, undefined], 'a promise continuation belongs to the instant');
});

t.test('paced: an inner transport without SyncHandover is written through its promise', async (t) => {
  const plain = (end: Transport): Transport => ({
    get url() {
      return end.url;
    },
    get isOpen() {
      return end.isOpen;
    },
    open: () => end.open(),
    close: () => end.close(),
    write: (bytes) => end.write(bytes),
    on: (event, listener) => end.on(event, listener),
    off: (event, listener) => end.off(event, listener),
  });
  const { clock, paced, chunks } = await recordedLink(plain);
  const frame = new Uint8Array(200).fill(3);
  let done = false;
  paced.writeOwned(frame, (error) => (done = error === undefined));
  await clock.runUntil(10_000);
  t.ok(done);
  t.same(
    chunks.map((c) => c.chunk.length),
    [92, 92, 16],
  );
  t.not(chunks[0]!.chunk.buffer, frame.buffer, 'copied by the inner write()');
  t.same(clock.results.slice(0, 1), [undefined], 'a hand-over through a promise lets the loop settle');
});

t.test('property: writeOwned() and write() put the same bytes on the line at the same instants', async (t) => {
  const script = fc.array(fc.tuple(fc.integer({ min: 0, max: 400 }), fc.integer({ min: 0, max: 3_000 })), {
    maxLength: 25,
  });
  await fc.assert(
    fc.asyncProperty(script, async (steps) => {
      const arrivals = async (owned: boolean) => {
        const { clock, paced, chunks } = await recordedLink();
        let fill = 0;
        for (const [size, gapUs] of steps) {
          const bytes = new Uint8Array(size).fill(++fill & 0xff);
          if (owned) paced.writeOwned(bytes, () => undefined);
          else void paced.write(bytes);
          await clock.advance(gapUs);
        }
        await clock.advance(1_000_000);
        return chunks.map((c) => `${c.atUs}:${Buffer.from(c.chunk).toString('hex')}`);
      };
      return JSON.stringify(await arrivals(true)) === JSON.stringify(await arrivals(false));
    }),
    { numRuns: 100, seed: 913 },
  );
  t.pass();
});

t.test('paced: writeOwned() failures are reported from a microtask, as a rejection would be', async (t) => {
  const { clock, pair, paced } = await recordedLink();
  const outcomes: string[] = [];
  paced.writeOwned(new Uint8Array(1_000), (error) => outcomes.push(`long ${error?.code ?? 'ok'}`));
  paced.writeOwned(new Uint8Array(10), (error) => outcomes.push(`queued ${error?.code ?? 'ok'}`));
  paced.writeOwned(new Uint8Array(0), (error) => outcomes.push(`empty ${error?.code ?? 'ok'}`));
  await clock.runUntil(3_000);
  t.same(outcomes, ['empty ok']);
  pair.unplug();
  t.same(outcomes, ['empty ok'], 'not from inside the close event');
  await Promise.resolve();
  t.same(outcomes, ['empty ok', 'long write-failed', 'queued write-failed']);
  paced.writeOwned(new Uint8Array(1), (error) => outcomes.push(`closed ${error?.code ?? 'ok'}`));
  t.equal(outcomes.length, 3);
  await Promise.resolve();
  t.same(outcomes.slice(3), ['closed not-open']);
});
