import type { Message, MessageBody } from '../../protocol/index.js';
import { type Clock, SYNC_ONLY, type TimerHandle } from '../../time/clock.js';
import type { Transport, TransportCloseReason } from '../../transport/transport.js';
import {
  DriverStoppedError,
  IncompatibleDeviceError,
  LinkLostError,
  NakError,
  NotActiveError,
} from '../device-errors.js';
import type { AckReceipt } from '../link/acknowledged-sender.js';
import { DeviceLink } from '../link/device-link.js';
import type { LinkCounters } from '../link/link-counters.js';
import { PeriodicTask } from '../link/periodic-task.js';
import { SilenceWatchdog } from '../link/silence-watchdog.js';
import { TimeSync, type TimeSyncView } from '../time-sync/time-sync.js';
import { ExponentialBackoff } from './exponential-backoff.js';
import {
  type DeviceSessionConfig,
  type DeviceSessionConfigInput,
  type LineRates,
  sessionConfig,
} from './session-config.js';
import type { DeviceIdentity, SessionState, SessionStateChange } from './session-state.js';

/** Options of {@link DeviceSession}: what the device controller plugs in. */
export interface DeviceSessionOptions {
  readonly transport: Transport;
  readonly clock: Clock;
  readonly kind: 'radar' | 'launcher';
  /** The STATUS message whose fresh arrival completes a handshake (state re-read). */
  readonly statusType: 'RADAR_STATUS' | 'LAUNCHER_STATUS';
  readonly config?: DeviceSessionConfigInput;
  readonly lineRates?: LineRates;
  /** Seq of the first frame sent (see DeviceLinkOptions.firstSeq). Default 0. */
  readonly firstSeq?: number;
  /**
   * Device-specific activation after every accepted IDENT, before `active` (e.g. the launcher
   * sends SAFE first). It may use `command(…, { activation: true })`. A rejection restarts the
   * handshake. Default: nothing.
   */
  readonly activate?: () => Promise<void>;
  /** Device messages (not IDENT/HEARTBEAT/TIME_SYNC/ACK/NAK), only once the device is identified. */
  readonly onMessage: (message: Message, rxUs: number) => void;
  readonly onStateChange?: (change: SessionStateChange) => void;
  readonly onIdent?: (identity: DeviceIdentity) => void;
}

/**
 * Everything a device driver shares, whatever the device: transport lifecycle with in-process
 * reconnect, HELLO/IDENT handshake failing closed on schema mismatch, heartbeats, link
 * supervision, time sync, and the gate that lets commands through only when active. See
 * SessionState for the lifecycle. It never exits the process and never throws from a timer.
 */
export class DeviceSession {
  readonly config: DeviceSessionConfig;
  private readonly link: DeviceLink;
  private readonly sync: TimeSync;
  private readonly clock: Clock;
  private readonly transport: Transport;
  private readonly options: DeviceSessionOptions;
  private readonly heartbeat: PeriodicTask;
  private readonly hello: PeriodicTask;
  private readonly watchdog: SilenceWatchdog;
  private readonly backoff: ExponentialBackoff;
  private current: SessionState = 'stopped';
  private identity: DeviceIdentity | undefined;
  private identified = false;
  private heartbeatCount = 0;
  /** Bumped at every (re)start of activation, so a stale activation's outcome is ignored. */
  private epoch = 0;
  private identAtUs = 0;
  private lastStatusRxUs = Number.NEGATIVE_INFINITY;
  private activationDone = false;
  private reconnectTimer: TimerHandle | undefined;
  private activationTimer: TimerHandle | undefined;

  constructor(options: DeviceSessionOptions) {
    this.options = options;
    this.clock = options.clock;
    this.transport = options.transport;
    this.config = sessionConfig(options.config);
    this.link = new DeviceLink({
      transport: options.transport,
      clock: options.clock,
      retransmit: this.config.retransmit,
      hostToDeviceBaud: options.lineRates?.hostToDeviceBaud,
      ...(options.firstSeq === undefined ? {} : { firstSeq: options.firstSeq }),
      onMessage: (message, rxUs) => this.onMessage(message, rxUs),
      onHeard: (rxUs) => this.watchdog.heard(rxUs),
    });
    this.sync = new TimeSync({
      clock: options.clock,
      link: this.link,
      deviceToHostBaud: options.lineRates?.deviceToHostBaud,
      config: this.config.timeSync,
      onTimeout: () => this.link.mutableCounters.timeSyncTimeouts++,
    });
    this.heartbeat = new PeriodicTask(this.clock, this.config.heartbeatPeriodUs, (nowUs) => {
      this.link.sendMessage({
        type: 'HEARTBEAT',
        seq: 0,
        flags: 0,
        senderTimeUs: Math.floor(nowUs),
        heartbeatCount: this.heartbeatCount,
      });
      this.heartbeatCount = (this.heartbeatCount + 1) >>> 0;
      return this.link.writesSynchronously ? SYNC_ONLY : undefined;
    });
    this.hello = new PeriodicTask(this.clock, this.config.helloRetryUs, (nowUs) => {
      const hostTimeUs = Math.floor(nowUs);
      this.link.sendMessage({ type: 'HELLO', seq: 0, flags: 0, schemaHash: this.config.schemaHash, hostTimeUs });
      return this.link.writesSynchronously ? SYNC_ONLY : undefined;
    });
    this.watchdog = new SilenceWatchdog(this.clock, this.config.silenceTimeoutUs, (sinceUs) => this.onSilent(sinceUs));
    this.backoff = new ExponentialBackoff(this.config.backoff);
    this.transport.on('close', (reason) => this.onTransportClose(reason));
  }

  get state(): SessionState {
    return this.current;
  }

  /** The last accepted (or refused) IDENT. */
  get ident(): DeviceIdentity | undefined {
    return this.identity;
  }

  get timeSync(): TimeSyncView {
    return this.sync;
  }

  counters(): LinkCounters {
    return this.link.counters();
  }

  /** Open the transport and keep the session up until `stop()`. No-op unless stopped. */
  start(): void {
    if (this.current !== 'stopped') return;
    this.backoff.reset();
    void this.connect();
  }

  /** Stop everything, reject pending commands with DriverStoppedError, close the transport. */
  async stop(): Promise<void> {
    if (this.current === 'stopped') return;
    this.teardown(new DriverStoppedError());
    this.setState('stopped', 'stop() called');
    await this.transport.close().catch(() => undefined);
  }

  /**
   * Send an acknowledged command. Allowed only when active — or, with `activation`, during the
   * handshake's activation step. Rejects at once, writing nothing, with LinkLostError when the
   * link is lost or down (ICD-HOST-001), IncompatibleDeviceError (ICD-HOST-003),
   * DriverStoppedError or NotActiveError. A NAK `not-handshaken` (the device restarted under
   * us) restarts the handshake.
   */
  command(body: MessageBody, options: { activation?: boolean } = {}): Promise<AckReceipt> {
    const refusal = this.refusal(options.activation === true);
    if (refusal !== undefined) return Promise.reject(refusal);
    const sent = this.link.sendAcknowledged(body);
    sent.catch((error: unknown) => {
      if (error instanceof NakError && error.reason === 'not-handshaken') this.rehandshake('device not handshaken');
    });
    return sent;
  }

  /** Why a command would be refused now (undefined: it would be sent). */
  refusal(activation: boolean): Error | undefined {
    switch (this.current) {
      case 'active':
        return undefined;
      case 'stopped':
        return new DriverStoppedError();
      case 'incompatible':
        return new IncompatibleDeviceError('commands are never sent to an incompatible device');
      case 'lost':
      case 'disconnected':
        return new LinkLostError(`link is ${this.current}`);
      case 'handshaking':
        return activation && this.identified ? undefined : new NotActiveError(this.current);
      case 'connecting':
        return new NotActiveError(this.current);
    }
  }

  private async connect(): Promise<void> {
    this.reconnectTimer = undefined;
    this.setState('connecting', 'opening transport');
    try {
      await this.transport.open();
    } catch (error) {
      if (this.current !== 'connecting') return;
      this.setState('disconnected', `open failed: ${error instanceof Error ? error.message : String(error)}`);
      this.scheduleReconnect();
      return;
    }
    if (this.current !== 'connecting') {
      // stop() ran while opening: the close it made came too early, close now.
      if (this.current === 'stopped') await this.transport.close().catch(() => undefined);
      return;
    }
    this.link.mutableCounters.opens++;
    this.link.writesEnabled = true;
    this.link.attach();
    this.beginHandshake('transport open');
  }

  private scheduleReconnect(): void {
    this.reconnectTimer = this.clock.setTimer(this.backoff.next(), () => void this.connect());
  }

  /** HELLO until IDENT; heartbeats and supervision run from link open (ICD-CMN-001/003). */
  private beginHandshake(reason: string, helloDelayUs = 0): void {
    this.cancelActivation();
    this.identified = false;
    this.sync.stop();
    this.setState('handshaking', reason);
    this.heartbeat.start();
    this.watchdog.start();
    this.hello.start(helloDelayUs);
  }

  /**
   * Back to HELLO, dropping pending commands. After a failed activation the first HELLO waits
   * one HELLO period, so a device that keeps refusing cannot make the host spin.
   */
  private rehandshake(reason: string, helloDelayUs = 0): void {
    if (this.current !== 'active' && this.current !== 'handshaking') return;
    this.link.rejectPending(new LinkLostError(reason));
    this.hello.stop();
    this.beginHandshake(reason, helloDelayUs);
  }

  private onMessage(message: Message, rxUs: number): void {
    if (this.current !== 'handshaking' && this.current !== 'active' && this.current !== 'lost') return;
    if (message.type === 'IDENT') {
      this.onIdent(message, rxUs);
      return;
    }
    if (!this.identified) return; // schema not verified yet: trust nothing (ICD-HOST-003)
    if (message.type === 'HEARTBEAT') return;
    if (message.type === 'TIME_SYNC_RESPONSE') {
      this.sync.handleResponse(message, rxUs);
      return;
    }
    this.options.onMessage(message, rxUs);
    if (message.type === this.options.statusType) {
      this.lastStatusRxUs = rxUs;
      this.maybeActivate();
    }
  }

  private onIdent(ident: Message<'IDENT'>, rxUs: number): void {
    const identity: DeviceIdentity = {
      deviceKind: ident.deviceKind,
      deviceSerial: ident.deviceSerial,
      firmwareVersion: `${ident.firmwareMajor}.${ident.firmwareMinor}.${ident.firmwarePatch}`,
      schemaHash: ident.schemaHash,
      deviceTimeUs: ident.deviceTimeUs,
      receivedAtHostUs: rxUs,
    };
    this.identity = identity;
    this.options.onIdent?.(identity);
    const mismatch = this.mismatch(identity);
    if (mismatch !== undefined) {
      this.goIncompatible(mismatch);
      return;
    }
    if (this.identified) return; // a late IDENT answering an earlier HELLO
    const fromLost = this.current === 'lost';
    this.identified = true;
    this.hello.stop();
    this.sync.reset(); // the device may have restarted its clock
    this.sync.start();
    if (fromLost) {
      this.setState('handshaking', 'device heard again: re-handshake');
      this.heartbeat.start();
      this.watchdog.start();
    }
    this.startActivation();
  }

  private mismatch(identity: DeviceIdentity): string | undefined {
    const hex = (v: number): string => `0x${v.toString(16).padStart(8, '0')}`;
    if (identity.schemaHash !== this.config.schemaHash) {
      return `device schema hash ${hex(identity.schemaHash)} != host ${hex(this.config.schemaHash)}`;
    }
    if (identity.deviceKind !== this.options.kind) {
      return `device is a ${identity.deviceKind}, expected a ${this.options.kind}`;
    }
    return undefined;
  }

  private startActivation(): void {
    const epoch = ++this.epoch;
    this.identAtUs = this.clock.nowUs();
    this.activationDone = false;
    this.activationTimer = this.clock.setTimer(this.config.activationTimeoutUs, () => {
      if (epoch === this.epoch) this.rehandshake('activation timed out', this.config.helloRetryUs);
    });
    const activate = this.options.activate ?? (() => Promise.resolve());
    activate().then(
      () => {
        if (epoch !== this.epoch) return;
        this.activationDone = true;
        this.maybeActivate();
      },
      (error: unknown) => {
        if (epoch !== this.epoch) return;
        const why = error instanceof Error ? error.message : String(error);
        this.rehandshake(`activation failed: ${why}`, this.config.helloRetryUs);
      },
    );
  }

  /** Active once activation is done and a STATUS arrived since IDENT (state re-read). */
  private maybeActivate(): void {
    if (this.current !== 'handshaking' || !this.activationDone) return;
    if (this.lastStatusRxUs < this.identAtUs) return;
    this.cancelActivation();
    this.backoff.reset();
    this.setState('active', 'handshake complete, fresh status received');
  }

  private cancelActivation(): void {
    this.epoch++;
    this.activationDone = false;
    this.activationTimer?.cancel();
    this.activationTimer = undefined;
  }

  private onSilent(sinceUs: number): void {
    if (this.current !== 'handshaking' && this.current !== 'active') return;
    const silentUs = this.clock.nowUs() - sinceUs;
    this.link.mutableCounters.linkLosses++;
    this.cancelActivation();
    this.identified = false;
    this.heartbeat.stop();
    this.sync.stop();
    this.link.resetReceiveSequence();
    this.setState('lost', `device silent for ${silentUs} us`);
    this.link.rejectPending(new LinkLostError(`device silent for ${silentUs} us`));
    this.hello.start();
  }

  private goIncompatible(reason: string): void {
    this.teardown(new IncompatibleDeviceError(reason));
    this.link.writesEnabled = false;
    this.setState('incompatible', reason);
  }

  private onTransportClose(reason: TransportCloseReason): void {
    if (reason === 'local' || this.current === 'stopped' || this.current === 'disconnected') return;
    this.link.mutableCounters.unexpectedCloses++;
    this.teardown(new LinkLostError(`transport closed (${reason})`));
    this.setState('disconnected', `transport closed (${reason})`);
    this.scheduleReconnect();
  }

  /** Stop every timer and reject every pending command with `error`. */
  private teardown(error: Error): void {
    this.cancelActivation();
    this.identified = false;
    this.reconnectTimer?.cancel();
    this.reconnectTimer = undefined;
    this.heartbeat.stop();
    this.hello.stop();
    this.watchdog.stop();
    this.sync.stop();
    this.link.rejectPending(error);
    if (!(error instanceof IncompatibleDeviceError)) this.link.detach();
  }

  private setState(state: SessionState, reason: string): void {
    if (state === this.current) return;
    const change: SessionStateChange = { state, previous: this.current, atHostUs: this.clock.nowUs(), reason };
    this.current = state;
    this.options.onStateChange?.(change);
  }
}
