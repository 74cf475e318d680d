/**
 * Picture quality against truth: GOSPA (with localisation, missed, false and switching parts),
 * OSPA and SIAP, on an exact optimal assignment. Pure: no I/O, no clock, no imports from other
 * layers.
 */
export { type Assignment, AssignmentInputError, optimalAssignment } from './optimal-assignment.js';
export { euclideanDistance } from './euclidean-distance.js';
export type { PictureFrame, PictureObject } from './picture-frame.js';
export { type GospaParameters, type GospaResult, MetricParameterError, checkCutoffParameters, gospa } from './gospa.js';
export { type GospaFrame, type GospaOverTimeParameters, gospaOverTime } from './gospa-over-time.js';
export { SwitchingCounter } from './switching-loss.js';
export { ospa } from './ospa.js';
export { type TrackTruthAssociation, associateByDistance } from './track-truth-association.js';
export { type ObjectHistory, objectHistories, stateAt } from './object-histories.js';
export { type SiapCounts, SiapData, type SiapFrame, type SiapSummary, siap } from './siap.js';
export {
  type GospaRunFigures,
  type PictureQuality,
  type PictureQualityParameters,
  type PictureQualityPoint,
  measurePictureQuality,
} from './picture-quality.js';
