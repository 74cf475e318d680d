import t from 'tap';
import { PartnerPictures, type SharedTracksPayload } from '../../src/sharing/index.js';

const msg = (ids: string[], validAt = '2026-12-07T01:00:00.000Z'): SharedTracksPayload => ({
  v: 1,
  kind: 'shieldlink-shared-tracks',
  nodeId: 'node-b',
  to: 'node-a',
  bootId: 'b',
  seq: 1,
  sentAt: validAt,
  tracks: ids.map((trackId) => ({ trackId, validAt, ecefM: [1, 2, 3], pedigree: { node: 'node-b', fused: false } })),
  nodeSig: 'x'.repeat(86),
});

t.test('a partner picture goes live, turns stale after the configured silence, and recovers by itself', async (t) => {
  const p = new PartnerPictures(['node-b', 'node-c'], 3_000_000);
  t.equal(p.state('node-b'), 'never-heard');
  t.ok(p.alone(), 'alone before anything arrives');
  t.same(p.take('node-b', msg(['B1', 'B2']), 1_000_000), {
    partnerId: 'node-b',
    from: 'never-heard',
    to: 'live',
    atUs: 1_000_000,
    silentForUs: null,
  });
  t.notOk(p.alone());
  t.equal(p.take('node-b', msg(['B1']), 2_000_000), null, 'still live: no change');
  t.same(p.poll(4_999_999), [], 'not yet stale one microsecond before');
  t.same(p.poll(5_000_000), [
    { partnerId: 'node-b', from: 'live', to: 'stale', atUs: 5_000_000, silentForUs: 3_000_000 },
  ]);
  t.same(p.poll(6_000_000), [], 'reported once');
  t.ok(p.alone(), 'the node is on its own and says so');
  t.equal(p.tracks('node-b').length, 2, 'the stale picture is kept, marked stale');
  t.same(p.status(6_000_000)['node-b'], { state: 'stale', tracks: 2, silentForMs: 4000 });
  t.match(p.take('node-b', msg([]), 9_000_000), { from: 'stale', to: 'live', silentForUs: 7_000_000 });
  t.equal(p.take('node-z', msg(['Z']), 9_000_000), null, 'unknown partners are not held');
  t.same(p.tracks('node-z'), []);
});

t.test('the picture of one partner is bounded', async (t) => {
  const p = new PartnerPictures(['node-b'], 1_000_000);
  for (let k = 0; k < 25; k++) {
    const validAt = new Date(Date.parse('2026-12-07T01:00:00.000Z') + k * 1000).toISOString();
    p.take(
      'node-b',
      msg(
        Array.from({ length: 100 }, (_, i) => `T${k * 100 + i}`),
        validAt,
      ),
      k,
    );
  }
  t.equal(p.tracks('node-b').length, 2000);
  t.notOk(
    p.tracks('node-b').some((h) => h.entry.trackId === 'T0'),
    'the oldest went first',
  );
});
