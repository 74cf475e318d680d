import type { TruthRecord } from '../truth/truth-record.js';
import type { EngagementEndReason } from '../control/index.js';
import type { RunDigest } from './digest-run.js';

/** How an engagement ended on the timeline. `open`: still running when the recording stops. */
export type TimelineResult = 'kill' | 'miss' | 'lost' | 'aborted' | 'failed' | 'open';

/** One engagement's milestones, host µs (null: the milestone never happened). */
export interface TimelineEngagement {
  readonly engagementId: number;
  readonly launcherId: string;
  readonly trackId: number;
  readonly fireCommandId: number | null;
  /** Its track's first detection (`created`), when recorded. */
  readonly detectUs: number | null;
  /** First `planned` event. */
  readonly plannedUs: number;
  readonly fireSentUs: number | null;
  /** Ignition: truth `executedUs`, else the launcher's reported launch instant. */
  readonly launchUs: number | null;
  /** Truth closest approach (or kill), else the planned intercept of a launched engagement. */
  readonly interceptUs: number | null;
  /** The assessment, abort or failure event, else null (open). */
  readonly endUs: number | null;
  readonly result: TimelineResult;
  readonly reason: EngagementEndReason | null;
  /** `replanned` events before the FIRE. */
  readonly replans: number;
  /** Row of the timeline chart (see {@link EngagementTimeline.rows}). */
  readonly row: number;
}

/** A timeline row: one lane of one launcher. */
export interface TimelineRow {
  readonly launcherId: string;
  /** 0-based lane within the launcher. */
  readonly lane: number;
  readonly label: string;
}

/** Engagements packed into per-launcher lanes so that bars on one row never overlap. */
export interface EngagementTimeline {
  readonly rows: readonly TimelineRow[];
  readonly engagements: readonly TimelineEngagement[];
}

/**
 * Build the per-launcher engagement timeline: detect → plan → fire → launch → intercept → end,
 * from the core's track and engagement events, sharpened with truth when given (actual launch
 * and closest approach by command id). Launchers keep the order of `launcherOrder` (the core
 * config's), then any other launcher by id; within a launcher, engagements are packed greedily
 * into the first lane free at their start.
 */
export function buildEngagementTimeline(
  digest: RunDigest,
  truth: readonly TruthRecord[] | undefined,
  launcherOrder: readonly string[] = [],
  epochHostUs = 0,
): EngagementTimeline {
  const executedByCommand = new Map<number, number>();
  const approachByCommand = new Map<number, number>();
  for (const record of truth ?? []) {
    if (record.kind === 'launch') executedByCommand.set(record.commandId, record.executedUs + epochHostUs);
    else if (record.kind === 'closest-approach' && record.atUs !== null)
      approachByCommand.set(record.commandId, record.atUs + epochHostUs);
    else if (record.kind === 'kill' && !approachByCommand.has(record.commandId))
      approachByCommand.set(record.commandId, record.tUs + epochHostUs);
  }

  const drafts: Omit<TimelineEngagement, 'row'>[] = [];
  for (const [engagementId, events] of digest.engagements) {
    const first = events[0];
    if (first === undefined) continue;
    const last = events[events.length - 1]!;
    const fireSent = events.find((e) => e.transition === 'fire-sent');
    const launched = events.find((e) => e.transition === 'launched');
    const terminal = events.find(
      (e) => e.transition === 'intercept-assessed' || e.transition === 'aborted' || e.transition === 'failed',
    );
    const fireCommandId = last.fireCommandId ?? fireSent?.fireCommandId ?? null;
    const truthLaunchUs = fireCommandId !== null ? executedByCommand.get(fireCommandId) : undefined;
    const launchUs = truthLaunchUs ?? launched?.actualLaunchHostUs ?? null;
    let interceptUs: number | null = null;
    if (launchUs !== null) {
      const truthApproach = fireCommandId !== null ? approachByCommand.get(fireCommandId) : undefined;
      interceptUs = truthApproach ?? (launched ?? last).interceptAtHostUs;
    }
    let result: TimelineResult = 'open';
    if (terminal?.transition === 'intercept-assessed') result = terminal.result ?? 'lost';
    else if (terminal?.transition === 'aborted') result = 'aborted';
    else if (terminal?.transition === 'failed') result = 'failed';
    // An aborted engagement whose launcher launched anyway went on to an assessment.
    const assessed = events.find((e) => e.transition === 'intercept-assessed');
    if (assessed !== undefined) result = assessed.result ?? 'lost';
    const ending = assessed ?? terminal;
    let replans = 0;
    for (const e of events) {
      if (e === fireSent) break;
      if (e.transition === 'replanned') replans++;
    }
    drafts.push({
      engagementId,
      launcherId: first.launcherId,
      trackId: first.trackId,
      fireCommandId,
      detectUs: digest.tracks.get(first.trackId)?.createdUs ?? null,
      plannedUs: first.atUs,
      fireSentUs: fireSent?.atUs ?? null,
      launchUs,
      interceptUs,
      endUs: ending?.atUs ?? null,
      result,
      reason: ending?.reason ?? null,
      replans,
    });
  }

  const order = [...launcherOrder];
  for (const d of drafts) if (!order.includes(d.launcherId)) order.push(d.launcherId);
  const rows: TimelineRow[] = [];
  const engagements: TimelineEngagement[] = [];
  for (const launcherId of order) {
    const mine = drafts
      .filter((d) => d.launcherId === launcherId)
      .sort((a, b) => startOf(a) - startOf(b) || a.engagementId - b.engagementId);
    const laneEnds: number[] = [];
    const firstRow = rows.length;
    for (const draft of mine) {
      let lane = laneEnds.findIndex((endUs) => endUs < startOf(draft));
      if (lane < 0) {
        lane = laneEnds.length;
        laneEnds.push(0);
        rows.push({ launcherId, lane, label: '' });
      }
      laneEnds[lane] = endOf(draft, digest.lastUs);
      engagements.push({ ...draft, row: firstRow + lane });
    }
    if (mine.length === 0) rows.push({ launcherId, lane: 0, label: '' });
    const lanes = rows.length - firstRow;
    for (let i = firstRow; i < rows.length; i++) {
      const row = rows[i]!;
      rows[i] = { ...row, label: lanes === 1 ? launcherId : `${launcherId} · ${row.lane + 1}` };
    }
  }
  engagements.sort((a, b) => a.row - b.row || startOf(a) - startOf(b));
  return { rows, engagements };
}

function startOf(e: Omit<TimelineEngagement, 'row'>): number {
  return e.detectUs !== null && e.detectUs <= e.plannedUs ? e.detectUs : e.plannedUs;
}

function endOf(e: Omit<TimelineEngagement, 'row'>, lastUs: number): number {
  return Math.max(e.endUs ?? lastUs, e.interceptUs ?? 0, e.launchUs ?? 0, e.plannedUs);
}
