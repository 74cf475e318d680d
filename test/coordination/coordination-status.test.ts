import t from 'tap';
import { CoordinationStatusBoard, coordinationOf } from '../../src/bridge/coordination-status.js';
import { statusOnlinePayload } from '../../src/bridge/schemas/status-payload.js';
import { coordinationStatusOf } from '../../src/compose/coordination-status-of.js';
import { DisplayState } from '../../src/display/web/display-state.js';
import { makeAgent } from './support.js';

/**
 * "Coordination lost" is shown in status: per partner `coordinated` / `coordination-lost` and since
 * when, from the agent's link state; the board tells the bridge only when status would show
 * something new; the status is a valid `status` payload and the display reads it.
 */

const T0 = 1_765_000_000_000;
const iso = (ms: number): string => new Date(T0 + ms).toISOString();

function birth(coordination: unknown): Record<string, unknown> {
  return {
    v: 1,
    state: 'online',
    nodeId: 'B',
    bootId: 'b1',
    softwareVersion: '1',
    configHash: 'h',
    startedAt: iso(0),
    publishedAt: iso(0),
    devices: [],
    bridge: {
      mode: 'live',
      protocol: '5',
      degraded: [],
      outages: 0,
      spooledRecords: 0,
      droppedRecords: 0,
      lastOutage: null,
    },
    coordination,
  };
}

t.test('status.coordination follows the partner link: never heard, coordinated, lost, back', (t) => {
  const a = makeAgent('A', ['B']);
  const b = makeAgent('B', ['A']);
  const board = new CoordinationStatusBoard();
  let published = 0;
  board.listen(() => published++);
  const seen: string[] = [];
  // A talks (heartbeats every second) until 5 s, is silent until 12 s, then talks again.
  for (let ms = 0; ms <= 16_000; ms += 100) {
    const outA = a.tick(ms * 1000, T0 + ms);
    const silent = ms > 5_000 && ms < 12_000;
    if (!silent) for (const m of outA.messages) b.receive(m.topic, m.payload, T0 + ms);
    b.tick(ms * 1000, T0 + ms);
    const status = coordinationStatusOf(b, T0 + ms);
    board.update(status);
    const line = `${status.state}/${status.partners['A']?.state}@${status.partners['A']?.since ?? '-'}`;
    if (seen.at(-1) !== line) seen.push(line);
  }
  // Lost 3 s after the last message heard (5 s); back when A's messages are taken again: the
  // first after the silence follows a gap in A's sequence, which waits 2 s before it is skipped.
  t.same(seen, [
    `coordinated/coordinated@${iso(0)}`,
    `coordination-lost/coordination-lost@${iso(8_000)}`,
    `coordinated/coordinated@${iso(14_000)}`,
  ]);
  t.equal(published, 3, 'the bridge is told of each change only (not of every tick)');
  t.equal(board.changes, 3);
  const payload = birth(board.payload());
  t.ok(statusOnlinePayload.safeParse(payload).success, 'a valid status payload');
  t.same(coordinationOf({ status: board }), { coordination: board.payload() });
  t.same(coordinationOf({ status: new CoordinationStatusBoard() }), {}, 'nothing before coordination reports');
  t.notOk(
    statusOnlinePayload.safeParse(birth({ ...board.payload(), state: 'maybe' })).success,
    'an unknown state is refused',
  );
  t.end();
});

t.test('the display reads status.coordination', (t) => {
  const s = new DisplayState(null);
  const lost = {
    state: 'coordination-lost',
    partners: { A: { state: 'coordination-lost', since: iso(8_100), claims: 1 } },
    holds: 1,
    duplicateEngagements: { linked: 0, lost: 2 },
  };
  t.ok(statusOnlinePayload.safeParse(birth(lost)).success);
  s.accept('shieldlink/v1/B/status', birth(lost), 0);
  t.same(s.coordination, {
    state: 'coordination-lost',
    partners: [{ partnerId: 'A', state: 'coordination-lost', since: iso(8_100) }],
    holds: 1,
    duplicates: 2,
  });
  const { coordination: _c, ...without } = birth(null);
  s.accept('shieldlink/v1/B/status', without, 0);
  t.equal(s.coordination, null, 'a node that does not coordinate shows no badge');
  t.end();
});
