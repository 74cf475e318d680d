/**
 * TTM and TLL against published sample sentences:
 * - `$RATTM,02,1.43,170.5,T,0.16,264.4,T,1.42,36.9,N,,T,,,M*2A` — the TTM example of gpsd's
 *   "NMEA Revealed" (https://gpsd.gitlab.io/gpsd/NMEA.html, TTM), as quoted in go-nmea's ttm.go.
 * - `$RATTM,01,0.2,190.8,T,12.1,109.7,T,0.1,0.5,N,TGT01,T,,100021.00,A*79` — the TTM sample of
 *   the Rust `nmea` crate's sentence tests (with UTC and acquisition type).
 * - `$RATLL,01,3731.51052,N,02436.00000,E,TEST1,161617.88,T,*0C` — the TLL example of Java
 *   Marine API's TLLSentence documentation (net.sf.marineapi).
 */
import t from 'tap';
import {
  NmeaTargetReader,
  parseNmeaSentence,
  parseTll,
  parseTtm,
  surfaceTrackOf,
  withChecksum,
} from '../../src/nmea/index.js';

const GPSD_TTM = '$RATTM,02,1.43,170.5,T,0.16,264.4,T,1.42,36.9,N,,T,,,M*2A';
const RUST_TTM = '$RATTM,01,0.2,190.8,T,12.1,109.7,T,0.1,0.5,N,TGT01,T,,100021.00,A*79';
const MARINEAPI_TLL = '$RATLL,01,3731.51052,N,02436.00000,E,TEST1,161617.88,T,*0C';
const near = (a: number, b: number, eps = 1e-9): boolean => Math.abs(a - b) <= eps * Math.max(1, Math.abs(b));

function sentence(line: string): Parameters<typeof parseTtm>[0] {
  const parsed = parseNmeaSentence(line);
  if (!parsed.ok) throw new Error(`${parsed.error}: ${parsed.detail}`);
  return parsed.sentence;
}

t.test('gpsd NMEA Revealed TTM example: documented values, SI units', async (t) => {
  const ttm = parseTtm(sentence(GPSD_TTM));
  t.equal(ttm.targetNumber, 2);
  t.ok(near(ttm.distanceM, 1.43 * 1852));
  t.equal(ttm.bearingDeg, 170.5);
  t.equal(ttm.bearingReference, 'true');
  t.ok(near(ttm.speedMps!, (0.16 * 1852) / 3600));
  t.equal(ttm.courseDeg, 264.4);
  t.ok(near(ttm.cpaDistanceM!, 1.42 * 1852));
  t.equal(ttm.tcpaMin, 36.9);
  t.equal(ttm.name, '');
  t.equal(ttm.status, 'tracking');
  t.equal(ttm.referenceTarget, false);
  t.equal(ttm.utcS, undefined);
  t.equal(ttm.acquisition, 'manual');
});

t.test('nmea crate TTM sample: name, UTC and automatic acquisition', async (t) => {
  const ttm = parseTtm(sentence(RUST_TTM));
  t.equal(ttm.targetNumber, 1);
  t.ok(near(ttm.distanceM, 0.2 * 1852));
  t.equal(ttm.bearingDeg, 190.8);
  t.ok(near(ttm.speedMps!, (12.1 * 1852) / 3600));
  t.equal(ttm.courseDeg, 109.7);
  t.equal(ttm.name, 'TGT01');
  t.equal(ttm.utcS, 10 * 3600 + 0 * 60 + 21);
  t.equal(ttm.acquisition, 'automatic');
});

t.test('Java Marine API TLL example', async (t) => {
  const tll = parseTll(sentence(MARINEAPI_TLL));
  t.equal(tll.targetNumber, 1);
  t.ok(near(tll.latDeg, 37 + 31.51052 / 60));
  t.ok(near(tll.lonDeg, 24 + 36 / 60));
  t.equal(tll.name, 'TEST1');
  t.ok(near(tll.utcS!, 16 * 3600 + 16 * 60 + 17.88));
  t.equal(tll.status, 'tracking');
});

t.test('talker id is not assumed; units K and S; relative bearings turned with the heading', async (t) => {
  const body = 'TTTTM,07,2.0,90.0,R,36.0,0.0,R,,,K,,T,,,A';
  const ttm = parseTtm(sentence(withChecksum(body)));
  t.ok(near(ttm.distanceM, 2000));
  t.ok(near(ttm.speedMps!, 10));
  const statute = parseTtm(sentence(withChecksum('IITTM,07,1.0,0.0,T,1.0,0.0,T,,,S,,T,,,A')));
  t.ok(near(statute.distanceM, 1609.344));
  t.ok(near(statute.speedMps!, 0.44704));
  const track = surfaceTrackOf(ttm, {
    eastM: 100,
    northM: 200,
    upM: 5,
    headingDeg: 90,
    rangeSigmaM: 10,
    bearingSigmaDeg: 0.5,
  });
  t.equal(track.kind, 'measurement');
  if (track.kind !== 'measurement') return;
  // heading 090 + relative 090 = true 180: due south of the radar; course relative 0 = east
  t.ok(near(track.eastM, 100, 1e-9) && near(track.northM, -1800, 1e-9), `${track.eastM} ${track.northM}`);
  t.ok(near(track.eastMps, 10) && Math.abs(track.northMps) < 1e-9);
  t.equal(track.upM, 0);
});

t.test('target status: lost is a drop, query is not yet a track', async (t) => {
  const radar = { eastM: 0, northM: 0, upM: 0, headingDeg: 0, rangeSigmaM: 10, bearingSigmaDeg: 0.5 };
  t.same(surfaceTrackOf(parseTtm(sentence(withChecksum('RATTM,03,1.0,10.0,T,,,T,,,N,,L,,,A'))), radar), {
    kind: 'drop',
    targetNumber: 3,
  });
  t.same(surfaceTrackOf(parseTtm(sentence(withChecksum('RATTM,03,1.0,10.0,T,,,T,,,N,,Q,,,A'))), radar), {
    kind: 'acquiring',
    targetNumber: 3,
  });
});

t.test('a corrupted checksum is counted and ignored; the stream goes on', async (t) => {
  const seen: number[] = [];
  const rejected: string[] = [];
  const reader = new NmeaTargetReader({
    ttm: (r) => seen.push(r.targetNumber),
    rejected: (reason) => rejected.push(reason),
  });
  const corrupted = GPSD_TTM.replace('*2A', '*2B');
  const flipped = GPSD_TTM.replace('170.5', '171.5'); // data changed, checksum kept
  const stream =
    [corrupted, flipped, GPSD_TTM.replace('*2A', ''), 'not a sentence', 'x'.repeat(300), RUST_TTM, MARINEAPI_TLL].join(
      '\r\n',
    ) + '\r\n';
  // fed in odd chunks, as a serial port delivers
  const bytes = Buffer.from(stream, 'latin1');
  for (let at = 0; at < bytes.length; at += 7) reader.push(bytes.subarray(at, at + 7));
  t.same(seen, [1], 'only the intact TTM is used');
  t.equal(reader.counters.checksumErrors, 2);
  t.equal(reader.counters.missingChecksums, 1);
  t.equal(reader.counters.malformed, 1);
  t.equal(reader.counters.overlongLines, 1);
  t.equal(reader.counters.tll, 1);
  t.match(rejected[0], /checksum 2B != computed 2A/);
});

t.test('bad fields are refused with the field named, never a crash', async (t) => {
  const bad = [
    'RATTM,02,1.43,170.5,X,,,T,,,N,,T,,,M',
    'RATTM,02,1.43,170.5,T,,,T,,,Z,,T,,,M',
    'RATTM,02,abc,170.5,T,,,T,,,N,,T,,,M',
    'RATTM,02,1.43,170.5,T,,,T,,,N,,Z,,,M',
    'RATTM,02',
  ];
  const reader = new NmeaTargetReader({});
  for (const body of bad) reader.handleLine(withChecksum(body));
  t.equal(reader.counters.fieldErrors, bad.length);
  t.throws(() => parseTtm(sentence(withChecksum(bad[0]!))), /TTM bearing reference: "X" is neither T nor R/);
});
