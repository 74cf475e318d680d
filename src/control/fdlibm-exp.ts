/**
 * `e^x` computed in plain double arithmetic, bit for bit what Node's `Math.exp` returns on the
 * argument range threat evaluation uses, but compiled inline by the JIT instead of a call out to
 * C: the quadrature of asset-probability.ts calls it once per node (the 8×8 grid it had before
 * decision 0046 called it about 35,000 times per tick of 1,000 tracks × 20 assets, where the call
 * out alone was about a third of the evaluation's time).
 *
 * The algorithm is the one of fdlibm's `e_exp.c` (Sun Microsystems, 1993), which V8 ships as
 * `Math.exp` (src/base/ieee754.cc): reduce x = k·ln2 + r with ln2 split in a high part (exact
 * products with k) and a low part, approximate e^r by a degree-5 Remez rational form, scale by
 * 2^k. Every operation below is the same IEEE double operation in the same order (JavaScript
 * has no fused multiply-add and rounds to nearest), so the result is the same double; the
 * high-word tests of the C code are replaced by the equivalent comparisons of |x| with the
 * doubles those high words start, and the exponent insertion by an exact multiplication by a
 * power of two (tabled). test/control/fdlibm-exp.property.test.ts holds it to `Object.is`
 * equality with `Math.exp` over this range, so that a Node whose `Math.exp` differs shows up
 * there first, not as a changed recording.
 *
 * Outside (−708, 0.34) — overflow, subnormal results, NaN, ±Infinity, and the x = 1 special case
 * V8 adds — it returns `Math.exp(x)` itself.
 *
 * The algorithm and its constants come from fdlibm, whose notice is kept here as it asks:
 * "Copyright (C) 1993 by Sun Microsystems, Inc. All rights reserved. Developed at SunPro, a Sun
 * Microsystems, Inc. business. Permission to use, copy, modify, and distribute this software is
 * freely granted, provided that this notice is preserved."
 */

/** The double whose IEEE-754 bits are `hi:lo` (big-endian words), for the thresholds below. */
function fromWords(hi: number, lo: number): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setUint32(0, hi);
  view.setUint32(4, lo);
  return view.getFloat64(0);
}

/** |x| ≥ this ⇔ high word of |x| > 0x3FD62E42 (|x| > ½ ln2). */
const HALF_LN2_WORD = fromWords(0x3fd62e43, 0);
/** |x| < this ⇔ high word of |x| < 0x3E300000 (|x| < 2^-28). */
const TINY = fromWords(0x3e300000, 0);
const LN2_HI = fromWords(0x3fe62e42, 0xfee00000);
const LN2_LO = fromWords(0x3dea39ef, 0x35793c76);
const INV_LN2 = fromWords(0x3ff71547, 0x652b82fe);
const P1 = fromWords(0x3fc55555, 0x5555553e);
const P2 = fromWords(0xbf66c16c, 0x16bebd93);
const P3 = fromWords(0x3f11566a, 0xaf25de2c);
const P4 = fromWords(0xbebbbd41, 0xc5d26bf1);
const P5 = fromWords(0x3e663769, 0x72bea4d0);
/** Lowest argument handled here: keeps k ≥ −1021 (normal results, one scaling). */
const LOW_X = -708;
/** Highest argument handled here: below ½ ln2 (k = 0) and away from V8's x = 1 special case. */
const HIGH_X = 0.34;
/** `TWO_TO_MINUS[k]` = 2^−k, k = 0 … 1021, built by exact halvings. */
const TWO_TO_MINUS = new Float64Array(1022);
{
  let v = 1;
  for (let k = 0; k < TWO_TO_MINUS.length; k++) {
    TWO_TO_MINUS[k] = v;
    v /= 2;
  }
}

/** `Math.exp(x)`, the same double (see the file comment); allocation-free and inlinable. */
export function fdlibmExp(x: number): number {
  if (!(x > LOW_X && x < HIGH_X)) return Math.exp(x);
  let k = 0;
  let hi = 0;
  let lo = 0;
  const ax = x < 0 ? -x : x;
  if (ax >= HALF_LN2_WORD) {
    // Only negative x reach here (HIGH_X < ½ ln2). C's (int)(invln2·x + halF[1]). fdlibm has a
    // branch of its own for ½ ln2 < |x| < 1.5 ln2 (hi = x − ln2HI[1], lo = ln2LO[1], k = −1);
    // for negative x in that range the general reduction gives k = −1 too (the branch's bounds,
    // as high words, lie inside (½ ln2, 1.5 ln2)), and then the same doubles: −1 × ln2HI and
    // −1 × ln2LO are exact, x − (−ln2HI) is x + ln2HI. One branch less to mispredict.
    k = Math.trunc(INV_LN2 * x - 0.5);
    hi = x - k * LN2_HI;
    lo = k * LN2_LO;
    x = hi - lo;
  } else if (ax < TINY) {
    return 1 + x;
  }
  const t = x * x;
  const c = x - t * (P1 + t * (P2 + t * (P3 + t * (P4 + t * P5))));
  if (k === 0) return 1 - ((x * c) / (c - 2.0) - x);
  const y = 1 - (lo - (x * c) / (2.0 - c) - hi);
  return y * TWO_TO_MINUS[-k]!;
}
