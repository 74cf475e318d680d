export * from './fault-spec.js';
export * from './fault-spec-error.js';
export * from './proxy-fault-record.js';
export * from './direction-faults.js';
export * from './fault-proxy.js';
export * from './proxy-prng.js';
