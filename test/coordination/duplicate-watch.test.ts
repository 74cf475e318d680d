import t from 'tap';
import type { HeldClaim } from '../../src/coordination/claim-book.js';
import { DuplicateWatch } from '../../src/coordination/duplicate-watch.js';
import { PartnerLinks } from '../../src/coordination/partner-links.js';

const claim = (node: string, claimId: string, members: [string, string][]): HeldClaim => ({
  node,
  claimId,
  members: members.map(([n, trackId]) => ({ node: n, trackId })),
  interceptAtMs: 0,
  committed: true,
  expiresAtMs: 1e12,
  jointTrackId: 1,
  launcherId: 'l1',
  launchAtMs: 0,
  interceptEcefM: [0, 0, 0],
  killProbability: 0.8,
});

/** Node A's watch; partner B heard at 0 ms and lost from 3,000 ms on (silent since 0). */
function watchOfA(): DuplicateWatch {
  const links = new PartnerLinks(['B'], 3000);
  links.heard('B', 0);
  links.poll(3000);
  return new DuplicateWatch('A', links);
}

t.test('claims named apart are one threat once this node’s picture joined their names', (t) => {
  const w = watchOfA();
  // A fired on its track 3, B on its track 7, each claim naming only its own track (made apart).
  t.same(w.committed(claim('A', 'a1', [['A', '3']]), 5000), [], 'names apart, nothing joined yet');
  t.same(w.committed(claim('B', 'b1', [['B', '7']]), 6000), [], 'still apart');
  t.same(w.recheck(7000), [], 'nothing learnt: nothing to judge again');
  // A's picture fuses B's track 7 into a feed track 12, then its own track 3 with that feed track.
  w.learn(12, [
    { node: 'A', trackId: '12' },
    { node: 'B', trackId: '7' },
  ]);
  t.same(w.recheck(8000), [], 'B:7 joined to A’s track 12 only: not yet the threat A fired on');
  w.learn(3, [
    { node: 'A', trackId: '3' },
    { node: 'A', trackId: '12' },
  ]);
  const found = w.recheck(9000);
  t.same(
    found.map((e) => [e.claims, e.coordination, e.atMs]),
    [[['A:a1', 'B:b1'], 'lost', 9000]],
    'the pair is found when the names join (transitively), counted as while lost',
  );
  t.same(w.counts, { linked: 0, lost: 1 });
  w.learn(3, [{ node: 'B', trackId: '7' }]);
  t.same(w.recheck(10_000), [], 'a pair is counted once');
  t.end();
});

t.test('a FIRE after the other claim ended is a second look, whatever the names', (t) => {
  const w = watchOfA();
  const a = claim('A', 'a1', [['A', '3']]);
  w.committed(a, 5000);
  w.ended(a, 6000);
  w.learn(3, [
    { node: 'A', trackId: '3' },
    { node: 'B', trackId: '7' },
  ]);
  t.same(w.committed(claim('B', 'b1', [['B', '7']]), 6500), [], 'B fired after A’s claim ended');
  t.same(w.recheck(7000), []);
  t.same(w.counts, { linked: 0, lost: 0 });
  t.end();
});

t.test('names of different tracks never join: two threats, no duplicate', (t) => {
  const w = watchOfA();
  w.learn(3, [
    { node: 'A', trackId: '3' },
    { node: 'B', trackId: '7' },
  ]);
  w.learn(4, [
    { node: 'A', trackId: '4' },
    { node: 'B', trackId: '8' },
  ]);
  w.committed(claim('A', 'a1', [['A', '3']]), 5000);
  t.same(w.committed(claim('B', 'b1', [['B', '8']]), 5500), [], 'B:8 is A’s track 4, not 3');
  t.same(
    w.committed(claim('B', 'b2', [['B', '7']]), 5600).map((e) => e.claims),
    [['A:a1', 'B:b2']],
    'B:7 is A’s track 3: found at once',
  );
  t.end();
});
