/**
 * WGS-84 geodetic ⇄ earth-centred earth-fixed (ECEF) coordinates (NIMA TR8350.2, §3: a =
 * 6378137 m, 1/f = 298.257223563). Angles in degrees, lengths in metres, heights above the
 * ellipsoid.
 */

/** Semi-major axis, metres. */
export const WGS84_A_M = 6_378_137;
/** Flattening. */
export const WGS84_F = 1 / 298.257223563;
/** First eccentricity squared. */
export const WGS84_E2 = WGS84_F * (2 - WGS84_F);

const RAD = Math.PI / 180;

/** A WGS-84 position: latitude and longitude in degrees, height above the ellipsoid in metres. */
export interface GeodeticPosition {
  readonly latDeg: number;
  readonly lonDeg: number;
  readonly heightM: number;
}

/** An ECEF position or vector, metres. */
export interface EcefVector {
  readonly x: number;
  readonly y: number;
  readonly z: number;
}

/** ECEF of a geodetic position (closed form). */
export function geodeticToEcef(position: GeodeticPosition): EcefVector {
  const lat = position.latDeg * RAD;
  const lon = position.lonDeg * RAD;
  const sinLat = Math.sin(lat);
  const cosLat = Math.cos(lat);
  const n = WGS84_A_M / Math.sqrt(1 - WGS84_E2 * sinLat * sinLat);
  const r = (n + position.heightM) * cosLat;
  return { x: r * Math.cos(lon), y: r * Math.sin(lon), z: (n * (1 - WGS84_E2) + position.heightM) * sinLat };
}

/**
 * Geodetic position of an ECEF point: fixed-point iteration on the latitude (Bowring's start),
 * height from the normal-projection formula that stays exact at the poles. Converges to well
 * under a millimetre within a few steps for every point outside the earth's central 100 km
 * (where the geodetic latitude is not unique); the loop is bounded at 10 steps.
 */
export function ecefToGeodetic(point: EcefVector): GeodeticPosition {
  const { x, y, z } = point;
  const p = Math.hypot(x, y);
  const lon = Math.atan2(y, x);
  const b = WGS84_A_M * (1 - WGS84_F);
  const ep2 = WGS84_E2 / (1 - WGS84_E2);
  // Bowring's starting value
  const theta = Math.atan2(z * WGS84_A_M, p * b);
  let lat = Math.atan2(z + ep2 * b * Math.sin(theta) ** 3, p - WGS84_E2 * WGS84_A_M * Math.cos(theta) ** 3);
  for (let step = 0; step < 10; step++) {
    const sinLat = Math.sin(lat);
    const n = WGS84_A_M / Math.sqrt(1 - WGS84_E2 * sinLat * sinLat);
    const next = Math.atan2(z + WGS84_E2 * n * sinLat, p);
    if (Math.abs(next - lat) < 1e-15) {
      lat = next;
      break;
    }
    lat = next;
  }
  const sinLat = Math.sin(lat);
  const height = p * Math.cos(lat) + z * sinLat - WGS84_A_M * Math.sqrt(1 - WGS84_E2 * sinLat * sinLat);
  return { latDeg: lat / RAD, lonDeg: lon / RAD, heightM: height };
}
