import type { TruthRecord } from '../truth/truth-record.js';

/** A stretch of time a device was faulted (simulator fault profile) or a launcher was not armed. */
export interface DeviceInterval {
  /** Timeline row label, e.g. `radar-1 fault: drop` or `launcher-1 not armed`. */
  readonly row: string;
  readonly kind: 'fault' | 'not-armed';
  readonly fromUs: number;
  /** Host µs; `endUs` of the run when it never ended. */
  readonly toUs: number;
  readonly note: string;
}

/**
 * Fault windows (one row per device and fault) and the windows in which a launcher was not
 * ARMED after first being armed (SAFE after a watchdog trip, re-arming), from the truth log.
 * The time before a launcher is first armed is the bench's start-up and is left out.
 */
export function deviceIntervals(
  truth: readonly TruthRecord[] | undefined,
  endUs: number,
  epochHostUs = 0,
): DeviceInterval[] {
  if (truth === undefined) return [];
  const out: DeviceInterval[] = [];
  const openFaults = new Map<string, number>();
  const notArmedSince = new Map<string, { fromUs: number; cause: string; state: string }>();
  const everArmed = new Set<string>();
  for (const r of truth) {
    if (r.kind === 'fault') {
      const row = `${r.deviceId} fault: ${r.fault}`;
      const t = r.tUs + epochHostUs;
      if (r.phase === 'start') {
        if (!openFaults.has(row)) openFaults.set(row, t);
      } else {
        const from = openFaults.get(row);
        if (from !== undefined) {
          out.push({ row, kind: 'fault', fromUs: from, toUs: t, note: `${r.fault} on ${r.deviceId}` });
          openFaults.delete(row);
        }
      }
    } else if (r.kind === 'launcher-state') {
      const t = r.tUs + epochHostUs;
      const armed = r.state === 'armed' || r.state === 'firing';
      const open = notArmedSince.get(r.launcherId);
      if (armed) {
        everArmed.add(r.launcherId);
        if (open !== undefined) {
          out.push({
            row: `${r.launcherId} not armed`,
            kind: 'not-armed',
            fromUs: open.fromUs,
            toUs: t,
            note: `${open.state.toUpperCase()} (${open.cause})`,
          });
          notArmedSince.delete(r.launcherId);
        }
      } else if (everArmed.has(r.launcherId) && open === undefined) {
        notArmedSince.set(r.launcherId, { fromUs: t, cause: r.cause, state: r.state });
      }
    }
  }
  for (const [row, fromUs] of openFaults) {
    out.push({
      row,
      kind: 'fault',
      fromUs,
      toUs: Math.max(endUs, fromUs),
      note: `${row.replace(' fault: ', ': ')} (to the end)`,
    });
  }
  for (const [launcherId, open] of notArmedSince) {
    out.push({
      row: `${launcherId} not armed`,
      kind: 'not-armed',
      fromUs: open.fromUs,
      toUs: Math.max(endUs, open.fromUs),
      note: `${open.state.toUpperCase()} (${open.cause}) to the end`,
    });
  }
  return out.sort((a, b) => a.row.localeCompare(b.row) || a.fromUs - b.fromUs);
}
