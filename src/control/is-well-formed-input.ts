import type { ControlInput, LauncherState, NakReason, TrackDropReason, WatchdogState } from './control-inputs.js';
import { MAX_PARTNER_HOLDS } from './partner-holds.js';
import { IFF_CODE } from './track-table.js';

const DROP_REASONS: Readonly<Record<TrackDropReason, true>> = {
  lost: true,
  'out-of-coverage': true,
  destroyed: true,
  merged: true,
  'mode-change': true,
};
const LAUNCHER_STATES: Readonly<Record<LauncherState, true>> = {
  safe: true,
  arming: true,
  armed: true,
  firing: true,
  fault: true,
};
const WATCHDOG_STATES: Readonly<Record<WatchdogState, true>> = { ok: true, tripped: true };
const NAK_REASONS: Readonly<Record<NakReason, true>> = {
  unspecified: true,
  'bad-state': true,
  late: true,
  'too-far-ahead': true,
  'no-rounds': true,
  'duplicate-command': true,
  'no-heartbeat': true,
  unsupported: true,
  'bad-field': true,
  busy: true,
  'watchdog-latched': true,
  'not-handshaken': true,
  'schema-mismatch': true,
  'out-of-envelope': true,
};

function fin(x: unknown): boolean {
  return typeof x === 'number' && Number.isFinite(x);
}

function u32(x: unknown): boolean {
  return typeof x === 'number' && Number.isInteger(x) && x >= 0 && x <= 0xffff_ffff;
}

function has<K extends string>(table: Readonly<Record<K, unknown>>, key: unknown): key is K {
  return typeof key === 'string' && Object.prototype.hasOwnProperty.call(table, key);
}

/**
 * Whether an input is well formed (finite numbers, known enum names, positive sigmas, integer
 * ids). Returns true when it is; the caller rejects it with reason `malformed` otherwise. Data
 * that reached the core through the codecs always passes; this guards other producers.
 */
export function isWellFormedInput(input: ControlInput): boolean {
  if (!fin(input.receivedAtUs) || !fin(input.seq) || typeof input.sourceId !== 'string') return false;
  switch (input.kind) {
    case 'track-measurement':
      return (
        u32(input.radarTrackId) &&
        fin(input.measurementTimeUs) &&
        fin(input.eastM) &&
        fin(input.northM) &&
        fin(input.upM) &&
        fin(input.eastMps) &&
        fin(input.northMps) &&
        fin(input.upMps) &&
        fin(input.positionSigmaM) &&
        input.positionSigmaM > 0 &&
        fin(input.velocitySigmaMps) &&
        input.velocitySigmaMps > 0 &&
        fin(input.quality) &&
        input.quality >= 0 &&
        input.quality <= 100 &&
        has(IFF_CODE, input.iff)
      );
    case 'track-drop':
      return u32(input.radarTrackId) && fin(input.dropTimeUs) && has(DROP_REASONS, input.reason);
    case 'launcher-status':
      return (
        fin(input.statusTimeUs) &&
        typeof input.lifecycleActive === 'boolean' &&
        typeof input.linkFresh === 'boolean' &&
        (input.timeSyncUncertaintyUs === null || fin(input.timeSyncUncertaintyUs)) &&
        has(LAUNCHER_STATES, input.state) &&
        u32(input.roundsReady) &&
        has(WATCHDOG_STATES, input.watchdog) &&
        fin(input.azimuthDeg) &&
        fin(input.elevationDeg)
      );
    case 'fire-outcome': {
      if (!u32(input.fireCommandId) || typeof input.outcome !== 'object' || input.outcome === null) return false;
      const o = input.outcome;
      switch (o.result) {
        case 'launched':
          return fin(o.actualLaunchHostUs) && u32(o.roundsRemaining);
        case 'refused':
          return has(NAK_REASONS, o.nakReason);
        case 'aborted':
        case 'misfire':
          return u32(o.roundsRemaining);
        case 'link-lost':
          return true;
        default:
          return false;
      }
    }
    case 'operator-command':
      return (
        typeof input.requestId === 'string' &&
        Array.isArray(input.operatorIds) &&
        input.operatorIds.every((id) => typeof id === 'string') &&
        typeof input.command === 'object' &&
        input.command !== null
      );
    case 'partner-holds':
      return (
        Array.isArray(input.holds) &&
        input.holds.length <= MAX_PARTNER_HOLDS &&
        input.holds.every((h) => typeof h === 'object' && h !== null && u32(h.trackId) && fin(h.untilUs))
      );
    default:
      return false;
  }
}
