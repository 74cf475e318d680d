import { FLAG_ACK_REQUESTED } from '../framing/index.js';
import { type Message, RADAR_MODES } from '../protocol/index.js';
import type { CheckContext, StatusMessage } from './check-context.js';
import { formatMs } from './format-ms.js';

/** A radar mode. */
export type RadarMode = (typeof RADAR_MODES)[number];

/** The latest status seen in this check, or the next one. */
export async function currentStatus(ctx: CheckContext): Promise<StatusMessage> {
  const latest = ctx.probe.last(ctx.device === 'radar' ? 'RADAR_STATUS' : 'LAUNCHER_STATUS');
  return latest?.message ?? (await freshStatus(ctx)).message;
}

/** The next status strictly after now (a fresh snapshot). */
export async function freshStatus(ctx: CheckContext, what = ''): Promise<{ atUs: number; message: StatusMessage }> {
  const status = await ctx.nextStatus();
  if (status === undefined) {
    ctx.fail(
      `no ${ctx.device === 'radar' ? 'RADAR_STATUS' : 'LAUNCHER_STATUS'}${what} within ${formatMs(ctx.statusWaitUs())}`,
    );
  }
  return status;
}

/** A mode other than `mode` (standby ↔ silent, search → standby): a change without radiating. */
export function otherRadarMode(mode: RadarMode): RadarMode {
  return mode === 'standby' ? 'silent' : 'standby';
}

/**
 * A valid acknowledged command that changes something a status shows — the base of every
 * malformed-frame case: a device that fails to discard the broken variant answers it and
 * records its command id (`lastCommandId`). Radar: RADAR_SET_MODE to another mode; launcher:
 * SLEW to where it already points (accepted in any state but FAULT, and it moves nothing).
 */
export function probeCommand(ctx: CheckContext, status: StatusMessage): Message {
  const commandId = ctx.newCommandId();
  const seq = ctx.probe.takeSeq();
  if (status.type === 'RADAR_STATUS') {
    return { type: 'RADAR_SET_MODE', seq, flags: FLAG_ACK_REQUESTED, commandId, mode: otherRadarMode(status.mode) };
  }
  return {
    type: 'SLEW',
    seq,
    flags: FLAG_ACK_REQUESTED,
    commandId,
    azimuthDeg: Math.min(Math.max(0, status.azimuthDeg), 359.9),
    elevationDeg: Math.min(Math.max(0, status.elevationDeg), 90),
  };
}

/**
 * What differs between two statuses in the fields a command could change (ICD-FRM-010,
 * ICD-CMN-006): radar mode; launcher state, watchdog and pending FIRE; the last command id.
 */
export function statusChanges(before: StatusMessage, after: StatusMessage): string[] {
  const changes: string[] = [];
  const compare = (field: string, a: unknown, b: unknown): void => {
    if (a !== b) changes.push(`${field} ${String(a)} → ${String(b)}`);
  };
  if (before.type === 'RADAR_STATUS' && after.type === 'RADAR_STATUS') {
    compare('mode', before.mode, after.mode);
  } else if (before.type === 'LAUNCHER_STATUS' && after.type === 'LAUNCHER_STATUS') {
    compare('state', before.state, after.state);
    compare('watchdog', before.watchdog, after.watchdog);
    compare('pendingFireCommandId', before.pendingFireCommandId, after.pendingFireCommandId);
  }
  compare('lastCommandId', before.lastCommandId, after.lastCommandId);
  return changes;
}
