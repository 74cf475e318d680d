import t from 'tap';
import type { ThreatSnapshot, TrackCovarianceSnapshot } from '../../src/control/index.js';
import { ThreatAccuracySampler, threatAccuracy } from '../../src/session/threat-accuracy.js';

// A target falling straight down at 100 m/s from 10 km, landing at (5000, 0) at t = 100 s (truth
// time; host time = truth + 2 s). The host track sits 30 m east of it with σ = 30 m on each axis.
const EPOCH_US = 2_000_000;
const truth: Record<string, unknown>[] = [];
for (let s = 0; s <= 100; s++)
  truth.push({
    kind: 'target',
    tUs: s * 1e6,
    targetId: 'b1',
    iff: 'hostile',
    eastM: 5000,
    northM: 0,
    upM: 10_000 - 100 * s,
  });
truth.push({
  kind: 'impact',
  tUs: 100e6,
  targetId: 'b1',
  iff: 'hostile',
  leaker: true,
  position: { eastM: 5000, northM: 0, upM: 0 },
});

function snapshot(
  hostUs: number,
  ippEastM: number,
  offsetM: number,
): {
  nowUs: number;
  threats: ThreatSnapshot[];
  covariances: TrackCovarianceSnapshot[];
} {
  const truthS = (hostUs - EPOCH_US) / 1e6;
  return {
    nowUs: hostUs,
    threats: [
      {
        trackId: 3,
        iff: 'hostile',
        kind: 'impact',
        impactAtHostUs: 102e6,
        ippEastM,
        ippNorthM: 40,
        ippVarEastM2: 100,
        ippCovM2: 0,
        ippVarNorthM2: 100,
        threatValue: 1,
        assets: [],
        assignment: null,
      },
    ],
    covariances: [
      {
        trackId: 3,
        estimateTimeUs: hostUs,
        eastM: 5000 + offsetM,
        northM: 0,
        upM: 10_000 - 100 * truthS,
        varEastM2: 900,
        varNorthM2: 900,
        varUpM2: 900,
      },
    ],
  };
}

t.test('IPP error at 30 s before impact and NEES against truth', async (t) => {
  const sampler = new ThreatAccuracySampler();
  // Snapshots every 200 ms of host time; the sampler keeps one a second.
  for (let us = EPOCH_US; us <= EPOCH_US + 99e6; us += 200_000) {
    const tti = (EPOCH_US + 100e6 - us) / 1e6;
    // The IPP is 30 m east, 40 m north of the truth impact 30 s out (error 50 m), worse before.
    sampler.add(snapshot(us, 5000 + (tti >= 29.5 && tti <= 30.5 ? 30 : 300), 30));
  }
  t.equal(sampler.samples().length, 100, 'one sample a second');
  const a = threatAccuracy(sampler.samples(), truth as never, EPOCH_US);
  t.equal(a.ipp.horizonS, 30);
  t.equal(a.ipp.count, 1);
  t.ok(Math.abs(a.ipp.errorM!.p50 - 50) < 1e-9, `error ${a.ipp.errorM?.p50} m`);
  // NEES: (30/30)² = 1 every sample, inside the band [0.22, 9.35].
  t.equal(a.nees.samples, 100);
  t.ok(Math.abs(a.nees.mean! - 1) < 1e-9);
  t.equal(a.nees.inBand95, 1);
  // An over-confident tracker (σ 3 m for a 30 m error): NEES 100, outside the band.
  const tight = threatAccuracy(
    sampler.samples().map((s) => ({
      ...s,
      estimates: s.estimates.map((e) => ({ ...e, varEastM2: 9, varNorthM2: 9, varUpM2: 9 })),
    })),
    truth as never,
    EPOCH_US,
  );
  t.ok(Math.abs(tight.nees.mean! - 100) < 1e-9);
  t.equal(tight.nees.inBand95, 0);
  // A track too far from every target is not scored; no truth impact: no IPP error.
  const far = threatAccuracy(
    sampler.samples().map((s) => ({ ...s, estimates: s.estimates.map((e) => ({ ...e, eastM: e.eastM + 5000 })) })),
    truth as never,
    EPOCH_US,
  );
  t.equal(far.nees.samples, 0);
  t.equal(far.nees.mean, null);
  t.equal(far.ipp.count, 0);
  t.equal(far.ipp.errorM, null);
  t.ok(
    a.nees.lower > 0.1 && a.nees.lower < 0.3 && a.nees.upper > 9 && a.nees.upper < 9.5,
    'chi-square 3 dof 95 % band',
  );
});
