/**
 * No data incest: whatever mix of local, partner and joint tracks a publisher holds (including
 * the joint picture the fusion just made), the selector returns only this node's own local
 * tracks with an unfused pedigree — never a partner track, a fused track, or a local track the
 * tracker built with partner data.
 */
import fc from 'fast-check';
import t from 'tap';
import {
  type JointTrack,
  type LocalTrack,
  type PartnerTrack,
  TRACK_IDENTITIES,
  TrackFuser,
  selectReleasableLocalTracks,
} from '../../src/fusion/index.js';
import { diagCov, local, partner } from './support.js';

const T0 = 1_760_000_000_000_000;
const site = { latDeg: 52.1, lonDeg: 4.3, heightM: 10 };
const frame = { kind: 'enu', siteId: 'alpha', origin: site } as const;

const pedigree = fc.record({
  nodeId: fc.constantFrom('alpha', 'bravo', 'charlie'),
  sensorId: fc.constantFrom('R1', 'S9', 'fused'),
  fused: fc.boolean(),
});
const common = {
  trackId: fc.stringMatching(/^[A-Z][0-9]{1,3}$/),
  tovUs: fc.constant(T0),
  state: fc.constant([0, 0, 1000, 0, 0, 0]),
  covariance: fc.constant(diagCov(100, 4)),
  identity: fc.constantFrom(...TRACK_IDENTITIES),
  quality: fc.double({ min: 0, max: 1, noNaN: true }),
  pedigree,
};
const anyTrack: fc.Arbitrary<LocalTrack | PartnerTrack | JointTrack> = fc.oneof(
  fc.record({ kind: fc.constant('local' as const), ...common }),
  fc.record({ kind: fc.constant('partner' as const), frame: fc.constant(frame), ...common }),
  fc.record({
    kind: fc.constant('joint' as const),
    jointId: fc.nat(),
    source: fc.constantFrom('local' as const, 'partner' as const, 'fused' as const),
    tovUs: fc.constant(T0),
    state: fc.constant([0, 0, 1000, 0, 0, 0]),
    covariance: fc.constant(diagCov(100, 4)),
    identity: fc.constantFrom(...TRACK_IDENTITIES),
    quality: fc.constant(0.5),
    members: fc.constant([]),
    associationCost: fc.constant([]),
  }),
);

t.test('only own, unfused local tracks are ever selected', async (t) => {
  fc.assert(
    fc.property(fc.array(anyTrack, { maxLength: 40 }), (tracks) => {
      const picked = selectReleasableLocalTracks(tracks, 'alpha');
      const expected = tracks.filter(
        (x) => x.kind === 'local' && x.pedigree.nodeId === 'alpha' && !x.pedigree.fused,
      ).length;
      return (
        picked.length === expected &&
        picked.every((x) => x.kind === 'local' && x.pedigree.nodeId === 'alpha' && x.pedigree.fused === false)
      );
    }),
    { seed: 1730, numRuns: 1000 },
  );
  t.pass();
});

t.test('from a fused picture: the local inputs are releasable, the joint tracks are not', async (t) => {
  const fuser = new TrackFuser({ site, ownNodeId: 'alpha' });
  const mine = local('L1', T0, [0, 0, 1000, 0, 0, 0]);
  const seeded: LocalTrack = {
    ...local('L2', T0, [5000, 0, 1000, 0, 0, 0]),
    pedigree: { nodeId: 'alpha', sensorId: 'fused', fused: true },
  };
  const theirs = partner('bravo', 'B1', T0, [3, 0, 1000, 0, 0, 0], frame);
  const picture = fuser.fuse(T0, [mine, seeded], [theirs]);
  t.equal(picture.tracks[0]!.source, 'fused');
  const picked = selectReleasableLocalTracks([...picture.tracks, mine, seeded, theirs], 'alpha');
  t.same(picked, [mine], 'only L1, its own estimate (not the fused one)');
  // a partner's data dressed as local but claiming the partner's node is refused too
  t.same(selectReleasableLocalTracks([{ ...mine, pedigree: { ...mine.pedigree, nodeId: 'bravo' } }], 'alpha'), []);
  // malformed local data is not released
  t.same(selectReleasableLocalTracks([{ ...mine, state: [Number.NaN, 0, 0, 0, 0, 0] }], 'alpha'), []);
});
