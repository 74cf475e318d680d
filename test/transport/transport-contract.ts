import t from 'tap';
import { type Transport, TransportError } from '../../src/transport/transport.js';
import { EndRecorder } from './end-recorder.js';
import { TestBytes } from './test-bytes.js';

/** Two connected, open ends of one medium, and how to drive it. */
export interface LinkUnderTest {
  readonly a: Transport;
  readonly b: Transport;
  /**
   * Let the medium work until `condition()` holds (run a virtual clock, or wait for real I/O);
   * reject naming `what` when it cannot happen.
   */
  waitFor(condition: () => boolean, what: string): Promise<void>;
  /** Release everything (close ends, stop helpers). */
  dispose(): Promise<void>;
}

/** A tap subtest (the parameter of `t.test`'s callback). */
export type SubTest = Parameters<Parameters<typeof t.test>[0]>[0];

export interface ContractOptions {
  /** Whether `b` hears `close('remote')` when `a` closes (TCP yes; a serial line cannot tell). */
  readonly peerSeesRemoteClose: boolean;
  /** A tap `skip` for every case (a medium that needs a missing tool: test/support/require-tool.ts). */
  readonly skip?: false | string;
}

/**
 * The one transport contract (src/transport/transport.ts), run against every medium: each case
 * gets a fresh link from `makeLink`. Media that need an order to reconnect put the end that
 * must be ready first (the TCP listener) as `b`.
 */
export function transportContract(
  medium: string,
  makeLink: () => Promise<LinkUnderTest>,
  options: ContractOptions,
): void {
  const withLink = (
    name: string,
    body: (t: SubTest, link: LinkUnderTest, ra: EndRecorder, rb: EndRecorder) => Promise<void>,
  ) =>
    t.test(`${medium}: ${name}`, { skip: options.skip ?? false }, async (t) => {
      const link = await makeLink();
      t.teardown(() => link.dispose());
      const ra = new EndRecorder(link.a);
      const rb = new EndRecorder(link.b);
      await body(t, link, ra, rb);
      t.same(ra.errors, [], 'a reported no error');
      t.same(rb.errors, [], 'b reported no error');
    });

  /** Settle-tracking for write promises (a paced write only resolves as time runs). */
  const track = (writes: Promise<void>[]) => {
    const state = { settled: 0, failures: [] as unknown[] };
    for (const write of writes) {
      write.then(
        () => state.settled++,
        (error: unknown) => {
          state.settled++;
          state.failures.push(error);
        },
      );
    }
    return state;
  };

  const reopen = async (link: LinkUnderTest): Promise<void> => {
    await Promise.all([link.b.isOpen ? undefined : link.b.open(), link.a.open()]);
  };

  withLink('bytes arrive in order across many writes of odd sizes, both ways at once', async (t, link, ra, rb) => {
    const gen = new TestBytes(0x5eed);
    const sizes = [1, 2, 3, 7, 255, 256, 257, 1, 1, 1000, 4095, 13, 0, 511];
    for (let i = 0; i < 40; i++) sizes.push(gen.int(1, 700));
    const fromA = sizes.map((n) => gen.bytes(n));
    const fromB = [...sizes].reverse().map((n) => gen.bytes(n));
    const total = sizes.reduce((s, n) => s + n, 0);
    // All writes issued back to back, none awaited: ordering must hold across queued writes.
    const writes = track([...fromA.map((c) => link.a.write(c)), ...fromB.map((c) => link.b.write(c))]);
    await link.waitFor(
      () => rb.byteCount >= total && ra.byteCount >= total && writes.settled === fromA.length * 2,
      'all bytes both ways',
    );
    t.same(writes.failures, [], 'every write resolved');
    t.same(Buffer.from(rb.received()), Buffer.concat(fromA), 'b got a’s bytes in order');
    t.same(Buffer.from(ra.received()), Buffer.concat(fromB), 'a got b’s bytes in order');
  });

  withLink('a 64 KiB write arrives intact', async (t, link, _ra, rb) => {
    const big = new TestBytes(64).bytes(64 * 1024);
    const writes = track([link.a.write(big)]);
    await link.waitFor(() => rb.byteCount >= big.length && writes.settled === 1, '64 KiB at b');
    t.same(writes.failures, [], 'the write resolved');
    t.equal(rb.byteCount, big.length, 'no extra bytes');
    t.ok(Buffer.from(rb.received()).equals(Buffer.from(big)), 'same bytes');
  });

  withLink('write when not open rejects with not-open and never throws', async (t, link, _ra, rb) => {
    await link.a.close();
    let write: Promise<void> | undefined;
    t.doesNotThrow(() => {
      write = link.a.write(new Uint8Array([1, 2, 3]));
    }, 'no synchronous throw');
    await t.rejects(write!, { name: 'TransportError', code: 'not-open' });
    if (options.peerSeesRemoteClose) await link.waitFor(() => rb.closes.length === 1, 'b closed');
  });

  withLink(
    'close emits close once with local; the peer sees remote where it can; reopen works',
    async (t, link, ra, rb) => {
      await link.a.close();
      t.same(ra.closeReasons(), ['local'], 'one local close, emitted before close() resolved');
      t.equal(ra.closes[0]?.cause, undefined, 'a local close has no cause');
      t.notOk(link.a.isOpen, 'a is closed');
      await link.a.close();
      t.same(ra.closeReasons(), ['local'], 'closing again is a no-op');
      if (options.peerSeesRemoteClose) {
        await link.waitFor(() => rb.closes.length > 0, 'b to hear the close');
        t.same(rb.closeReasons(), ['remote'], 'b heard remote');
        t.ok(rb.closes[0]?.cause instanceof Error, 'remote close carries a cause');
        t.notOk(link.b.isOpen, 'b is closed');
      } else {
        t.ok(link.b.isOpen, 'b cannot tell and stays open');
        t.same(rb.closeReasons(), [], 'b heard nothing');
      }

      await reopen(link);
      t.ok(link.a.isOpen && link.b.isOpen, 'both open again');
      const ping = new Uint8Array([0x10, 0x20, 0x00]);
      const pong = new Uint8Array([0x30, 0x40, 0x00, 0x50]);
      const writes = track([link.a.write(ping), link.b.write(pong)]);
      await link.waitFor(
        () => rb.byteCount >= ping.length && ra.byteCount >= pong.length && writes.settled === 2,
        'bytes after reopen',
      );
      t.same(writes.failures, [], 'writes after reopen resolved');
      t.same([...rb.received()], [...ping], 'a → b after reopen');
      t.same([...ra.received()], [...pong], 'b → a after reopen');

      await link.a.close();
      t.same(ra.closeReasons(), ['local', 'local'], 'one close per session');
    },
  );

  withLink('open while open is a no-op; concurrent opens share one attempt', async (t, link, ra, rb) => {
    await link.a.open();
    await Promise.all([link.a.open(), link.b.open()]);
    t.ok(link.a.isOpen && link.b.isOpen, 'still open');
    t.same([...ra.closeReasons(), ...rb.closeReasons()], [], 'no close events');

    await link.a.close();
    if (options.peerSeesRemoteClose) await link.waitFor(() => rb.closes.length === 1, 'b to hear the close');
    await Promise.all([link.b.isOpen ? undefined : link.b.open(), link.a.open(), link.a.open()]);
    t.ok(link.a.isOpen && link.b.isOpen, 'open again');
    const bytes = new Uint8Array([1, 2, 3, 4, 5]);
    const writes = track([link.a.write(bytes)]);
    await link.waitFor(() => rb.byteCount >= bytes.length && writes.settled === 1, 'bytes after concurrent open');
    t.same([...rb.received()], [...bytes], 'one working session');
  });

  withLink('a write in progress when the end closes settles (never hangs)', async (t, link, ra) => {
    const big = new TestBytes(7).bytes(64 * 1024);
    const writes = track([link.a.write(big), link.a.write(new Uint8Array([9]))]);
    await link.a.close();
    await link.waitFor(() => writes.settled === 2, 'writes to settle');
    for (const failure of writes.failures) {
      t.ok(failure instanceof TransportError, 'a failed write rejects with a TransportError');
      t.ok(
        failure instanceof TransportError && (failure.code === 'write-failed' || failure.code === 'not-open'),
        `code ${(failure as TransportError).code}`,
      );
    }
    t.same(ra.closeReasons(), ['local']);
  });

  withLink('off() removes a listener', async (t, link, _ra, rb) => {
    const seen: number[] = [];
    const listener = (chunk: Uint8Array): void => {
      seen.push(chunk.length);
    };
    link.b.on('data', listener);
    link.b.off('data', listener);
    const writes = track([link.a.write(new Uint8Array([1, 2]))]);
    await link.waitFor(() => rb.byteCount >= 2 && writes.settled === 1, 'bytes at b');
    t.same(seen, [], 'the removed listener heard nothing');
  });
}
