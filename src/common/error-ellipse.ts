/** Scale of the 95 % ellipse of a 2-D Gaussian: √χ²₂(0.95) = √(−2 ln 0.05). */
export const ELLIPSE_95_SCALE = Math.sqrt(-2 * Math.log(0.05));

/** A 2-D error ellipse on the ground: semi-axes in metres, orientation of the major axis. */
export interface ErrorEllipse {
  readonly semiMajorM: number;
  readonly semiMinorM: number;
  /** Bearing of the major axis, degrees clockwise from north, in [0, 180). */
  readonly majorAxisBearingDeg: number;
}

/**
 * The ellipse holding `probability` of a 2-D Gaussian with covariance [[varE, covEN], [covEN,
 * varN]] (m²): the eigen-decomposition scaled by √χ²₂(p) = √(−2 ln(1 − p)). Negative eigenvalues
 * (a covariance that is not positive semi-definite by rounding) count as 0. Pure, no allocation
 * beyond the result.
 */
export function errorEllipse(varEastM2: number, covM2: number, varNorthM2: number, probability = 0.95): ErrorEllipse {
  const scale = Math.sqrt(-2 * Math.log(1 - probability));
  const mean = (varEastM2 + varNorthM2) / 2;
  const half = (varEastM2 - varNorthM2) / 2;
  const root = Math.sqrt(half * half + covM2 * covM2);
  const major = Math.max(0, mean + root);
  const minor = Math.max(0, mean - root);
  // Angle of the major axis from east, counter-clockwise; bearing is from north, clockwise.
  const fromEastRad = 0.5 * Math.atan2(2 * covM2, varEastM2 - varNorthM2);
  let bearing = 90 - (fromEastRad * 180) / Math.PI;
  bearing = ((bearing % 180) + 180) % 180;
  return { semiMajorM: scale * Math.sqrt(major), semiMinorM: scale * Math.sqrt(minor), majorAxisBearingDeg: bearing };
}
