import type { Message } from '../protocol/index.js';
import type { HostTimedConversion } from './host-timed.js';
import type { RadarStatusReport, TrackDropReport, TrackReport } from './radar-controller.js';

// The reports are written out field by field, in catalogue order then the host timing, as the
// spread copies they replace laid them out: one object of one shape per frame, no rest copy of
// the message. A field added to the catalogue fails to compile here until it is reported.

/** RADAR_STATUS as the driver reports it, `good` (it just arrived). */
export function radarStatusReport(message: Message<'RADAR_STATUS'>, timed: HostTimedConversion): RadarStatusReport {
  return {
    deviceTimeUs: message.deviceTimeUs,
    mode: message.mode,
    health: message.health,
    activeTracks: message.activeTracks,
    scanPeriodUs: message.scanPeriodUs,
    maxRangeM: message.maxRangeM,
    lastCommandId: message.lastCommandId,
    receivedAtHostUs: timed.receivedAtHostUs,
    timeUncertaintyUs: timed.timeUncertaintyUs,
    hostTimeUs: timed.hostUs,
    quality: 'good',
  };
}

/** TRACK_REPORT as the driver reports it (`timed` converts measurementTimeUs). */
export function trackReport(message: Message<'TRACK_REPORT'>, timed: HostTimedConversion): TrackReport {
  return {
    trackId: message.trackId,
    measurementTimeUs: message.measurementTimeUs,
    eastM: message.eastM,
    northM: message.northM,
    upM: message.upM,
    eastMps: message.eastMps,
    northMps: message.northMps,
    upMps: message.upMps,
    positionSigmaM: message.positionSigmaM,
    velocitySigmaMps: message.velocitySigmaMps,
    quality: message.quality,
    iffClass: message.iffClass,
    receivedAtHostUs: timed.receivedAtHostUs,
    timeUncertaintyUs: timed.timeUncertaintyUs,
    measurementHostUs: timed.hostUs,
  };
}

/** TRACK_DROP as the driver reports it (`timed` converts deviceTimeUs). */
export function trackDropReport(message: Message<'TRACK_DROP'>, timed: HostTimedConversion): TrackDropReport {
  return {
    trackId: message.trackId,
    deviceTimeUs: message.deviceTimeUs,
    reason: message.reason,
    receivedAtHostUs: timed.receivedAtHostUs,
    timeUncertaintyUs: timed.timeUncertaintyUs,
    hostTimeUs: timed.hostUs,
  };
}
