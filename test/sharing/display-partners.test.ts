import t from 'tap';
import { DisplayState } from '../../src/display/web/display-state.js';
import { statusOnlinePayload } from '../../src/bridge/schemas/status-payload.js';

/** The display reads the joint picture's state from the node's status (the partner badge). */

const status = (sharing?: unknown) => ({
  v: 1,
  state: 'online',
  nodeId: 'node-b',
  bootId: 'b1',
  softwareVersion: '1',
  configHash: 'h',
  startedAt: '2026-12-07T01:00:00.000Z',
  publishedAt: '2026-12-07T01:00:01.000Z',
  devices: [],
  bridge: {
    mode: 'live',
    protocol: '3.1.1',
    degraded: [],
    outages: 0,
    spooledRecords: 0,
    droppedRecords: 0,
    lastOutage: null,
  },
  ...(sharing === undefined ? {} : { sharing }),
});

t.test('status.sharing becomes the partner badge; a node without sharing shows none', async (t) => {
  const stale = {
    alone: true,
    partners: {
      'node-a': {
        state: 'stale',
        tracks: 3,
        silentForMs: 4000,
        sent: 10,
        accepted: 9,
        dropped: { 'bad-signature': 2 },
      },
    },
    droppedUnknown: 0,
  };
  t.ok(statusOnlinePayload.safeParse(status(stale)).success, 'the example is a valid status');
  const s = new DisplayState(null);
  s.accept('shieldlink/v1/node-b/status', status(stale), 0);
  t.same(s.sharing, { alone: true, partners: [{ partnerId: 'node-a', state: 'stale', tracks: 3, dropped: 2 }] });
  s.accept(
    'shieldlink/v1/node-b/status',
    status({ ...stale, alone: false, partners: { 'node-a': { ...stale.partners['node-a'], state: 'live' } } }),
    0,
  );
  t.equal(s.sharing?.alone, false);
  t.equal(s.sharing?.partners[0]?.state, 'live');
  s.accept('shieldlink/v1/node-b/status', status(), 0);
  t.equal(s.sharing, null);
});
