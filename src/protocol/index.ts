export * from './catalogue/index.js';
export * from './field-spec.js';
export * from './message-types.js';
export * from './codec.js';
export * from './timing-rules.js';
export * from './icd-rules.js';
export * from './frame-reader.js';
