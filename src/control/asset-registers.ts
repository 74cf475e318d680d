/**
 * Register layouts of AssetProbability (asset-probability.ts), shared with its quadrature
 * (principal-axis-quadrature.ts): the hot path passes its doubles through typed arrays instead of
 * as call arguments, which V8 would box.
 */

/** Registers of `AssetProbability.io`: the ground point's mean and covariance in, P out. */
export const IO_MEAN_E = 0;
export const IO_MEAN_N = 1;
export const IO_SEE = 2;
export const IO_SEN = 3;
export const IO_SNN = 4;
export const IO_P = 5;
/** Registers of the prepared covariance (`setEllipse`): floored, determinant, largest sigma. */
export const ELL_SEE = 0;
export const ELL_SEN = 1;
export const ELL_SNN = 2;
export const ELL_DET = 3;
export const ELL_SIGMA_MAX = 4;
/** Principal axes: unit major axis (cos, sin from east), the major and minor sigmas. */
export const ELL_COS = 5;
export const ELL_SIN = 6;
export const ELL_SIGMA_MAJOR = 7;
export const ELL_SIGMA_MINOR = 8;
/** Length of the prepared-covariance register array. */
export const ELL_LENGTH = 9;
