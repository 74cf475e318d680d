/**
 * WGS-84 ⇄ ECEF ⇄ ENU against published reference values:
 * - GeographicLib, CartConvert(1) manual, EXAMPLES (https://geographiclib.sourceforge.io/C++/doc/CartConvert.1.html):
 *   `echo 33.3 44.4 6000 | CartConvert` → `3816209.60 3737108.55 3485109.57`;
 *   `echo 33.3 44.4 6000 | CartConvert -l 33 44 20` → `37288.97 33374.29 5783.64` (the up value
 *   is 5783.65 in pygeodesy's tests of its port of GeographicLib's LocalCartesian, which note the
 *   manual's .64: the manual's last digit is off; we compute 5783.6466, so up is held to 1 cm).
 * - GeographicLib, examples/example-Geocentric.cpp: Mt Everest 27.99 N 86.93 E 8820 m →
 *   X Y Z ≈ 302 5636 2980 km (printed rounded to km there; 302271.43 5635928.37 2979666.13 m to
 *   the centimetre as pygeodesy's tests quote GeographicLib).
 */
import fc from 'fast-check';
import t from 'tap';
import { GeoError, LocalFrame, ecefToGeodetic, geodeticToEcef } from '../../src/geo/index.js';

const CM = 0.005; // the references print centimetres

t.test('geodetic to ECEF: GeographicLib CartConvert example and Everest', async (t) => {
  const p = geodeticToEcef({ latDeg: 33.3, lonDeg: 44.4, heightM: 6000 });
  t.ok(
    Math.abs(p.x - 3816209.6) < CM && Math.abs(p.y - 3737108.55) < CM && Math.abs(p.z - 3485109.57) < CM,
    JSON.stringify(p),
  );
  const everest = geodeticToEcef({ latDeg: 27.99, lonDeg: 86.93, heightM: 8820 });
  t.ok(
    Math.abs(everest.x - 302271.43) < CM &&
      Math.abs(everest.y - 5635928.37) < CM &&
      Math.abs(everest.z - 2979666.13) < CM,
    JSON.stringify(everest),
  );
});

t.test('ECEF to geodetic: the CartConvert example back', async (t) => {
  const g = ecefToGeodetic({ x: 3816209.6, y: 3737108.55, z: 3485109.57 });
  t.ok(
    Math.abs(g.latDeg - 33.3) < 1e-7 && Math.abs(g.lonDeg - 44.4) < 1e-7 && Math.abs(g.heightM - 6000) < 0.01,
    JSON.stringify(g),
  );
});

t.test('local ENU: GeographicLib CartConvert -l 33 44 20 example', async (t) => {
  const frame = new LocalFrame({ latDeg: 33, lonDeg: 44, heightM: 20 });
  const enu = frame.enuOf({ latDeg: 33.3, lonDeg: 44.4, heightM: 6000 });
  t.ok(
    Math.abs(enu.eastM - 37288.97) < CM && Math.abs(enu.northM - 33374.29) < CM && Math.abs(enu.upM - 5783.64) < 0.01,
    JSON.stringify(enu),
  );
  const back = frame.geodeticOf(enu);
  t.ok(
    Math.abs(back.latDeg - 33.3) < 1e-9 && Math.abs(back.lonDeg - 44.4) < 1e-9 && Math.abs(back.heightM - 6000) < 1e-4,
  );
});

const geodetic = fc.record({
  latDeg: fc.double({ min: -90, max: 90, noNaN: true }),
  lonDeg: fc.double({ min: -180, max: 180, noNaN: true }),
  heightM: fc.double({ min: -1000, max: 100_000, noNaN: true }),
});

t.test('geodetic → ECEF → geodetic is the identity (1e-9°, 0.1 mm) everywhere, poles included', async (t) => {
  fc.assert(
    fc.property(geodetic, (g) => {
      const back = ecefToGeodetic(geodeticToEcef(g));
      const lonOk = Math.abs(g.latDeg) > 89.9999 || Math.abs(((back.lonDeg - g.lonDeg + 540) % 360) - 180) < 1e-9;
      return Math.abs(back.latDeg - g.latDeg) < 1e-9 && lonOk && Math.abs(back.heightM - g.heightM) < 1e-4;
    }),
    { seed: 4242, numRuns: 5000 },
  );
  t.pass();
});

t.test('ENU of site A to ENU of site B and back is the identity; rotations keep lengths', async (t) => {
  const site = fc.record({
    latDeg: fc.double({ min: -80, max: 80, noNaN: true }),
    lonDeg: fc.double({ min: -180, max: 180, noNaN: true }),
    heightM: fc.double({ min: -100, max: 3000, noNaN: true }),
  });
  const enu = fc.record({
    eastM: fc.double({ min: -200_000, max: 200_000, noNaN: true }),
    northM: fc.double({ min: -200_000, max: 200_000, noNaN: true }),
    upM: fc.double({ min: -1000, max: 30_000, noNaN: true }),
  });
  fc.assert(
    fc.property(site, site, enu, (sa, sb, p) => {
      const a = new LocalFrame(sa);
      const b = new LocalFrame(sb);
      const there = b.enuFromFrame(a, p);
      const back = a.enuFromFrame(b, there);
      const v = b.vectorFromFrame(a, p);
      const len = (q: typeof p): number => Math.hypot(q.eastM, q.northM, q.upM);
      return (
        Math.abs(back.eastM - p.eastM) < 1e-6 &&
        Math.abs(back.northM - p.northM) < 1e-6 &&
        Math.abs(back.upM - p.upM) < 1e-6 &&
        Math.abs(len(v) - len(p)) < 1e-6
      );
    }),
    { seed: 4243, numRuns: 2000 },
  );
  // one site: the same frame is the identity; two sites 1° of longitude apart on the equator
  const a = new LocalFrame({ latDeg: 0, lonDeg: 0, heightM: 0 });
  const b = new LocalFrame({ latDeg: 0, lonDeg: 1, heightM: 0 });
  const bOrigin = b.enuFromFrame(a, a.enuOf({ latDeg: 0, lonDeg: 1, heightM: 0 }));
  t.ok(Math.hypot(bOrigin.eastM, bOrigin.northM, bOrigin.upM) < 1e-6);
});

t.test('a bad site is a typed error', async (t) => {
  t.throws(() => new LocalFrame({ latDeg: 91, lonDeg: 0, heightM: 0 }), GeoError);
  t.throws(() => new LocalFrame({ latDeg: Number.NaN, lonDeg: 0, heightM: 0 }), GeoError);
  t.throws(() => new LocalFrame({ latDeg: 0, lonDeg: 0, heightM: 1e6 }), GeoError);
});

t.test('ENU of one site to ENU of another: the CartConvert example between two published frames', async (t) => {
  // The GeographicLib CartConvert example gives the same point (33.3 N 44.4 E 6000 m) as
  // ENU of the site 33 N 44 E 20 m (37288.97 33374.29 5783.64) and as ECEF (3816209.60
  // 3737108.55 3485109.57). ENU at 0 N 0 E 0 m is ECEF with its axes renamed (east = Y,
  // north = Z, up = X − a), so the published ECEF is also the point's ENU there: converting
  // the first published ENU to the second site's ENU must give it.
  const a = new LocalFrame({ latDeg: 33, lonDeg: 44, heightM: 20 });
  const b = new LocalFrame({ latDeg: 0, lonDeg: 0, heightM: 0 });
  const there = b.enuFromFrame(a, { eastM: 37288.97, northM: 33374.29, upM: 5783.64 });
  // the inputs are printed to the centimetre (up to 1 cm, see above): allow 2 cm
  t.ok(Math.abs(there.eastM - 3737108.55) < 0.02, `east ${there.eastM}`);
  t.ok(Math.abs(there.northM - 3485109.57) < 0.02, `north ${there.northM}`);
  t.ok(Math.abs(there.upM - (3816209.6 - 6378137)) < 0.02, `up ${there.upM}`);
  // a velocity due north at the equator site is +Z in ECEF: in site A's axes it is the
  // rotation of (0, 0, 1) — cos(lat) north and sin(lat) up at 33 N
  const v = a.vectorFromFrame(b, { eastM: 0, northM: 1, upM: 0 });
  const lat = (33 * Math.PI) / 180;
  t.ok(
    Math.abs(v.eastM) < 1e-12 && Math.abs(v.northM - Math.cos(lat)) < 1e-12 && Math.abs(v.upM - Math.sin(lat)) < 1e-12,
  );
});
