import t from 'tap';
import { fusedTrackNees } from '../../src/compose/joint-nees.js';
import { filterCovarianceOf } from '../../src/compose/joint-track-conversions.js';

const estimate = {
  trackId: 1,
  estimateTimeUs: 0,
  eastM: 0,
  northM: 0,
  upM: 0,
  varEastM2: 4,
  varNorthM2: 9,
  varUpM2: 16,
  varEastMps2: 1,
  varNorthMps2: 2,
  varUpMps2: 3,
  covEastM2PerS: 0.5,
  covNorthM2PerS: -1,
  covUpM2PerS: 2,
};

t.test(
  'the core filter covariance as a 6×6: per-axis blocks, cross-axis 0; refused when not a covariance',
  async (t) => {
    const c = filterCovarianceOf(estimate)!;
    t.same([c[0], c[7], c[14], c[21], c[28], c[35]], [4, 9, 16, 1, 2, 3], 'variances on the diagonal');
    t.same([c[3], c[18], c[10], c[25], c[17], c[32]], [0.5, 0.5, -1, -1, 2, 2], 'position-velocity terms, symmetric');
    t.equal(c[1], 0, 'east-north 0: the axes are filtered apart');
    t.equal(filterCovarianceOf({ ...estimate, covEastM2PerS: 3 }), null, 'a 2×2 block not positive definite');
    t.equal(filterCovarianceOf({ ...estimate, varUpMps2: Number.NaN }), null, 'a NaN');
    const { covUpM2PerS: _, ...older } = estimate;
    t.equal(filterCovarianceOf(older), null, 'an estimate without the velocity terms (the caller models one)');
    t.equal(filterCovarianceOf(undefined), null);
  },
);

t.test('fused-track NEES: d^T P^-1 d against the nearest truth within the radius', async (t) => {
  const truth = [0, 1e6].map((tUs) => ({ kind: 'target', tUs, targetId: 'x', eastM: 0, northM: 0, upM: 0 }));
  const sample = (position: [number, number, number], cov: number[]) => ({
    atUs: 500_000,
    tracks: [{ trackId: 1, position, positionCovariance: cov }],
  });
  const diag = [4, 0, 0, 0, 9, 0, 0, 0, 16];
  const r = fusedTrackNees([sample([2, 3, 4], diag)], truth, 0, 100);
  t.equal(r.samples, 1);
  t.ok(Math.abs(r.mean! - 3) < 1e-12, '1 + 1 + 1');
  t.equal(r.inBand95, 1);
  const corr = [2, 1, 0, 1, 2, 0, 0, 0, 1];
  // inverse of [[2,1],[1,2]] is [[2,-1],[-1,2]]/3: d = (1, 1, 0) → (2 - 1 - 1 + 2)/3 = 2/3
  t.ok(Math.abs(fusedTrackNees([sample([1, 1, 0], corr)], truth, 0, 100).mean! - 2 / 3) < 1e-12, 'correlated');
  t.equal(fusedTrackNees([sample([500, 0, 0], diag)], truth, 0, 100).samples, 0, 'beyond the radius: not scored');
  t.equal(fusedTrackNees([sample([1, 0, 0], [1, 2, 0, 2, 1, 0, 0, 0, 1])], truth, 0, 100).samples, 0, 'not PD');
});
