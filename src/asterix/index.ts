export * from './asterix-record.js';
export { CATEGORIES, CAT034, CAT034_MESSAGE_TYPE, CAT048, CAT062 } from './categories/index.js';
export { AsterixDecoder, type AsterixDecodeCounters, type AsterixSink, decodeRecord } from './decode-block.js';
export {
  type CaptureContents,
  type CapturedDatagram,
  CaptureFileError,
  readCapture,
  writePcap,
} from './capture-file.js';
export type { CategorySpec, ItemSpec, ItemStructure, FieldSpec } from './item-spec.js';
export { AsterixEncodeError, encodeBlock } from './encode.js';
export { recordJson } from './record-json.js';
