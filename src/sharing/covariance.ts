/**
 * 6×6 symmetric covariances of [x y z vx vy vz] stored as their upper triangle, row-major
 * (21 numbers), and their rotation between frames.
 */

/** Index of (row, col) in the 21-number upper triangle (either order). */
export function upperIndex(row: number, col: number): number {
  const r = Math.min(row, col);
  const c = Math.max(row, col);
  return r * 6 - (r * (r - 1)) / 2 + (c - r);
}

/** Full 6×6 of an upper triangle. */
export function fullOf(upper: readonly number[]): number[][] {
  const m: number[][] = [];
  for (let r = 0; r < 6; r++) {
    const row: number[] = [];
    for (let c = 0; c < 6; c++) row.push(upper[upperIndex(r, c)]!);
    m.push(row);
  }
  return m;
}

/**
 * R·C·Rᵀ for R = diag(rot, rot): `rot` the 3×3 rotation (rows = output axes in input axes).
 * The result is symmetrised exactly (upper triangle only).
 */
export function rotateCovariance(upper: readonly number[], rot: readonly (readonly number[])[]): number[] {
  const c = fullOf(upper);
  const r6 = (i: number, k: number): number => {
    if (i < 3 && k < 3) return rot[i]![k]!;
    if (i >= 3 && k >= 3) return rot[i - 3]![k - 3]!;
    return 0;
  };
  const rc: number[][] = [];
  for (let i = 0; i < 6; i++) {
    const row: number[] = [];
    for (let j = 0; j < 6; j++) {
      let s = 0;
      for (let k = 0; k < 6; k++) s += r6(i, k) * c[k]![j]!;
      row.push(s);
    }
    rc.push(row);
  }
  const out: number[] = [];
  for (let i = 0; i < 6; i++) {
    for (let j = i; j < 6; j++) {
      let s = 0;
      for (let k = 0; k < 6; k++) s += rc[i]![k]! * r6(j, k);
      out.push(s);
    }
  }
  return out;
}
