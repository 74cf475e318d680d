import type { MessageName, NAK_REASONS } from '../protocol/index.js';

/** A NAK reason code (ICD-CMN-006). */
export type NakReason = (typeof NAK_REASONS)[number];

/** Every way a driver call can fail; each has its own class below. */
export type DeviceErrorCode =
  | 'nak'
  | 'ack-timeout'
  | 'link-lost'
  | 'not-active'
  | 'incompatible'
  | 'stopped'
  | 'sync-out-of-bound'
  | 'sync-unavailable'
  | 'command-id-conflict'
  | 'invalid-command'
  | 'safe-latched';

/**
 * Base of every error a device driver rejects with. Callers switch on `code`; the subclasses
 * carry the details. None of them means "maybe sent later": a rejected command is never
 * written again by the driver.
 */
export abstract class DeviceError extends Error {
  abstract readonly code: DeviceErrorCode;
}

/** The device refused the command (ICD-CMN-006); it had no effect on the device. */
export class NakError extends DeviceError {
  readonly code = 'nak' as const;
  constructor(
    readonly reason: NakReason,
    readonly messageType: MessageName,
    readonly commandId: number,
  ) {
    super(`${messageType} (command ${commandId}) refused: ${reason}`);
    this.name = 'NakError';
  }
}

/**
 * No ACK or NAK after the first transmission and every retransmission (ICD-CMN-005). The
 * device may or may not have executed the command; a FIRE with the same command id is still
 * executed at most once by the launcher (ICD-CMN-008).
 */
export class AckTimeoutError extends DeviceError {
  readonly code = 'ack-timeout' as const;
  constructor(
    readonly messageType: MessageName,
    readonly commandId: number,
    readonly transmissions: number,
  ) {
    super(`${messageType} (command ${commandId}) unanswered after ${transmissions} transmissions`);
    this.name = 'AckTimeoutError';
  }
}

/**
 * The link went down (silence, transport closed, device re-handshake) while the command was
 * pending, or the call was made while the link is lost (ICD-HOST-001). The command is dropped.
 */
export class LinkLostError extends DeviceError {
  readonly code = 'link-lost' as const;
  constructor(readonly detail: string) {
    super(`link lost: ${detail}`);
    this.name = 'LinkLostError';
  }
}

/** The session is not active (still connecting or handshaking): nothing was sent. */
export class NotActiveError extends DeviceError {
  readonly code = 'not-active' as const;
  constructor(readonly state: string) {
    super(`device session is ${state}, not active`);
    this.name = 'NotActiveError';
  }
}

/** The device's schema hash or kind differs from the host's: fail closed (ICD-HOST-003). */
export class IncompatibleDeviceError extends DeviceError {
  readonly code = 'incompatible' as const;
  constructor(readonly detail: string) {
    super(`incompatible device: ${detail}`);
    this.name = 'IncompatibleDeviceError';
  }
}

/** The driver was stopped. */
export class DriverStoppedError extends DeviceError {
  readonly code = 'stopped' as const;
  constructor() {
    super('device driver stopped');
    this.name = 'DriverStoppedError';
  }
}

/** Time sync is not good enough for a time-tagged command: nothing was sent. */
export class SyncOutOfBoundError extends DeviceError {
  readonly code = 'sync-out-of-bound' as const;
  constructor(
    readonly uncertaintyUs: number,
    readonly maxUncertaintyUs: number,
  ) {
    super(`time sync uncertainty ${uncertaintyUs.toFixed(1)} us exceeds ${maxUncertaintyUs} us`);
    this.name = 'SyncOutOfBoundError';
  }
}

/** A time conversion was asked for before time sync had an estimate. */
export class SyncUnavailableError extends DeviceError {
  readonly code = 'sync-unavailable' as const;
  constructor() {
    super('no time sync estimate yet');
    this.name = 'SyncUnavailableError';
  }
}

/** A command id was reused for a different command (ICD-CMN-008): nothing was sent. */
export class CommandIdConflictError extends DeviceError {
  readonly code = 'command-id-conflict' as const;
  constructor(readonly commandId: number) {
    super(`command id ${commandId} was already used for a different command`);
    this.name = 'CommandIdConflictError';
  }
}

/** A command argument is out of range (a caller bug): nothing was sent. */
export class InvalidCommandError extends DeviceError {
  readonly code = 'invalid-command' as const;
  constructor(readonly detail: string) {
    super(`invalid command: ${detail}`);
    this.name = 'InvalidCommandError';
  }
}

/** The launcher is held SAFE by the driver after a (re)connect until an explicit ARM. */
export class SafeLatchedError extends DeviceError {
  readonly code = 'safe-latched' as const;
  constructor() {
    super('launcher held SAFE since the last (re)connect: ARM first');
    this.name = 'SafeLatchedError';
  }
}
