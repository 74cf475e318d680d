export {
  NMEA_MAX_SENTENCE_CHARS,
  type NmeaParseResult,
  type NmeaSentence,
  nmeaChecksum,
  parseNmeaSentence,
  withChecksum,
} from './nmea-sentence.js';
export {
  NmeaFieldError,
  type TargetStatus,
  type TllReport,
  type TtmReport,
  parseTll,
  parseTtm,
} from './target-sentences.js';
export {
  NMEA_MAX_LINE_CHARS,
  type NmeaReaderCounters,
  NmeaTargetReader,
  type NmeaTargetSink,
} from './target-reader.js';
export { type ArpaRadarPlacement, type SurfaceTrackUpdate, surfaceTrackOf } from './surface-track.js';
export { type TimedLine, type TtmRuleResult, checkTtmRate, checkTtmSource } from './ttm-conformance.js';
export { NMEA_BAUDS, nmeaLinkProblem } from './nmea-baud.js';
