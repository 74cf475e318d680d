import { HEARTBEAT_PERIOD_US, HELLO_RETRY_US, SCHEMA_HASH } from '../../protocol/index.js';
import { DEFAULT_RETRANSMIT_CONFIG, type RetransmitConfig } from '../link/acknowledged-sender.js';
import type { TimeSyncConfigInput } from '../time-sync/time-sync.js';
import { type BackoffConfig, DEFAULT_BACKOFF_CONFIG } from './exponential-backoff.js';

/** Session knobs; every one has a default. */
export interface DeviceSessionConfig {
  /** HELLO period until IDENT (ICD-CMN-001). Default 200 000 us. */
  readonly helloRetryUs: number;
  /** Host HEARTBEAT period (ICD-CMN-003). Default 50 000 us. */
  readonly heartbeatPeriodUs: number;
  /** Silence after which the link is lost (ICD-HOST-001). Default 150 000 us = 3 heartbeats. */
  readonly silenceTimeoutUs: number;
  /** Handshake activation (launcher SAFE + fresh STATUS) must finish within this, else HELLO again. Default 1 000 000 us. */
  readonly activationTimeoutUs: number;
  /** Reopen backoff after an unexpected close or a failed open. */
  readonly backoff: BackoffConfig;
  /** ACK timeout and retry limit (ICD-CMN-005). */
  readonly retransmit: RetransmitConfig;
  /** Time sync periods and estimator. */
  readonly timeSync: TimeSyncConfigInput;
  /** Schema hash the host speaks (ICD-CMN-002). Default SCHEMA_HASH of this build. */
  readonly schemaHash: number;
}

/** DeviceSessionConfig as given by callers: every knob optional, nested ones too. */
export type DeviceSessionConfigInput = Partial<Omit<DeviceSessionConfig, 'backoff' | 'retransmit'>> & {
  readonly backoff?: Partial<BackoffConfig>;
  readonly retransmit?: Partial<RetransmitConfig>;
};

export const DEFAULT_SESSION_CONFIG: DeviceSessionConfig = {
  helloRetryUs: HELLO_RETRY_US,
  heartbeatPeriodUs: HEARTBEAT_PERIOD_US,
  silenceTimeoutUs: 3 * HEARTBEAT_PERIOD_US,
  activationTimeoutUs: 1_000_000,
  backoff: DEFAULT_BACKOFF_CONFIG,
  retransmit: DEFAULT_RETRANSMIT_CONFIG,
  timeSync: {},
  schemaHash: SCHEMA_HASH,
};

/** Merge caller knobs over the defaults. */
export function sessionConfig(input: DeviceSessionConfigInput = {}): DeviceSessionConfig {
  return {
    ...DEFAULT_SESSION_CONFIG,
    ...input,
    backoff: { ...DEFAULT_SESSION_CONFIG.backoff, ...input.backoff },
    retransmit: { ...DEFAULT_SESSION_CONFIG.retransmit, ...input.retransmit },
    timeSync: input.timeSync ?? DEFAULT_SESSION_CONFIG.timeSync,
  };
}

/**
 * Line rates in baud (8N1) for the time-sync line-time corrections and the ACK timing. Give a
 * direction only when its bytes really are paced at that rate: a UART (both directions), a
 * PacedTransport, or a simulator that paces its output. Over a PTY to the simulator, which
 * paces only what it sends, give `deviceToHostBaud` alone. A rate given for an unpaced
 * direction biases the offset by half that frame's line time, outside the reported bound;
 * a rate omitted for a paced direction only widens the bound.
 */
export interface LineRates {
  readonly hostToDeviceBaud?: number;
  readonly deviceToHostBaud?: number;
}
