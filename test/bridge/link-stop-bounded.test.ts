import { createServer, type Socket } from 'node:net';
import t from 'tap';
import { LINK_END_GRACE_MS, MqttBrokerLink } from '../../src/bridge/mqtt-broker-link.js';
import { RealClock } from '../../src/time/real-clock.js';
import { until } from './support/until.js';

/**
 * A broker that accepts the connection and then never acknowledges a QoS 1 publish (as a broker
 * does that silently drops what its ACL refuses): the link's stop still ends, within its grace.
 */
t.test('a stopping link does not wait forever for acknowledgements that never come', async (t) => {
  const sockets: Socket[] = [];
  let publishes = 0;
  const server = createServer((socket) => {
    sockets.push(socket);
    socket.on('data', (data) => {
      const type = data[0]! >> 4;
      if (type === 1) socket.write(Buffer.from([0x20, 0x02, 0x00, 0x00])); // CONNECT → CONNACK accepted
      if (type === 3) publishes++; // PUBLISH: never acknowledged
    });
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => {
    for (const s of sockets) s.destroy();
    server.close();
  });
  const port = (server.address() as { port: number }).port;
  const link = await MqttBrokerLink.create(
    { url: `mqtt://127.0.0.1:${port}`, protocol: '3.1.1' },
    { clientId: 'stop-test', subscriptions: [] },
    new RealClock(),
  );
  let up = false;
  link.start({ up: () => (up = true), down: () => undefined, message: () => undefined });
  t.ok(await until(() => up), 'connected');
  const outcome: { calls: number; error?: Error } = { calls: 0 };
  link.publish({ topic: 'shieldlink/v1/x/shared/ledger', payload: '{}', qos: 1, retain: false }, (error) => {
    outcome.calls++;
    if (error !== undefined) outcome.error = error;
  });
  t.ok(await until(() => publishes > 0), 'the broker got the publish');
  const startedMs = Date.now();
  await link.stop();
  const tookMs = Date.now() - startedMs;
  t.equal(outcome.calls, 1, 'the publish is told its fate once');
  t.ok(outcome.error instanceof Error, `as not delivered (${String(outcome.error)})`);
  t.ok(tookMs >= LINK_END_GRACE_MS - 50, `the stop waited its grace for the acknowledgement (${tookMs} ms)`);
  t.notOk(link.connected, 'the link is down');
});
