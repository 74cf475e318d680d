/**
 * The control core (docs/architecture.md §One run, step 5): a deterministic `step(state, inputs, nowUs)` that turns radar
 * tracks, launcher status, FIRE outcomes and authorised operator orders into SLEW / FIRE / ABORT /
 * SAFE commands and engagement events, behind fail-closed interlocks. No I/O, no wall time.
 */
export * from './control-config.js';
export * from './defended-assets.js';
export * from './control-error.js';
export * from './control-inputs.js';
export * from './control-commands.js';
export * from './control-events.js';
export type { EngagementSnapshot, LauncherSnapshot, TrackSnapshot } from './control-snapshots.js';
export { ControlState, createControlState } from './control-state.js';
export type { ThreatAssignment, ThreatenedAsset, ThreatSnapshot, TrackCovarianceSnapshot } from './threat-snapshot.js';
export type { StepOutput } from './output-sink.js';
export { step } from './step.js';
export { compareControlInputs } from './input-sorter.js';
export type { EnuPositionM, EnuVelocityMps } from './enu.js';
export { InterceptSolver, InterceptSolution, type InterceptLimits, type LauncherPointing } from './intercept-solver.js';
export { TargetKinematics } from './target-kinematics.js';
export { launchErrorBudgetUs } from './launch-error-budget.js';
