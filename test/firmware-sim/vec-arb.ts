import fc from 'fast-check';
import { type Vec3, vec } from '../../firmware-sim/world/vector3.js';

/** Vectors with each component in [-max, max] (no NaN), for the physics property tests. */
export const vecArb = (max: number): fc.Arbitrary<Vec3> =>
  fc
    .tuple(
      fc.double({ min: -max, max, noNaN: true }),
      fc.double({ min: -max, max, noNaN: true }),
      fc.double({ min: -max, max, noNaN: true }),
    )
    .map(([x, y, z]) => vec(x, y, z));
