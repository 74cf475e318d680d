export * from './cobs.js';
export * from './crc16.js';
export * from './frame-error.js';
export * from './frame-layout.js';
export * from './frame-splitter.js';
export * from './bounded-delimiter-parser.js';
