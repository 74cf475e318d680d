import { AXIS_STRIDE } from './axis-kalman.js';

/**
 * Where a track's filter numbers live: the offsets inside a track's block of
 * `TrackTable.filters` (four axis filters of axis-kalman.ts, 5 numbers each) and inside its
 * block of `TrackTable.imm` (the IMM tracker's model-matched filters and model probabilities,
 * imm-filter.ts). Layout only: no behaviour.
 */

/** Offsets of the four axis filters of a track inside its block of `filters`. */
export const FILTER_EAST = 0;
export const FILTER_NORTH = AXIS_STRIDE;
/** Vertical axis, constant-velocity model. */
export const FILTER_UP_CV = 2 * AXIS_STRIDE;
/** Vertical axis, ballistic model (gravity as a known input). */
export const FILTER_UP_BALLISTIC = 3 * AXIS_STRIDE;
export const FILTERS_PER_TRACK = 4 * AXIS_STRIDE;

/** IMM motion models, by index (see imm-filter.ts). */
export const IMM_MODELS = 4;
export const IMM_CV = 0;
export const IMM_BALLISTIC = 1;
export const IMM_DRAG = 2;
export const IMM_MANOEUVRE = 3;
/** Numbers of one IMM model: three axis filters (east, north, up). */
export const IMM_MODEL_STRIDE = 3 * AXIS_STRIDE;
/** Offset of the model probabilities inside a track's IMM block. */
export const IMM_PROB = IMM_MODELS * IMM_MODEL_STRIDE;
/** Numbers per track in `imm`: 4 models × 3 axes × 5, then 4 probabilities. */
export const IMM_STRIDE = IMM_PROB + IMM_MODELS;
