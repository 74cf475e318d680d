/**
 * The node's fusion hook: partner reports held newest-first, out-of-order arrivals kept only
 * when newer, timeouts and a downed partner forget tracks, the store is bounded, and each tick
 * yields the fused picture with stable joint ids.
 */
import t from 'tap';
import { JointPicture } from '../../src/fusion/index.js';
import { local, partner } from './support.js';

const site = { latDeg: 52.1, lonDeg: 4.3, heightM: 10 };
const frame = { kind: 'enu', siteId: 'alpha', origin: site } as const;
const T0 = 1_760_000_000_000_000;
const S = 1_000_000;

t.test('a tick fuses what is held; ids stay; late reports are used when newer, ignored when older', async (t) => {
  const picture = new JointPicture({ site, ownNodeId: 'alpha', partnerTimeoutUs: 5 * S });
  picture.setLocalTracks([local('L1', T0, [0, 0, 1000, 100, 0, 0])]);
  t.equal(picture.offerPartner(partner('bravo', 'B1', T0 - 0.5 * S, [-45, 0, 1000, 100, 0, 0], frame)), 'held');
  const first = picture.tick(T0);
  t.equal(first.tracks.length, 1);
  t.equal(first.tracks[0]!.source, 'fused');
  const id = first.tracks[0]!.jointId;
  // a newer report replaces, an older one (arriving late) is not taken over the newer
  t.equal(picture.offerPartner(partner('bravo', 'B1', T0 + 0.5 * S, [55, 0, 1000, 100, 0, 0], frame)), 'replaced');
  t.equal(
    picture.offerPartner(partner('bravo', 'B1', T0 - 0.2 * S, [0, 0, 1000, 100, 0, 0], frame)),
    'older-than-held',
  );
  picture.setLocalTracks([local('L1', T0 + S, [100, 0, 1000, 100, 0, 0])]);
  const second = picture.tick(T0 + S);
  t.equal(second.tracks[0]!.jointId, id);
  t.equal(second.tracks[0]!.members[1]!.tovUs, T0 + 0.5 * S);
  t.equal(picture.offerPartner({ bad: true } as never), 'malformed');
});

t.test('timeouts, a downed partner and a full store forget or refuse tracks', async (t) => {
  const picture = new JointPicture({ site, ownNodeId: 'alpha', partnerTimeoutUs: 5 * S, maxPartnerTracks: 2 });
  picture.offerPartner(partner('bravo', 'B1', T0, [0, 0, 1000, 0, 0, 0], frame));
  picture.offerPartner(partner('charlie', 'C1', T0 + 3 * S, [9000, 0, 1000, 0, 0, 0], frame));
  t.equal(picture.offerPartner(partner('charlie', 'C2', T0, [0, 9000, 1000, 0, 0, 0], frame)), 'store-full');
  t.equal(picture.refusedFull, 1);
  const out = picture.tick(T0 + 6 * S);
  t.same(
    out.tracks.map((j) => j.members[0]!.trackId),
    ['C1'],
    'B1 timed out',
  );
  t.equal(picture.partnerCount, 1);
  t.equal(picture.dropPartner('charlie'), 1);
  t.equal(picture.tick(T0 + 6 * S).tracks.length, 0);
});
