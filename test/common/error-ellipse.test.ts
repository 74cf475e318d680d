import fc from 'fast-check';
import t from 'tap';
import { ELLIPSE_95_SCALE, errorEllipse } from '../../src/common/error-ellipse.js';

t.test('95 % ellipse: axes and bearing of known covariances', async (t) => {
  t.ok(Math.abs(ELLIPSE_95_SCALE - Math.sqrt(5.991464547)) < 1e-8);
  const east = errorEllipse(400, 0, 100);
  t.ok(Math.abs(east.semiMajorM - 20 * ELLIPSE_95_SCALE) < 1e-9);
  t.ok(Math.abs(east.semiMinorM - 10 * ELLIPSE_95_SCALE) < 1e-9);
  t.ok(Math.abs(east.majorAxisBearingDeg - 90) < 1e-9, 'long east-west: bearing 90');
  const north = errorEllipse(100, 0, 400);
  t.ok(Math.abs(north.majorAxisBearingDeg - 0) < 1e-9, 'long north-south: bearing 0');
  // Correlated: major axis along north-east (bearing 45).
  const ne = errorEllipse(250, 150, 250);
  t.ok(Math.abs(ne.majorAxisBearingDeg - 45) < 1e-9, String(ne.majorAxisBearingDeg));
  t.ok(Math.abs(ne.semiMajorM - 20 * ELLIPSE_95_SCALE) < 1e-9);
  t.ok(Math.abs(ne.semiMinorM - 10 * ELLIPSE_95_SCALE) < 1e-9);
  const nw = errorEllipse(250, -150, 250);
  t.ok(Math.abs(nw.majorAxisBearingDeg - 135) < 1e-9, String(nw.majorAxisBearingDeg));
  const degenerate = errorEllipse(-1e-12, 0, 0);
  t.equal(degenerate.semiMajorM, 0);
});

t.test('95 % ellipse: its axes give back the covariance (property)', async () => {
  fc.assert(
    fc.property(
      fc.double({ min: 1, max: 1e4, noNaN: true }),
      fc.double({ min: 1, max: 1e4, noNaN: true }),
      fc.double({ min: -0.95, max: 0.95, noNaN: true }),
      (sa2, sb2, rho) => {
        const cov = rho * Math.sqrt(sa2 * sb2);
        const e = errorEllipse(sa2, cov, sb2);
        // The ellipse's axes reproduce the covariance: a²+b² = (varE+varN)·s², a·b = √det·s².
        const s2 = ELLIPSE_95_SCALE ** 2;
        const trace = (e.semiMajorM ** 2 + e.semiMinorM ** 2) / s2;
        const det = ((e.semiMajorM * e.semiMinorM) / s2) ** 2;
        return (
          Math.abs(trace - (sa2 + sb2)) < 1e-6 * (sa2 + sb2) &&
          Math.abs(det - (sa2 * sb2 - cov * cov)) < 1e-6 * sa2 * sb2 + 1e-9 &&
          e.majorAxisBearingDeg >= 0 &&
          e.majorAxisBearingDeg < 180
        );
      },
    ),
  );
});
