import type { ControlInput, LauncherStatusInput } from '../control/index.js';
import type { LauncherController, LauncherStatusReport, RadarController } from '../devices/index.js';
import type { Clock } from '../time/clock.js';

/** Counters of what the adapter could not turn into inputs. */
export interface InputAdapterCounters {
  /** Track reports that arrived before time sync had a model (no host time): not usable. */
  tracksWithoutHostTime: number;
  /** Inputs handed to the loop. */
  inputs: number;
}

/**
 * Turns driver events into control-core inputs: host-time stamped, with a per-source sequence
 * number so the core's stable input order never depends on event-loop timing (docs/architecture.md §One run, step 4).
 * Every launcher status, and every launcher link-state change, becomes a `launcher-status`
 * input carrying link freshness and the time-sync bound, which the interlocks read.
 */
export class DeviceInputAdapter {
  readonly counters: InputAdapterCounters = { tracksWithoutHostTime: 0, inputs: 0 };
  private readonly seqBySource = new Map<string, number>();

  constructor(
    private readonly clock: Clock,
    private readonly push: (input: ControlInput) => void,
  ) {}

  /** Next sequence number of a source (1, 2, 3 ...). */
  nextSeq(sourceId: string): number {
    const seq = (this.seqBySource.get(sourceId) ?? 0) + 1;
    this.seqBySource.set(sourceId, seq);
    return seq;
  }

  /** Stamp and hand over an input built elsewhere (operator commands, fire outcomes). */
  emit(input: ControlInput): void {
    this.counters.inputs++;
    this.push(input);
  }

  attachRadar(id: string, radar: RadarController): void {
    radar.on('track', (track) => {
      if (track.measurementHostUs === undefined) {
        this.counters.tracksWithoutHostTime++;
        return;
      }
      this.emit({
        kind: 'track-measurement',
        receivedAtUs: track.receivedAtHostUs,
        sourceId: id,
        seq: this.nextSeq(id),
        radarId: id,
        radarTrackId: track.trackId,
        measurementTimeUs: track.measurementHostUs,
        eastM: track.eastM,
        northM: track.northM,
        upM: track.upM,
        eastMps: track.eastMps,
        northMps: track.northMps,
        upMps: track.upMps,
        positionSigmaM: track.positionSigmaM,
        velocitySigmaMps: track.velocitySigmaMps,
        quality: track.quality,
        iff: track.iffClass,
      });
    });
    radar.on('track-drop', (drop) => {
      this.emit({
        kind: 'track-drop',
        receivedAtUs: drop.receivedAtHostUs,
        sourceId: id,
        seq: this.nextSeq(id),
        radarId: id,
        radarTrackId: drop.trackId,
        dropTimeUs: drop.hostTimeUs ?? drop.receivedAtHostUs,
        reason: drop.reason,
      });
    });
  }

  attachLauncher(id: string, launcher: LauncherController): void {
    launcher.on('status', (status) => this.emit(this.launcherStatus(id, launcher, status, status.receivedAtHostUs)));
    launcher.on('link-state', (change) => {
      const last = launcher.status;
      this.emit(this.launcherStatus(id, launcher, last, change.atHostUs));
    });
  }

  private launcherStatus(
    id: string,
    launcher: LauncherController,
    status: LauncherStatusReport | undefined,
    receivedAtUs: number,
  ): LauncherStatusInput {
    const active = launcher.linkState === 'active';
    const uncertaintyUs = launcher.timeSync.uncertaintyUs(this.clock.nowUs());
    return {
      kind: 'launcher-status',
      receivedAtUs,
      sourceId: id,
      seq: this.nextSeq(id),
      launcherId: id,
      statusTimeUs: status?.hostTimeUs ?? receivedAtUs,
      lifecycleActive: active,
      linkFresh: active && status !== undefined && status.quality === 'good',
      timeSyncUncertaintyUs: Number.isFinite(uncertaintyUs) ? uncertaintyUs : null,
      // Without a status (never heard, or lost) the launcher is taken as SAFE: fail closed.
      state: active && status !== undefined && !launcher.safeLatched ? status.state : 'safe',
      roundsReady: status?.roundsReady ?? 0,
      watchdog: status?.watchdog ?? 'tripped',
      azimuthDeg: status?.azimuthDeg ?? 0,
      elevationDeg: status?.elevationDeg ?? 0,
    };
  }
}
