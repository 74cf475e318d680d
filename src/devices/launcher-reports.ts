import type { Message } from '../protocol/index.js';
import type { HostTimedConversion } from './host-timed.js';
import type { FireReport, LauncherStatusReport } from './launcher-controller.js';

// Written out field by field, as in radar-reports.ts: catalogue order, then the host timing.

/** LAUNCHER_STATUS as the driver reports it, `good` (it just arrived). */
export function launcherStatusReport(
  message: Message<'LAUNCHER_STATUS'>,
  timed: HostTimedConversion,
  safeLatched: boolean,
): LauncherStatusReport {
  return {
    deviceTimeUs: message.deviceTimeUs,
    state: message.state,
    roundsReady: message.roundsReady,
    azimuthDeg: message.azimuthDeg,
    elevationDeg: message.elevationDeg,
    watchdog: message.watchdog,
    pendingFireCommandId: message.pendingFireCommandId,
    lastCommandId: message.lastCommandId,
    receivedAtHostUs: timed.receivedAtHostUs,
    timeUncertaintyUs: timed.timeUncertaintyUs,
    hostTimeUs: timed.hostUs,
    quality: 'good',
    safeLatched,
  };
}

/** FIRE_REPORT as the driver reports it (`timed` converts actualTimeUs). */
export function fireReport(message: Message<'FIRE_REPORT'>, timed: HostTimedConversion): FireReport {
  return {
    fireCommandId: message.fireCommandId,
    result: message.result,
    actualTimeUs: message.actualTimeUs,
    roundsRemaining: message.roundsRemaining,
    receivedAtHostUs: timed.receivedAtHostUs,
    timeUncertaintyUs: timed.timeUncertaintyUs,
    actualHostUs: timed.hostUs,
  };
}
