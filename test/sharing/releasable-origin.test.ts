import t from 'tap';
import type { TrackPicture, TrackView } from '../../src/bridge/bridge-source.js';
import { releasableTracks } from '../../src/bridge/sharing-link.js';

/** Fail closed on where a track comes from: only a track tagged `local` may be released. */

const view = (trackId: string, detail?: TrackView['detail']): TrackView => ({
  trackId,
  iff: 'hostile',
  quality: 'good',
  eastM: 1000,
  northM: 2000,
  upM: 3000,
  eastMps: -100,
  northMps: 0,
  upMps: 0,
  estimateTimeUs: 1_000_000,
  threatRank: 1,
  engagementId: null,
  ...(detail === undefined ? {} : { detail }),
});

t.test('a track without an origin, or with an unknown one, is treated as fused', async (t) => {
  const picture: TrackPicture = {
    hostTimeUs: 1_000_000,
    tracks: [
      view('T1', { origin: 'local', radarId: 'radar-1' }),
      view('T2'),
      view('T3', { model: 'cv' }),
      view('T4', { origin: 'partner' }),
      view('T5', { origin: 'mine, honestly' }),
    ],
  };
  const origins = releasableTracks(picture, 1_000_000, 1_767_225_600_000).map((r) => [r.trackId, r.origin]);
  t.same(origins, [
    ['T1', 'local'],
    ['T2', 'fused'],
    ['T3', 'fused'],
    ['T4', 'partner'],
    ['T5', 'fused'],
  ]);
});
