/**
 * A local east-north-up (ENU) frame tangent to the WGS-84 ellipsoid at a site: x east, y north,
 * z along the ellipsoid normal (as GeographicLib's LocalCartesian). Converts positions to and
 * from geodetic and ECEF, vectors (velocities) by rotation only, and ENU of one site to ENU of
 * another through ECEF (exact: no flat-earth approximation between sites).
 */
import { type EcefVector, type GeodeticPosition, ecefToGeodetic, geodeticToEcef } from './wgs84.js';

/** A point or vector in a local ENU frame, metres (or metres per second for velocities). */
export interface EnuVector {
  readonly eastM: number;
  readonly northM: number;
  readonly upM: number;
}

const RAD = Math.PI / 180;

/** Why a site cannot be a frame origin. */
export class GeoError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GeoError';
  }
}

export class LocalFrame {
  /** The origin in ECEF, metres. */
  readonly originEcef: EcefVector;
  // rotation rows: east, north, up unit vectors in ECEF
  private readonly e: readonly [number, number, number];
  private readonly n: readonly [number, number, number];
  private readonly u: readonly [number, number, number];

  /** Throws GeoError for a latitude outside [-90, 90], a non-finite value or a height beyond ±100 km. */
  constructor(readonly origin: GeodeticPosition) {
    const { latDeg, lonDeg, heightM } = origin;
    if (![latDeg, lonDeg, heightM].every(Number.isFinite))
      throw new GeoError('site: latitude, longitude and height must be finite numbers');
    if (latDeg < -90 || latDeg > 90) throw new GeoError(`site: latitude ${latDeg} is outside [-90, 90] degrees`);
    if (lonDeg < -180 || lonDeg > 360) throw new GeoError(`site: longitude ${lonDeg} is outside [-180, 360] degrees`);
    if (Math.abs(heightM) > 100_000) throw new GeoError(`site: height ${heightM} m is beyond ±100 km of the ellipsoid`);
    this.originEcef = geodeticToEcef(origin);
    const lat = latDeg * RAD;
    const lon = lonDeg * RAD;
    const sinLat = Math.sin(lat);
    const cosLat = Math.cos(lat);
    const sinLon = Math.sin(lon);
    const cosLon = Math.cos(lon);
    this.e = [-sinLon, cosLon, 0];
    this.n = [-sinLat * cosLon, -sinLat * sinLon, cosLat];
    this.u = [cosLat * cosLon, cosLat * sinLon, sinLat];
  }

  /** ENU of an ECEF point. */
  enuOfEcef(point: EcefVector): EnuVector {
    return this.rotateToEnu({
      x: point.x - this.originEcef.x,
      y: point.y - this.originEcef.y,
      z: point.z - this.originEcef.z,
    });
  }

  /** ECEF of an ENU point. */
  ecefOfEnu(point: EnuVector): EcefVector {
    const d = this.rotateToEcef(point);
    return { x: d.x + this.originEcef.x, y: d.y + this.originEcef.y, z: d.z + this.originEcef.z };
  }

  /** ENU of a geodetic position. */
  enuOf(position: GeodeticPosition): EnuVector {
    return this.enuOfEcef(geodeticToEcef(position));
  }

  /** Geodetic position of an ENU point. */
  geodeticOf(point: EnuVector): GeodeticPosition {
    return ecefToGeodetic(this.ecefOfEnu(point));
  }

  /** An ECEF vector (a velocity, a difference) in this frame's axes. */
  rotateToEnu(v: EcefVector): EnuVector {
    const { e, n, u } = this;
    return {
      eastM: e[0] * v.x + e[1] * v.y + e[2] * v.z,
      northM: n[0] * v.x + n[1] * v.y + n[2] * v.z,
      upM: u[0] * v.x + u[1] * v.y + u[2] * v.z,
    };
  }

  /** An ENU vector in ECEF axes. */
  rotateToEcef(v: EnuVector): EcefVector {
    const { e, n, u } = this;
    return {
      x: e[0] * v.eastM + n[0] * v.northM + u[0] * v.upM,
      y: e[1] * v.eastM + n[1] * v.northM + u[1] * v.upM,
      z: e[2] * v.eastM + n[2] * v.northM + u[2] * v.upM,
    };
  }

  /** A point given in `from`'s ENU, in this frame's ENU. */
  enuFromFrame(from: LocalFrame, point: EnuVector): EnuVector {
    return this.enuOfEcef(from.ecefOfEnu(point));
  }

  /** A vector (velocity) given in `from`'s ENU axes, in this frame's axes. */
  vectorFromFrame(from: LocalFrame, vector: EnuVector): EnuVector {
    return this.rotateToEnu(from.rotateToEcef(vector));
  }
}

/**
 * The site benches without a `site` use: the ENU frame is then anchored at 0° N 0° E on the
 * ellipsoid, so WGS-84 outputs (CAT062 I105) are well defined; set a real site to place the bench.
 */
export const DEFAULT_SITE: GeodeticPosition = { latDeg: 0, lonDeg: 0, heightM: 0 };
