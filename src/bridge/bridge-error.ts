/**
 * Every failure the bridge reports as an exception carries a stable `code`. Bad input from the
 * network never throws: it becomes a typed `rejected` command result instead (see
 * `command-handler.ts`); these errors are for configuration, files and programming mistakes.
 */
export type BridgeErrorCode =
  | 'invalid-id'
  | 'canonical-json'
  | 'key-file'
  | 'key-environment'
  | 'spool-io'
  | 'broker-config'
  | 'broker-unavailable'
  | 'not-started'
  | 'already-started'
  | 'client-timeout';

export class BridgeError extends Error {
  readonly code: BridgeErrorCode;

  constructor(code: BridgeErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'BridgeError';
    this.code = code;
  }
}
