import type { ControlConfig } from './control-config.js';
import type { WeaponsControlStatus } from './control-inputs.js';
import {
  snapshotEngagements,
  snapshotLaunchers,
  snapshotTracks,
  type EngagementSnapshot,
  type LauncherSnapshot,
  type TrackSnapshot,
} from './control-snapshots.js';
import { EngagementActions } from './engagement-actions.js';
import { EngagementPlanner } from './engagement-planner.js';
import { EngagementSupervisor } from './engagement-supervisor.js';
import { EngagementTable } from './engagement-table.js';
import { FireRefusalLedger } from './fire-refusal-ledger.js';
import { InputSorter } from './input-sorter.js';
import { InterceptSolver } from './intercept-solver.js';
import { LauncherTable } from './launcher-table.js';
import { OperatorCommandHandler } from './operator-command-handler.js';
import { OutputSink } from './output-sink.js';
import { PartnerHoldTable } from './partner-holds.js';
import { Tracker } from './tracker.js';
import { ThreatEvaluator } from './threat-evaluator.js';
import {
  snapshotThreats,
  snapshotTrackCovariances,
  type ThreatSnapshot,
  type TrackCovarianceSnapshot,
} from './threat-snapshot.js';
import { validateControlConfig } from './validate-control-config.js';

/**
 * Everything the control core remembers between ticks: track table, launcher status, engagements,
 * weapons control status, and the counters behind event sequence numbers and command ids. All
 * memory of the tick path (typed-array tables, pools, output arrays) is allocated here, once.
 *
 * `step()` mutates it in place. Two states created from equal configs and stepped with equal
 * inputs at equal `nowUs` produce equal outputs. The read methods below allocate and are meant
 * for publishing (the bridge's coalesced snapshots), not for every tick.
 */
export class ControlState {
  /** @internal */ readonly sink: OutputSink;
  /** @internal */ readonly sorter = new InputSorter();
  /** @internal */ readonly tracker: Tracker;
  /** @internal */ readonly launchers: LauncherTable;
  /** @internal */ readonly engagements: EngagementTable;
  /** @internal */ readonly operators: OperatorCommandHandler;
  /** @internal */ readonly supervisor: EngagementSupervisor;
  /** @internal */ readonly planner: EngagementPlanner;
  /** @internal */ readonly threats: ThreatEvaluator;
  /** @internal */ readonly partnerHolds = new PartnerHoldTable();
  /** @internal */ lastNowUs = -Infinity;
  /** Ticks stepped so far. */
  tickCount = 0;

  constructor(readonly config: ControlConfig) {
    validateControlConfig(config);
    this.sink = new OutputSink(config.engagement.firstCommandId, config.engagement.lastCommandId);
    this.engagements = new EngagementTable(config.engagement.maxEngagements);
    this.launchers = new LauncherTable(config);
    this.tracker = new Tracker(config, this.sink, (slot, trackId, destroyed) =>
      this.supervisor.trackEnded(slot, trackId, destroyed),
    );
    const tracks = this.tracker.table;
    const actions = new EngagementActions(config, this.sink, tracks, this.launchers, this.engagements);
    const solver = new InterceptSolver({
      commandLeadUs: config.engagement.commandLeadUs,
      planningHorizonUs: config.engagement.planningHorizonUs,
      minInterceptAltitudeM: config.engagement.minInterceptAltitudeM,
      gridSteps: config.solver.gridSteps,
      refineIterations: config.solver.refineIterations,
    });
    this.operators = new OperatorCommandHandler(config, this.sink, tracks, this.engagements);
    const refusals = new FireRefusalLedger(
      config.tracking.maxTracks,
      config.launchers.length,
      config.engagement.maxFireRefusalsPerTarget,
    );
    this.supervisor = new EngagementSupervisor(
      config,
      this.sink,
      tracks,
      this.launchers,
      this.engagements,
      actions,
      solver,
      refusals,
      this.partnerHolds,
    );
    this.threats = new ThreatEvaluator(config);
    this.planner = new EngagementPlanner(
      config,
      tracks,
      this.launchers,
      this.engagements,
      actions,
      solver,
      refusals,
      this.threats,
      this.partnerHolds,
    );
    this.actions = actions;
  }

  /** @internal */ readonly actions: EngagementActions;

  /** Current weapons control status (HOLD at start). */
  get weaponsControlStatus(): WeaponsControlStatus {
    return this.operators.wcs;
  }

  /** Live host tracks (active or destroyed), in threat order. */
  get trackCount(): number {
    return this.tracker.table.activeCount;
  }

  /** Candidate intercept solves spent in the last tick. */
  get lastTickSolves(): number {
    return this.planner.lastSolves;
  }

  /** Live tracks in threat order. */
  tracks(): TrackSnapshot[] {
    return snapshotTracks(this.config, this.tracker.table);
  }

  /** Engagements the core still holds, by id. */
  engagementList(): EngagementSnapshot[] {
    return snapshotEngagements(this.config, this.engagements);
  }

  /** Launchers in config order. */
  launcherList(): LauncherSnapshot[] {
    return snapshotLaunchers(this.launchers, this.engagements);
  }

  /** Threat evaluation of the live tracks (IPP, assets, assignment), in threat order. */
  threatList(): ThreatSnapshot[] {
    return snapshotThreats(this.config, this.tracker.table, this.threats, this.engagements);
  }

  /** Position estimate and variances of every active track (consistency checks against truth). */
  trackCovariances(): TrackCovarianceSnapshot[] {
    return snapshotTrackCovariances(this.config, this.tracker.table);
  }
}

/** A fresh core state: no tracks, launchers not ready, weapons control HOLD. */
export function createControlState(config: ControlConfig): ControlState {
  return new ControlState(config);
}
