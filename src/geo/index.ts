export { DEFAULT_SITE, type EnuVector, GeoError, LocalFrame } from './local-frame.js';
export {
  type EcefVector,
  type GeodeticPosition,
  WGS84_A_M,
  WGS84_E2,
  WGS84_F,
  ecefToGeodetic,
  geodeticToEcef,
} from './wgs84.js';
