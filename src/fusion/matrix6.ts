/**
 * The 6×6 kernels of the fusion's hot path (matrix.ts with n = 6), unrolled into local variables:
 * the same floating-point operations in the same order as the general loops, so the results are
 * bit for bit the same (test/fusion/matrix6.property.test.ts checks it on random matrices) — only
 * without the loop, index and bounds-check overhead, and without scratch arrays.
 * Generated from the general loops by unrolling; keep the operation order when editing.
 */
/**
 * Cholesky factor of the 6×6 symmetric matrix at `aOff` into `l` at `lOff` (lower, row-major, upper
 * triangle zeroed): `cholesky` with n = 6, unrolled, the same operations in the same order,
 * so bit for bit the same factor. Returns false (leaving `l` untouched) when not positive definite.
 */
export function cholesky6(a: Float64Array, aOff: number, l: Float64Array, lOff: number): boolean {
  let s: number;
  s = a[aOff + 0]!;
  if (!(s > 0) || s === Infinity) return false;
  const l00 = Math.sqrt(s);
  s = a[aOff + 6]!;
  const l10 = s / l00;
  s = a[aOff + 7]!;
  s -= l10 * l10;
  if (!(s > 0) || s === Infinity) return false;
  const l11 = Math.sqrt(s);
  s = a[aOff + 12]!;
  const l20 = s / l00;
  s = a[aOff + 13]!;
  s -= l20 * l10;
  const l21 = s / l11;
  s = a[aOff + 14]!;
  s -= l20 * l20;
  s -= l21 * l21;
  if (!(s > 0) || s === Infinity) return false;
  const l22 = Math.sqrt(s);
  s = a[aOff + 18]!;
  const l30 = s / l00;
  s = a[aOff + 19]!;
  s -= l30 * l10;
  const l31 = s / l11;
  s = a[aOff + 20]!;
  s -= l30 * l20;
  s -= l31 * l21;
  const l32 = s / l22;
  s = a[aOff + 21]!;
  s -= l30 * l30;
  s -= l31 * l31;
  s -= l32 * l32;
  if (!(s > 0) || s === Infinity) return false;
  const l33 = Math.sqrt(s);
  s = a[aOff + 24]!;
  const l40 = s / l00;
  s = a[aOff + 25]!;
  s -= l40 * l10;
  const l41 = s / l11;
  s = a[aOff + 26]!;
  s -= l40 * l20;
  s -= l41 * l21;
  const l42 = s / l22;
  s = a[aOff + 27]!;
  s -= l40 * l30;
  s -= l41 * l31;
  s -= l42 * l32;
  const l43 = s / l33;
  s = a[aOff + 28]!;
  s -= l40 * l40;
  s -= l41 * l41;
  s -= l42 * l42;
  s -= l43 * l43;
  if (!(s > 0) || s === Infinity) return false;
  const l44 = Math.sqrt(s);
  s = a[aOff + 30]!;
  const l50 = s / l00;
  s = a[aOff + 31]!;
  s -= l50 * l10;
  const l51 = s / l11;
  s = a[aOff + 32]!;
  s -= l50 * l20;
  s -= l51 * l21;
  const l52 = s / l22;
  s = a[aOff + 33]!;
  s -= l50 * l30;
  s -= l51 * l31;
  s -= l52 * l32;
  const l53 = s / l33;
  s = a[aOff + 34]!;
  s -= l50 * l40;
  s -= l51 * l41;
  s -= l52 * l42;
  s -= l53 * l43;
  const l54 = s / l44;
  s = a[aOff + 35]!;
  s -= l50 * l50;
  s -= l51 * l51;
  s -= l52 * l52;
  s -= l53 * l53;
  s -= l54 * l54;
  if (!(s > 0) || s === Infinity) return false;
  const l55 = Math.sqrt(s);
  l[lOff + 0] = l00;
  l[lOff + 1] = 0;
  l[lOff + 2] = 0;
  l[lOff + 3] = 0;
  l[lOff + 4] = 0;
  l[lOff + 5] = 0;
  l[lOff + 6] = l10;
  l[lOff + 7] = l11;
  l[lOff + 8] = 0;
  l[lOff + 9] = 0;
  l[lOff + 10] = 0;
  l[lOff + 11] = 0;
  l[lOff + 12] = l20;
  l[lOff + 13] = l21;
  l[lOff + 14] = l22;
  l[lOff + 15] = 0;
  l[lOff + 16] = 0;
  l[lOff + 17] = 0;
  l[lOff + 18] = l30;
  l[lOff + 19] = l31;
  l[lOff + 20] = l32;
  l[lOff + 21] = l33;
  l[lOff + 22] = 0;
  l[lOff + 23] = 0;
  l[lOff + 24] = l40;
  l[lOff + 25] = l41;
  l[lOff + 26] = l42;
  l[lOff + 27] = l43;
  l[lOff + 28] = l44;
  l[lOff + 29] = 0;
  l[lOff + 30] = l50;
  l[lOff + 31] = l51;
  l[lOff + 32] = l52;
  l[lOff + 33] = l53;
  l[lOff + 34] = l54;
  l[lOff + 35] = l55;
  return true;
}

/** `choleskySolve` with n = 6, unrolled (the same operations in the same order). */
export function choleskySolve6(l: Float64Array, lOff: number, b: Float64Array, bOff: number): void {
  const l00 = l[lOff + 0]!;
  const l10 = l[lOff + 6]!;
  const l11 = l[lOff + 7]!;
  const l20 = l[lOff + 12]!;
  const l21 = l[lOff + 13]!;
  const l22 = l[lOff + 14]!;
  const l30 = l[lOff + 18]!;
  const l31 = l[lOff + 19]!;
  const l32 = l[lOff + 20]!;
  const l33 = l[lOff + 21]!;
  const l40 = l[lOff + 24]!;
  const l41 = l[lOff + 25]!;
  const l42 = l[lOff + 26]!;
  const l43 = l[lOff + 27]!;
  const l44 = l[lOff + 28]!;
  const l50 = l[lOff + 30]!;
  const l51 = l[lOff + 31]!;
  const l52 = l[lOff + 32]!;
  const l53 = l[lOff + 33]!;
  const l54 = l[lOff + 34]!;
  const l55 = l[lOff + 35]!;
  let s: number;
  s = b[bOff + 0]!;
  const y0 = s / l00;
  s = b[bOff + 1]!;
  s -= l10 * y0;
  const y1 = s / l11;
  s = b[bOff + 2]!;
  s -= l20 * y0;
  s -= l21 * y1;
  const y2 = s / l22;
  s = b[bOff + 3]!;
  s -= l30 * y0;
  s -= l31 * y1;
  s -= l32 * y2;
  const y3 = s / l33;
  s = b[bOff + 4]!;
  s -= l40 * y0;
  s -= l41 * y1;
  s -= l42 * y2;
  s -= l43 * y3;
  const y4 = s / l44;
  s = b[bOff + 5]!;
  s -= l50 * y0;
  s -= l51 * y1;
  s -= l52 * y2;
  s -= l53 * y3;
  s -= l54 * y4;
  const y5 = s / l55;
  s = y5;
  const x5 = s / l55;
  s = y4;
  s -= l54 * x5;
  const x4 = s / l44;
  s = y3;
  s -= l43 * x4;
  s -= l53 * x5;
  const x3 = s / l33;
  s = y2;
  s -= l32 * x3;
  s -= l42 * x4;
  s -= l52 * x5;
  const x2 = s / l22;
  s = y1;
  s -= l21 * x2;
  s -= l31 * x3;
  s -= l41 * x4;
  s -= l51 * x5;
  const x1 = s / l11;
  s = y0;
  s -= l10 * x1;
  s -= l20 * x2;
  s -= l30 * x3;
  s -= l40 * x4;
  s -= l50 * x5;
  const x0 = s / l00;
  b[bOff + 0] = x0;
  b[bOff + 1] = x1;
  b[bOff + 2] = x2;
  b[bOff + 3] = x3;
  b[bOff + 4] = x4;
  b[bOff + 5] = x5;
}

/**
 * X = (L Lᵀ)⁻¹ B for the 6×6 matrix B at `bOff` into `x` at `xOff` (may not alias `b`), column by
 * column: each column is exactly {@link choleskySolve6} of that column of B (the same operations
 * in the same order), with the factor read once for all six columns and no column copies.
 */
export function choleskySolveColumns6(
  l: Float64Array,
  lOff: number,
  b: Float64Array,
  bOff: number,
  x: Float64Array,
  xOff: number,
): void {
  const l00 = l[lOff + 0]!;
  const l10 = l[lOff + 6]!;
  const l11 = l[lOff + 7]!;
  const l20 = l[lOff + 12]!;
  const l21 = l[lOff + 13]!;
  const l22 = l[lOff + 14]!;
  const l30 = l[lOff + 18]!;
  const l31 = l[lOff + 19]!;
  const l32 = l[lOff + 20]!;
  const l33 = l[lOff + 21]!;
  const l40 = l[lOff + 24]!;
  const l41 = l[lOff + 25]!;
  const l42 = l[lOff + 26]!;
  const l43 = l[lOff + 27]!;
  const l44 = l[lOff + 28]!;
  const l50 = l[lOff + 30]!;
  const l51 = l[lOff + 31]!;
  const l52 = l[lOff + 32]!;
  const l53 = l[lOff + 33]!;
  const l54 = l[lOff + 34]!;
  const l55 = l[lOff + 35]!;
  for (let j = 0; j < 6; j++) {
    let s: number;
    s = b[bOff + j]!;
    const y0 = s / l00;
    s = b[bOff + 6 + j]!;
    s -= l10 * y0;
    const y1 = s / l11;
    s = b[bOff + 12 + j]!;
    s -= l20 * y0;
    s -= l21 * y1;
    const y2 = s / l22;
    s = b[bOff + 18 + j]!;
    s -= l30 * y0;
    s -= l31 * y1;
    s -= l32 * y2;
    const y3 = s / l33;
    s = b[bOff + 24 + j]!;
    s -= l40 * y0;
    s -= l41 * y1;
    s -= l42 * y2;
    s -= l43 * y3;
    const y4 = s / l44;
    s = b[bOff + 30 + j]!;
    s -= l50 * y0;
    s -= l51 * y1;
    s -= l52 * y2;
    s -= l53 * y3;
    s -= l54 * y4;
    const y5 = s / l55;
    s = y5;
    const x5 = s / l55;
    s = y4;
    s -= l54 * x5;
    const x4 = s / l44;
    s = y3;
    s -= l43 * x4;
    s -= l53 * x5;
    const x3 = s / l33;
    s = y2;
    s -= l32 * x3;
    s -= l42 * x4;
    s -= l52 * x5;
    const x2 = s / l22;
    s = y1;
    s -= l21 * x2;
    s -= l31 * x3;
    s -= l41 * x4;
    s -= l51 * x5;
    const x1 = s / l11;
    s = y0;
    s -= l10 * x1;
    s -= l20 * x2;
    s -= l30 * x3;
    s -= l40 * x4;
    s -= l50 * x5;
    const x0 = s / l00;
    x[xOff + 0 + j] = x0;
    x[xOff + 6 + j] = x1;
    x[xOff + 12 + j] = x2;
    x[xOff + 18 + j] = x3;
    x[xOff + 24 + j] = x4;
    x[xOff + 30 + j] = x5;
  }
}

/** `mahalanobisSquared` with n = 6, unrolled (the same operations in the same order; no scratch). */
export function mahalanobisSquared6(l: Float64Array, lOff: number, d: Float64Array, dOff: number): number {
  let s: number;
  let sum2 = 0;
  s = d[dOff + 0]!;
  const y0 = s / l[lOff + 0]!;
  sum2 += y0 * y0;
  s = d[dOff + 1]!;
  s -= l[lOff + 6]! * y0;
  const y1 = s / l[lOff + 7]!;
  sum2 += y1 * y1;
  s = d[dOff + 2]!;
  s -= l[lOff + 12]! * y0;
  s -= l[lOff + 13]! * y1;
  const y2 = s / l[lOff + 14]!;
  sum2 += y2 * y2;
  s = d[dOff + 3]!;
  s -= l[lOff + 18]! * y0;
  s -= l[lOff + 19]! * y1;
  s -= l[lOff + 20]! * y2;
  const y3 = s / l[lOff + 21]!;
  sum2 += y3 * y3;
  s = d[dOff + 4]!;
  s -= l[lOff + 24]! * y0;
  s -= l[lOff + 25]! * y1;
  s -= l[lOff + 26]! * y2;
  s -= l[lOff + 27]! * y3;
  const y4 = s / l[lOff + 28]!;
  sum2 += y4 * y4;
  s = d[dOff + 5]!;
  s -= l[lOff + 30]! * y0;
  s -= l[lOff + 31]! * y1;
  s -= l[lOff + 32]! * y2;
  s -= l[lOff + 33]! * y3;
  s -= l[lOff + 34]! * y4;
  const y5 = s / l[lOff + 35]!;
  sum2 += y5 * y5;
  return sum2;
}
