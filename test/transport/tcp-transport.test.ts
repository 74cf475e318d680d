import { connect } from 'node:net';
import t from 'tap';
import { RealClock } from '../../src/time/real-clock.js';
import { TcpServerTransport } from '../../src/transport/tcp-server-transport.js';
import { TcpTransport } from '../../src/transport/tcp-transport.js';
import { EndRecorder } from './end-recorder.js';
import { pollUntil } from './poll-until.js';
import { type LinkUnderTest, transportContract } from './transport-contract.js';

const clock = new RealClock();

/** Client `a` ⇄ listening end `b` on a free port of 127.0.0.1. */
async function tcpLink(): Promise<LinkUnderTest> {
  const b = new TcpServerTransport({ port: 0 });
  const port = await b.listen();
  const a = new TcpTransport({ host: '127.0.0.1', port, clock });
  await Promise.all([b.open(), a.open()]);
  return {
    a,
    b,
    waitFor: (condition, what) => pollUntil(condition, what),
    async dispose() {
      await a.close();
      await b.close();
    },
  };
}

transportContract('tcp', tcpLink, { peerSeesRemoteClose: true });

t.test('tcp: URLs name the endpoint, with the bound port once listening', async (t) => {
  const server = new TcpServerTransport({ port: 0 });
  t.equal(server.url, 'tcp-listen://127.0.0.1:0');
  t.equal(server.port, undefined);
  const port = await server.listen();
  t.equal(await server.listen(), port, 'listen() is idempotent');
  t.equal(server.port, port);
  t.equal(server.url, `tcp-listen://127.0.0.1:${port}`);
  t.equal(new TcpTransport({ host: '::1', port: 4001, clock }).url, 'tcp://[::1]:4001');
  await server.close();
});

t.test('tcp: connection refused → open-failed; the client reconnects after a server restart', async (t) => {
  const server = new TcpServerTransport({ port: 0 });
  const port = await server.listen();
  const client = new TcpTransport({ host: '127.0.0.1', port, clock });
  const clientEvents = new EndRecorder(client);
  const serverEvents = new EndRecorder(server);
  await Promise.all([server.open(), client.open()]);

  await server.close(); // the device server goes away
  t.same(serverEvents.closeReasons(), ['local']);
  await pollUntil(() => clientEvents.closes.length === 1, 'the client to notice');
  t.same(clientEvents.closeReasons(), ['remote'], 'the client hears remote');
  await t.rejects(client.open(), { name: 'TransportError', code: 'open-failed', message: /ECONNREFUSED/ });
  t.notOk(client.isOpen);

  const serverOpen = server.open(); // back on the same port, even though it first asked for 0
  t.equal(await server.listen(), port, 'same port after restart');
  await client.open();
  await serverOpen;
  await client.write(new TextEncoder().encode('hello again'));
  await pollUntil(() => serverEvents.byteCount === 11, 'bytes after reconnect');
  t.equal(new TextDecoder().decode(serverEvents.received()), 'hello again');
  t.same(clientEvents.closeReasons(), ['remote'], 'no extra close events');
  t.same([...clientEvents.errors, ...serverEvents.errors], []);
  await client.close();
  await server.close();
});

t.test('tcp: one client at a time — a second client is refused and the session goes on', async (t) => {
  const server = new TcpServerTransport({ port: 0 });
  const port = await server.listen();
  const first = new TcpTransport({ host: '127.0.0.1', port, clock });
  const serverEvents = new EndRecorder(server);
  await Promise.all([server.open(), first.open()]);

  const second = new TcpTransport({ host: '127.0.0.1', port, clock });
  const secondEvents = new EndRecorder(second);
  // The kernel completes the handshake on the listening socket before the server can refuse, so
  // the open usually succeeds and the refusal arrives as a remote close; a refusal that beats the
  // open must fail it as open-failed. Either way the client learns it, never silently.
  const openError = await second.open().then(
    () => undefined,
    (error: unknown) => error,
  );
  await pollUntil(() => serverEvents.errors.length === 1, 'the refusal to be reported');
  t.match(serverEvents.errors[0]?.message, /refused a second client/);
  await pollUntil(() => !second.isOpen, 'the second client to be closed');
  if (openError === undefined) {
    await pollUntil(() => secondEvents.closes.length === 1, 'the refused client to hear the close');
    t.same(secondEvents.closeReasons(), ['remote'], 'the refused client hears remote');
  } else {
    t.match(openError, { name: 'TransportError', code: 'open-failed' }, 'the refused open fails');
    t.same(secondEvents.closeReasons(), [], 'and nothing was opened to close');
  }

  await first.write(new Uint8Array([1, 2, 3]));
  await pollUntil(() => serverEvents.byteCount === 3, 'the first session to carry on');
  t.same(serverEvents.closeReasons(), [], 'the session was not disturbed');
  await first.close();
  await server.close();
});

t.test('tcp: a client arriving between sessions waits, unread, for the next open()', async (t) => {
  const server = new TcpServerTransport({ port: 0 });
  const port = await server.listen();
  const serverEvents = new EndRecorder(server);
  const client = new TcpTransport({ host: '127.0.0.1', port, clock });
  await client.open(); // accepted by the kernel, held by the listener
  await client.write(new Uint8Array([7, 8, 9]));
  t.notOk(server.isOpen, 'not open before open()');
  t.equal(serverEvents.byteCount, 0, 'nothing delivered before open()');
  await server.open();
  await pollUntil(() => serverEvents.byteCount === 3, 'the early bytes');
  t.same([...serverEvents.received()], [7, 8, 9], 'bytes sent before open() are kept');
  await client.close();
  await pollUntil(() => serverEvents.closes.length === 1, 'the server to hear the client leave');
  t.same(serverEvents.closeReasons(), ['remote']);
  await server.close();
});

t.test('tcp: a peer reset is remote; close() while waiting for a client rejects open()', async (t) => {
  const server = new TcpServerTransport({ port: 0 });
  const port = await server.listen();
  const serverEvents = new EndRecorder(server);
  const opened = server.open();
  const raw = connect({ host: '127.0.0.1', port });
  await new Promise((resolve) => raw.once('connect', resolve));
  await opened;
  raw.resetAndDestroy();
  await pollUntil(() => serverEvents.closes.length === 1, 'the reset to be seen');
  t.same(serverEvents.closeReasons(), ['remote'], 'a reset is the peer going away');
  t.match(serverEvents.closes[0]?.cause, { code: 'ECONNRESET' });

  const waiting = server.open();
  await server.close();
  await t.rejects(waiting, { name: 'TransportError', code: 'open-failed', message: /closed while waiting/ });
  t.same(serverEvents.closeReasons(), ['remote'], 'no session, no close event');
});

t.test('tcp: close() during connect rejects the attempt', async (t) => {
  const server = new TcpServerTransport({ port: 0 });
  const port = await server.listen();
  const client = new TcpTransport({ host: '127.0.0.1', port, clock });
  const events = new EndRecorder(client);
  const attempt = client.open();
  await client.close();
  await t.rejects(attempt, { code: 'open-failed', message: /closed while connecting/ });
  t.notOk(client.isOpen);
  t.same(events.closeReasons(), []);
  await server.close();
});
