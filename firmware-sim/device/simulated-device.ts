import type { DeviceFault } from '../../src/config/scenario-fault-schema.js';
import type { DeviceClockConfig } from '../../src/config/scenario-schema.js';
import { FLAG_ACK_REQUESTED, FLAG_RETRANSMISSION } from '../../src/framing/frame-layout.js';
import { CATALOGUE, SCHEMA_HASH } from '../../src/protocol/catalogue/index.js';
import { FrameReader } from '../../src/protocol/frame-reader.js';
import type { Message, MessageBody } from '../../src/protocol/message-types.js';
import { HEARTBEAT_PERIOD_US, STATUS_PERIOD_US } from '../../src/protocol/timing-rules.js';
import { type Clock, SYNC_ONLY, type TimerHandle } from '../../src/time/clock.js';
import { PacedTransport } from '../../src/transport/paced-transport.js';
import type { Transport } from '../../src/transport/transport.js';
import {
  type BehaviourContext,
  BehaviourChain,
  type DeviceBehaviour,
  type NakReason,
} from '../behaviours/behaviour.js';
import { DeviceClock } from '../device-clock.js';
import { FaultController } from '../faults/fault-controller.js';
import { FaultyTransport } from '../faults/faulty-transport.js';
import { AcknowledgedSender } from '../link/acknowledged-sender.js';
import { CommandMemory, commandIdOf } from '../link/command-memory.js';
import { DevicePort } from '../link/device-port.js';
import type { SimLink } from '../link/sim-link.js';
import { type TxPriority, Transmitter } from '../link/transmitter.js';
import { startPeriodic } from '../periodic-timer.js';
import { ExpectTimeoutError } from '../simulator-error.js';
import { TimerSet } from '../timer-set.js';
import type { TruthSink } from '../truth/truth-sink.js';

/** Firmware version every simulated controller reports in IDENT. */
export const SIM_FIRMWARE_VERSION = { major: 1, minor: 0, patch: 0 } as const;

/** Periodic status starts this long after power-on (between two heartbeats). */
export const STATUS_PHASE_US = HEARTBEAT_PERIOD_US / 2;

/** Options common to both simulated controllers. */
export interface SimulatedDeviceOptions {
  readonly id: string;
  readonly serial: number;
  readonly clock: Clock;
  /** Shared-clock instant of power-on. */
  readonly powerOnUs: number;
  readonly deviceClock: DeviceClockConfig;
  readonly baud: number;
  readonly link: SimLink;
  readonly seed: number;
  readonly truth: TruthSink;
  readonly faults: readonly DeviceFault[];
  /** Schema hash advertised in IDENT; default SCHEMA_HASH (tests: a wrong one, ICD-CMN-002 and ICD-HOST-003). */
  readonly schemaHash?: number;
  /** Pace the output at `baud` (default true). */
  readonly paced?: boolean;
  readonly onLog?: (line: string) => void;
}

/** A host message as a device received it. */
export interface ReceivedHostMessage {
  readonly message: Message;
  readonly receivedAtUs: number;
  readonly receivedAtDeviceUs: number;
}

interface Waiter {
  readonly predicate: (message: Message) => boolean;
  readonly resolve: (message: Message) => void;
  readonly timer: TimerHandle;
}

/**
 * What both simulated controllers share: their own clock, the link stack (port → faulty wire →
 * PacedTransport at the device baud → transmitter; FrameReader for host frames), the session
 * (HELLO/IDENT, ICD-CMN-001/002), heartbeats from power-on (ICD-CMN-003), periodic status,
 * answers with retransmission memory (ICD-CMN-005/008), behaviours and `expectHostMessage`.
 * Imports nothing of the host's drivers or control (docs/architecture.md §Layers).
 */
export abstract class SimulatedDevice<D> {
  readonly id: string;
  abstract readonly kind: 'radar' | 'launcher';
  readonly serial: number;
  readonly clock: Clock;
  readonly deviceClock: DeviceClock;
  readonly faults: FaultController;
  readonly port: DevicePort;
  readonly wire: FaultyTransport;
  readonly output: Transport;
  readonly transmitter: Transmitter;
  readonly reader: FrameReader;
  readonly commands = new CommandMemory();
  readonly acknowledgedSender: AcknowledgedSender;
  abstract readonly behaviours: BehaviourChain<D>;
  /** Schema hash this device advertises. */
  readonly schemaHash: number;
  /** HELLO received (ICD-CMN-001). */
  handshaken = false;
  /** The host's schema hash differs from ours: commands are refused (fail closed). */
  schemaMismatch = false;
  /** Shared-clock time of the last valid host HEARTBEAT. */
  lastHostHeartbeatUs: number | undefined;
  /** Last command id executed (status field). */
  lastCommandId = 0;
  heartbeatCount = 0;
  /** Frames discarded because their ACK-requested flag did not match their type (ICD-FRM-007). */
  ackFlagMismatches = 0;
  protected readonly options: SimulatedDeviceOptions;
  protected readonly truth: TruthSink;
  /** Timers stop() cancels. */
  protected readonly timers: TimerSet;
  private readonly waiters: Waiter[] = [];
  private readonly listeners: ((received: ReceivedHostMessage) => void)[] = [];
  private running = false;
  /** Shared-clock arrival of the chunk being decoded (undefined outside the wire's data event). */
  private chunkRxUs: number | undefined;

  protected constructor(options: SimulatedDeviceOptions) {
    this.options = options;
    this.id = options.id;
    this.serial = options.serial;
    this.clock = options.clock;
    this.truth = options.truth;
    this.schemaHash = options.schemaHash ?? SCHEMA_HASH;
    this.timers = new TimerSet(options.clock);
    this.deviceClock = new DeviceClock(options.clock, { ...options.deviceClock, powerOnUs: options.powerOnUs });
    const log = options.onLog ?? (() => undefined);
    this.port = new DevicePort(options.link, options.clock, (line) => log(`${this.id}: ${line}`));
    this.faults = new FaultController({
      deviceId: options.id,
      clock: options.clock,
      powerOnUs: options.powerOnUs,
      seed: options.seed,
      truth: options.truth,
      port: this.port,
    });
    this.wire = new FaultyTransport(options.link.transport, options.clock, this.faults);
    this.faults.attachWire(this.wire);
    this.output =
      options.paced === false ? this.wire : new PacedTransport(this.wire, { clock: options.clock, baud: options.baud });
    this.transmitter = new Transmitter(options.clock, this.deviceClock, this.output);
    this.acknowledgedSender = new AcknowledgedSender(options.clock, this.transmitter);
    this.reader = new FrameReader({ receiving: 'host-to-device', onMessage: (m) => this.onMessage(m) });
    // ICD-FRM-010: rejected frames are counted by the reader and change nothing. The clock is
    // read as the bytes come off the wire, before decoding: every frame they complete was
    // received then (TIME_SYNC t2, FIRE receipt), as a UART's receive interrupt would stamp it.
    this.wire.on('data', (chunk) => {
      this.chunkRxUs = this.clock.nowUs();
      try {
        this.reader.push(chunk);
      } finally {
        this.chunkRxUs = undefined;
      }
    });
  }

  get isRunning(): boolean {
    return this.running;
  }

  /** Power on: open the port, heartbeats (ICD-CMN-003) and status from now, faults scheduled. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.port.start();
    this.faults.schedule(this.options.faults);
    const now = this.clock.nowUs();
    this.timers.hold(
      startPeriodic(this.clock, now, HEARTBEAT_PERIOD_US, () => {
        this.sendHeartbeat();
        return this.syncOnlyIfPaced();
      }),
    );
    // Status half a heartbeat period out of phase, so the two never queue behind each other.
    this.timers.hold(
      startPeriodic(this.clock, now + STATUS_PHASE_US, STATUS_PERIOD_US, () => {
        this.sendStatus();
        return this.syncOnlyIfPaced();
      }),
    );
    this.onPowerOn();
  }

  /** Power off: every timer cancelled, queued frames dropped, the port closed. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.timers.cancelAll();
    this.onPowerOff();
    this.faults.stop();
    this.acknowledgedSender.stop();
    this.transmitter.stop();
    for (const waiter of this.waiters.splice(0)) waiter.timer.cancel();
    await this.port.stop();
  }

  /** Queue a frame; `build` runs when its first byte leaves (device time then). */
  send(build: MessageBody | ((startDeviceUs: number) => MessageBody), priority: TxPriority = 'normal'): void {
    this.transmitter.enqueue({ build: typeof build === 'function' ? build : () => build, flags: 0 }, priority);
  }

  /**
   * SYNC_ONLY when sending starts no asynchronous work (a paced wire: see
   * Transmitter.synchronous), for timers whose callback only builds and queues frames.
   */
  protected syncOnlyIfPaced(): typeof SYNC_ONLY | undefined {
    return this.transmitter.synchronous ? SYNC_ONLY : undefined;
  }

  /** Send an answer (IDENT, TIME_SYNC_RESPONSE, ACK/NAK): urgent, late by any `slow` fault. */
  respond(build: MessageBody | ((startDeviceUs: number) => MessageBody)): void {
    const delayUs = this.faults.slowDelayUs();
    if (delayUs <= 0) this.send(build, 'urgent');
    else this.timers.after(delayUs, () => this.send(build, 'urgent'));
  }

  /** Send a frame the host must acknowledge, repeated until it does (ICD-LNCH-009). */
  sendAcknowledged(body: MessageBody): void {
    this.acknowledgedSender.send(body);
  }

  /** Send the status message now (on every change, ICD-RDR-001, ICD-LNCH-001). */
  sendStatus(): void {
    this.send((deviceUs) => this.statusMessage(deviceUs), 'urgent');
  }

  /**
   * Resolve with the first host message (decoded, any type) matching `predicate` within
   * `timeoutUs` of clock time; reject with ExpectTimeoutError otherwise. Messages are matched
   * before the behaviours run, retransmissions included.
   */
  expectHostMessage(
    predicate: (message: Message) => boolean,
    timeoutUs: number,
    description = 'the predicate',
  ): Promise<Message> {
    return new Promise<Message>((resolve, reject) => {
      const waiter: Waiter = {
        predicate,
        resolve,
        timer: this.clock.setTimer(timeoutUs, () => {
          const index = this.waiters.indexOf(waiter);
          if (index >= 0) this.waiters.splice(index, 1);
          reject(new ExpectTimeoutError(this.id, timeoutUs, description));
        }),
      };
      this.waiters.push(waiter);
    });
  }

  /** Listen to every decoded host message; returns a function that stops listening. */
  onHostMessage(listener: (received: ReceivedHostMessage) => void): () => void {
    this.listeners.push(listener);
    return () => {
      const index = this.listeners.indexOf(listener);
      if (index >= 0) this.listeners.splice(index, 1);
    };
  }

  /** Re-send the ACK remembered for this very frame (same type, seq, command id); false when there is none. */
  replayAnswer(ctx: BehaviourContext<D>): boolean {
    const answer = this.commands.answerTo(ctx.message);
    if (answer === undefined) return false;
    this.respond(answer);
    this.onAnswered(ctx, 'replayed');
    return true;
  }

  /** HELLO: open the session and answer IDENT (ICD-CMN-001, ICD-CMN-002). */
  acceptHello(message: Extract<Message, { type: 'HELLO' }>): void {
    this.handshaken = true;
    this.schemaMismatch = message.schemaHash !== this.schemaHash;
    this.faults.outage.hello();
    this.respond((deviceUs) => ({
      type: 'IDENT',
      deviceKind: this.kind,
      deviceSerial: this.serial,
      firmwareMajor: SIM_FIRMWARE_VERSION.major,
      firmwareMinor: SIM_FIRMWARE_VERSION.minor,
      firmwarePatch: SIM_FIRMWARE_VERSION.patch,
      schemaHash: this.schemaHash,
      deviceTimeUs: deviceUs,
    }));
  }

  /** A valid host HEARTBEAT arrived. */
  noteHostHeartbeat(): void {
    this.lastHostHeartbeatUs = this.clock.nowUs();
    this.onHostHeartbeat();
  }

  /** The status message of this device at device time `deviceUs`. */
  protected abstract statusMessage(deviceUs: number): MessageBody;
  protected onPowerOn(): void {}
  protected onPowerOff(): void {}
  protected onHostHeartbeat(): void {}
  /** Called after every answer to an acknowledged frame (for truth logging). */
  protected onAnswered(_ctx: BehaviourContext<D>, _outcome: 'ack' | 'replayed' | NakReason): void {}

  private sendHeartbeat(): void {
    const count = this.heartbeatCount;
    this.heartbeatCount = (this.heartbeatCount + 1) >>> 0;
    this.send((deviceUs) => ({ type: 'HEARTBEAT', senderTimeUs: deviceUs, heartbeatCount: count }), 'urgent');
  }

  private onMessage(message: Message): void {
    if (!this.running) return;
    // ICD-FRM-007: the ACK-requested flag must match the type; otherwise discarded, no effect.
    if (((message.flags & FLAG_ACK_REQUESTED) !== 0) !== CATALOGUE[message.type].acknowledged) {
      this.ackFlagMismatches++;
      return;
    }
    const receivedAtUs = this.chunkRxUs ?? this.clock.nowUs();
    const received: ReceivedHostMessage = {
      message,
      receivedAtUs,
      receivedAtDeviceUs: this.deviceClock.toDeviceUs(receivedAtUs),
    };
    for (const listener of [...this.listeners]) listener(received);
    const index = this.waiters.findIndex((w) => w.predicate(message));
    if (index >= 0) {
      const [waiter] = this.waiters.splice(index, 1);
      waiter!.timer.cancel();
      waiter!.resolve(message);
    }
    this.behaviours.dispatch(this.context(received));
  }

  private context(received: ReceivedHostMessage): BehaviourContext<D> {
    const message = received.message;
    const acknowledged = (message.flags & FLAG_ACK_REQUESTED) !== 0;
    const commandId = commandIdOf(message);
    const typeCode = CATALOGUE[message.type].code;
    let answered = false;
    const ctx: BehaviourContext<D> = {
      device: this as unknown as D,
      message,
      receivedAtDeviceUs: received.receivedAtDeviceUs,
      receivedAtUs: received.receivedAtUs,
      commandId,
      acknowledged,
      get answered() {
        return answered;
      },
      ack: () => {
        if (!acknowledged || answered) return;
        answered = true;
        const answer: MessageBody = { type: 'ACK', ackedSeq: message.seq, ackedType: typeCode, commandId };
        this.commands.rememberAnswer(message, answer);
        if (message.type === 'FIRE') this.commands.markExecutedFire(commandId);
        if (commandId !== 0) this.lastCommandId = commandId;
        this.respond(answer);
        this.onAnswered(ctx, 'ack');
      },
      nak: (reason) => {
        if (!acknowledged || answered) return;
        answered = true;
        // Not remembered: a retransmission of a refused command is evaluated again (ICD-CMN-008).
        this.respond({ type: 'NAK', nakedSeq: message.seq, nakedType: typeCode, commandId, reason });
        this.onAnswered(ctx, reason);
      },
    };
    return ctx;
  }
}

/** Whether a frame carries the retransmission flag. */
export function isRetransmission(message: Message): boolean {
  return (message.flags & FLAG_RETRANSMISSION) !== 0;
}

export type { DeviceBehaviour };
