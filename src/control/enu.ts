/**
 * The bench's local east-north-up frame (metres, origin and axes from the bench config), shared by
 * every device (see the radar catalogue). Azimuth is clockwise from north, elevation above the
 * horizon, as on the launcher wire messages.
 */

/** A point in the ENU frame, metres. */
export interface EnuPositionM {
  readonly eastM: number;
  readonly northM: number;
  readonly upM: number;
}

/** A velocity in the ENU frame, metres per second. */
export interface EnuVelocityMps {
  readonly eastMps: number;
  readonly northMps: number;
  readonly upMps: number;
}

const DEG_PER_RAD = 180 / Math.PI;

/** Azimuth of a direction (clockwise from north), degrees in [0, 360). */
export function azimuthDeg(eastM: number, northM: number): number {
  const deg = Math.atan2(eastM, northM) * DEG_PER_RAD;
  return deg < 0 ? deg + 360 : deg;
}

/** Elevation of a direction above the horizon, degrees in [-90, 90]. */
export function elevationDeg(eastM: number, northM: number, upM: number): number {
  return Math.atan2(upM, Math.sqrt(eastM * eastM + northM * northM)) * DEG_PER_RAD;
}

/**
 * Time for a launcher to slew from one pointing to another when both axes move at once at
 * `slewRateDegPerS` (the slower axis decides). Azimuth takes the short way round.
 */
export function slewTimeS(
  fromAzimuthDeg: number,
  fromElevationDeg: number,
  toAzimuthDeg: number,
  toElevationDeg: number,
  slewRateDegPerS: number,
): number {
  let dAz = Math.abs(toAzimuthDeg - fromAzimuthDeg) % 360;
  if (dAz > 180) dAz = 360 - dAz;
  const dEl = Math.abs(toElevationDeg - fromElevationDeg);
  return (dAz > dEl ? dAz : dEl) / slewRateDegPerS;
}
