import type { CategorySpec } from '../item-spec.js';
import { CAT034 } from './cat034.js';
import { CAT048 } from './cat048.js';
import { CAT062 } from './cat062.js';

export { CAT034, CAT034_MESSAGE_TYPE } from './cat034.js';
export { CAT048 } from './cat048.js';
export { CAT062 } from './cat062.js';

/** The categories shieldlink reads and writes; blocks of any other category are skipped by length. */
export const CATEGORIES: ReadonlyMap<number, CategorySpec> = new Map(
  [CAT034, CAT048, CAT062].map((spec) => [spec.category, spec]),
);
