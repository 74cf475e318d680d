export * from './shared-tracks-schema.js';
export * from './release-policy.js';
export { GeofenceTest } from './geofence.js';
export { fullOf, rotateCovariance, upperIndex } from './covariance.js';
export { PartnerRelease, quantise, type ReleaseResult, type TrackForRelease, type WithheldReason } from './release.js';
export * from './partner-intake.js';
export * from './partner-picture.js';
export { sharingConfigSchema, type SharingConfig } from './sharing-config.js';
