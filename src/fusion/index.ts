export {
  AssignmentError,
  AssignmentWorkspace,
  solveDenseHungarian,
  solveShortestAugmentingPath,
} from '../common/linear-assignment.js';
export { type AssociationStats, Associator, EdgeList, type PackedTracks, gnnTotal } from './association.js';
export { CiWorkspace, type OmegaCriterion, covarianceIntersection } from './covariance-intersection.js';
export { FrameConverter } from './frames.js';
export { type JointGroups, JointIdTable } from './joint-ids.js';
export { JointTrackBuffer, SOURCE_FUSED, SOURCE_LOCAL, SOURCE_PARTNER, identityCode } from './joint-track-buffer.js';
export { JointPicture, type JointPictureOptions, type OfferResult } from './joint-picture.js';
export {
  COV_SIZE,
  STATE_DIM,
  cholesky,
  choleskySolve,
  inverseFromCholesky,
  logDetFromCholesky,
  mahalanobisSquared,
  symmetricEigenvalues,
} from './matrix.js';
export { predictConstantVelocity } from './predict.js';
export { selectReleasableLocalTracks } from './releasable.js';
export {
  CHI2_6DOF_99,
  FusionConfigError,
  type FusionOptions,
  type FusionStats,
  type FusionUpdate,
} from './fusion-options.js';
export { type PackedFusionUpdate, TrackFuser } from './track-fuser.js';
export {
  type JointTrack,
  type LocalTrack,
  type MemberRef,
  type PartnerTrack,
  type Pedigree,
  type RejectReason,
  type Rejection,
  TRACK_IDENTITIES,
  type TrackFrame,
  type TrackIdentity,
  combineIdentity,
  isSymmetric,
  isWellFormed,
} from './tracks.js';
