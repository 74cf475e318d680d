import type { Message, MessageBody } from '../protocol/index.js';
import type { Clock } from '../time/clock.js';
import type { Transport } from '../transport/transport.js';
import { CommandLedger } from './command-ledger.js';
import { DriverStoppedError, InvalidCommandError } from './device-errors.js';
import type { AckReceipt } from './link/acknowledged-sender.js';
import type { LinkCounters } from './link/link-counters.js';
import { PeriodicTask } from './link/periodic-task.js';
import { DeviceSession } from './link-session/device-session.js';
import type { DeviceSessionConfigInput, LineRates } from './link-session/session-config.js';
import type { DeviceIdentity, SessionState, SessionStateChange } from './link-session/session-state.js';
import type { TimeSyncView } from './time-sync/time-sync.js';
import { type ListenerArgs, TypedEmitter } from './typed-emitter.js';

/** First command id of the range the driver uses for its own commands (SAFE on reconnect). */
export const DRIVER_COMMAND_ID_BASE = 0xff00_0000;
const MAX_COMMAND_ID = 0xffff_ffff;

/** Options shared by RadarController and LauncherController. */
export interface DeviceControllerOptions {
  /** The link to the controller (serial, TCP, memory, possibly paced). */
  readonly transport: Transport;
  /** The one clock (docs/architecture.md §Time). */
  readonly clock: Clock;
  /** Session knobs (handshake, heartbeat, supervision, backoff, retransmit, time sync). */
  readonly session?: DeviceSessionConfigInput;
  /** Line rates for the time-sync line-time corrections; omit a direction that is not paced. */
  readonly lineRates?: LineRates;
  /** Period of the `counters` event while started; 0 disables it. Default 1 000 000 us. */
  readonly countersPeriodUs?: number;
  /**
   * Allocates command ids for the driver's own commands (the launcher's SAFE after every
   * handshake and on stop). Default: a counter from DRIVER_COMMAND_ID_BASE up, and caller ids
   * in that range are then refused (InvalidCommandError). The control core, which allocates
   * every other id, can pass its own allocator instead.
   */
  readonly allocateInternalCommandId?: () => number;
  /**
   * Seq of the first frame the driver sends (0..65535). Default 0. A host that restarts against
   * devices that stayed powered passes a different start each session (`firstSeqOfSession`).
   */
  readonly firstSeq?: number;
}

/** Events every device controller emits. */
export interface DeviceControllerEvents {
  /** Every session state transition (see SessionState). */
  'link-state': (change: SessionStateChange) => void;
  /** Every IDENT received, compatible or not. */
  ident: (identity: DeviceIdentity) => void;
  /** A counters snapshot every `countersPeriodUs`. */
  counters: (counters: LinkCounters) => void;
}

/** Quality of a device state snapshot: `stale` once the link is lost or down. */
export type DeviceQuality = 'good' | 'stale';

/**
 * What RadarController and LauncherController share: one DeviceSession, the event emitter,
 * idempotent command ids and the counters timer. Device specifics live in the subclasses.
 */
export abstract class DeviceController<E extends DeviceControllerEvents> {
  protected readonly session: DeviceSession;
  protected readonly clock: Clock;
  protected readonly events = new TypedEmitter<E>();
  private readonly ledger = new CommandLedger();
  private readonly countersTask: PeriodicTask | undefined;
  private readonly customAllocator: (() => number) | undefined;
  private nextInternalId = DRIVER_COMMAND_ID_BASE;

  protected constructor(
    options: DeviceControllerOptions,
    kind: 'radar' | 'launcher',
    statusType: 'RADAR_STATUS' | 'LAUNCHER_STATUS',
  ) {
    this.clock = options.clock;
    this.customAllocator = options.allocateInternalCommandId;
    this.session = new DeviceSession({
      transport: options.transport,
      clock: options.clock,
      kind,
      statusType,
      config: options.session,
      lineRates: options.lineRates,
      ...(options.firstSeq === undefined ? {} : { firstSeq: options.firstSeq }),
      activate: () => this.activate(),
      onMessage: (message, rxUs) => this.onDeviceMessage(message, rxUs),
      onStateChange: (change) => {
        this.onLinkState(change);
        this.emitBase('link-state', change);
      },
      onIdent: (identity) => this.emitBase('ident', identity),
    });
    const periodUs = options.countersPeriodUs ?? 1_000_000;
    this.countersTask =
      periodUs > 0
        ? new PeriodicTask(options.clock, periodUs, () => this.emitBase('counters', this.counters()))
        : undefined;
  }

  /** Open the link and keep it up (reconnecting in-process) until `stop()`. */
  start(): void {
    this.session.start();
    this.countersTask?.start();
  }

  /** Stop the driver: pending commands reject with DriverStoppedError, the transport closes. */
  async stop(): Promise<void> {
    this.countersTask?.stop();
    await this.session.stop();
  }

  get linkState(): SessionState {
    return this.session.state;
  }

  /** The last IDENT received. */
  get ident(): DeviceIdentity | undefined {
    return this.session.ident;
  }

  /** Conversions between host and device time, and their error bound. */
  get timeSync(): TimeSyncView {
    return this.session.timeSync;
  }

  /** A snapshot of the link counters. */
  counters(): LinkCounters {
    return this.session.counters();
  }

  on<K extends keyof E>(event: K, listener: E[K]): void {
    this.events.on(event, listener);
  }

  off<K extends keyof E>(event: K, listener: E[K]): void {
    this.events.off(event, listener);
  }

  /** Device-specific activation after every accepted IDENT (see DeviceSessionOptions.activate). */
  protected activate(): Promise<void> {
    return Promise.resolve();
  }

  /** Device messages once identified. */
  protected abstract onDeviceMessage(message: Message, rxUs: number): void;

  /** Reacts to session transitions (e.g. statuses go stale). Called before `link-state` is emitted. */
  protected abstract onLinkState(change: SessionStateChange): void;

  /**
   * Issue a caller command with idempotent id: a repeat with the same fingerprint returns the
   * first outcome and sends nothing; another command under a used id rejects with
   * CommandIdConflictError. For a new id, the session gate then `validate` run first; a refusal
   * rejects without writing anything or recording the id.
   */
  protected issue<T extends AckReceipt>(
    commandId: number,
    fingerprint: string,
    validate: () => Error | undefined,
    send: () => Promise<T>,
  ): Promise<T> {
    try {
      const earlier = this.ledger.lookup<T>(commandId, fingerprint);
      if (earlier !== undefined) return earlier;
    } catch (error) {
      return Promise.reject(error as Error);
    }
    const refusal = this.checkCommandId(commandId) ?? this.session.refusal(false) ?? validate();
    if (refusal !== undefined) return Promise.reject(refusal);
    const outcome = send();
    this.ledger.record(commandId, fingerprint, outcome);
    return outcome;
  }

  /** Send an acknowledged command through the session gate. */
  protected command(body: MessageBody, options: { activation?: boolean } = {}): Promise<AckReceipt> {
    return this.session.command(body, options);
  }

  /** A fresh id for a driver-internal command. */
  protected internalCommandId(): number {
    if (this.customAllocator !== undefined) return this.customAllocator();
    const id = this.nextInternalId;
    this.nextInternalId = id >= MAX_COMMAND_ID ? DRIVER_COMMAND_ID_BASE : id + 1;
    return id;
  }

  protected emitBase<K extends keyof DeviceControllerEvents>(
    event: K,
    ...args: ListenerArgs<DeviceControllerEvents[K]>
  ): void {
    (this.events as unknown as TypedEmitter<DeviceControllerEvents>).emit(event, ...args);
  }

  protected get stopped(): boolean {
    return this.session.state === 'stopped';
  }

  private checkCommandId(commandId: number): Error | undefined {
    if (this.stopped) return new DriverStoppedError();
    if (!Number.isInteger(commandId) || commandId < 1 || commandId > MAX_COMMAND_ID) {
      return new InvalidCommandError(`command id ${commandId} is not an integer in [1, 2^32-1] (ICD-CMN-008)`);
    }
    if (this.customAllocator === undefined && commandId >= DRIVER_COMMAND_ID_BASE) {
      return new InvalidCommandError(`command id ${commandId} is in the driver's reserved range`);
    }
    return undefined;
  }
}
