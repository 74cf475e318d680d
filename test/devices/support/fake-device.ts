import { FLAG_ACK_REQUESTED, FLAG_RETRANSMISSION } from '../../../src/framing/index.js';
import {
  CATALOGUE,
  FrameReader,
  type Message,
  type MessageBody,
  SCHEMA_HASH,
  encodeMessage,
} from '../../../src/protocol/index.js';
import type { NakReason } from '../../../src/devices/index.js';
import type { Clock, TimerHandle } from '../../../src/time/clock.js';
import { lineTimeUs } from '../../../src/transport/paced-transport.js';
import type { Transport } from '../../../src/transport/transport.js';

/** How the fake answers an acknowledged frame. */
export type Reply =
  { readonly kind: 'ack' } | { readonly kind: 'nak'; readonly reason: NakReason } | { readonly kind: 'ignore' };

/** Options of {@link FakeDevice}. */
export interface FakeDeviceOptions {
  readonly clock: Clock;
  /** The device end (wrap it in PacedTransport to model the device's UART). */
  readonly transport: Transport;
  readonly kind: 'radar' | 'launcher';
  readonly schemaHash?: number;
  /** Kind announced in IDENT; default `kind`. */
  readonly identKind?: 'unknown' | 'radar' | 'launcher';
  /** Device clock = floor(offset + host · (1 + drift)). */
  readonly clockOffsetUs?: number;
  readonly driftPpm?: number;
  /** Device → host line rate when paced, so t3 is stamped at the real start of transmission. */
  readonly baud?: number;
  /** Send HEARTBEAT every 50 ms and STATUS every 100 ms from start(). Default true. */
  readonly periodic?: boolean;
}

/**
 * A scripted controller for driver tests: answers HELLO, TIME_SYNC_REQUEST and commands, keeps
 * a minimal launcher/radar state, and records everything the host sent. Not the firmware
 * simulator: just enough behaviour, with knobs (`silent`, `reply`) to provoke the driver.
 */
export class FakeDevice {
  /** Every frame received from the host, with host time of arrival. */
  readonly received: { readonly atUs: number; readonly message: Message }[] = [];
  /** When true the device transmits nothing (but still listens). */
  silent = false;
  /** When false, HELLO gets no IDENT. */
  answerHello = true;
  /** Overrides the answer to an acknowledged host frame; return undefined for the default. */
  reply: (message: Message) => Reply | undefined = () => undefined;
  launcherState: 'safe' | 'arming' | 'armed' | 'firing' | 'fault' = 'armed';
  radarMode: 'standby' | 'search' | 'silent' = 'search';
  /** FIRE commands executed (first reception of each command id). */
  readonly fires: Message<'FIRE'>[] = [];
  private readonly options: FakeDeviceOptions;
  private readonly clock: Clock;
  private seq = 0;
  private heartbeats = 0;
  private lineFreeAtUs = 0;
  private readonly timers: TimerHandle[] = [];
  private readonly reader: FrameReader;
  private readonly executed = new Set<number>();

  constructor(options: FakeDeviceOptions) {
    this.options = options;
    this.clock = options.clock;
    this.reader = new FrameReader({ receiving: 'host-to-device', onMessage: (m) => this.onMessage(m) });
    options.transport.on('data', (chunk) => this.reader.push(chunk));
  }

  /** Device clock now. */
  deviceNowUs(): number {
    return this.toDeviceUs(this.clock.nowUs());
  }

  toDeviceUs(hostUs: number): number {
    const drift = (this.options.driftPpm ?? 0) / 1e6;
    return Math.floor((this.options.clockOffsetUs ?? 0) + hostUs * (1 + drift));
  }

  /** Host time at which the device clock reads `deviceUs` (exact inverse of the model, before flooring). */
  toHostUs(deviceUs: number): number {
    const drift = (this.options.driftPpm ?? 0) / 1e6;
    return (deviceUs - (this.options.clockOffsetUs ?? 0)) / (1 + drift);
  }

  /** Open the transport and start the periodic messages. */
  async start(): Promise<void> {
    await this.open();
    if (this.options.periodic === false) return;
    this.every(50_000, () =>
      this.send({ type: 'HEARTBEAT', senderTimeUs: this.deviceNowUs(), heartbeatCount: this.heartbeats++ }),
    );
    this.every(100_000, () => this.sendStatus());
  }

  async open(): Promise<void> {
    this.lineFreeAtUs = 0;
    await this.options.transport.open();
  }

  stop(): void {
    for (const timer of this.timers) timer.cancel();
  }

  /** Host frames received of one type. */
  receivedOf<N extends Message['type']>(type: N): { atUs: number; message: Message<N> }[] {
    return this.received.filter((r) => r.message.type === type) as unknown as { atUs: number; message: Message<N> }[];
  }

  sendStatus(): void {
    if (this.options.kind === 'launcher') {
      this.send({
        type: 'LAUNCHER_STATUS',
        deviceTimeUs: this.deviceNowUs(),
        state: this.launcherState,
        roundsReady: 4,
        azimuthDeg: 0,
        elevationDeg: 45,
        watchdog: 'ok',
        pendingFireCommandId: 0,
        lastCommandId: 0,
      });
    } else {
      this.send({
        type: 'RADAR_STATUS',
        deviceTimeUs: this.deviceNowUs(),
        mode: this.radarMode,
        health: 'ok',
        activeTracks: 0,
        scanPeriodUs: 1_000_000,
        maxRangeM: 50_000,
        lastCommandId: 0,
      });
    }
  }

  /** Send a frame (new seq); returns its seq, or -1 when silent. */
  send(body: MessageBody, flags = 0, seq?: number): number {
    if (this.silent) return -1;
    const frameSeq = seq ?? this.nextSeq();
    const bytes = encodeMessage({ ...body, seq: frameSeq, flags } as Message);
    this.occupyLine(bytes.length);
    this.options.transport.write(bytes).catch(() => undefined);
    return frameSeq;
  }

  private nextSeq(): number {
    const seq = this.seq;
    this.seq = (this.seq + 1) & 0xffff;
    return seq;
  }

  /** Start of transmission of a frame written now, on the device's paced line. */
  private occupyLine(bytes: number): number {
    const nowUs = this.clock.nowUs();
    const baud = this.options.baud;
    if (baud === undefined) return nowUs;
    const startUs = Math.max(nowUs, this.lineFreeAtUs);
    this.lineFreeAtUs = startUs + lineTimeUs(bytes, baud);
    return startUs;
  }

  private every(periodUs: number, task: () => void): void {
    const startUs = this.clock.nowUs();
    let k = 0;
    const tick = (): void => {
      task();
      k++;
      this.timers.push(this.clock.setTimerAt(startUs + k * periodUs, tick));
    };
    this.timers.push(this.clock.setTimerAt(startUs + periodUs, tick));
  }

  private onMessage(message: Message): void {
    const atUs = this.clock.nowUs();
    this.received.push({ atUs, message });
    switch (message.type) {
      case 'HELLO':
        if (!this.answerHello) return;
        this.send({
          type: 'IDENT',
          deviceKind: this.options.identKind ?? this.options.kind,
          deviceSerial: 42,
          firmwareMajor: 1,
          firmwareMinor: 0,
          firmwarePatch: 0,
          schemaHash: this.options.schemaHash ?? SCHEMA_HASH,
          deviceTimeUs: this.deviceNowUs(),
        });
        return;
      case 'TIME_SYNC_REQUEST':
        this.answerTimeSync(message, atUs);
        return;
      default:
        if ((message.flags & FLAG_ACK_REQUESTED) !== 0) this.answerCommand(message);
    }
  }

  /** t2 = end of reception (now), t3 = start of transmission on the paced line (ICD-CMN-007). */
  private answerTimeSync(request: Message<'TIME_SYNC_REQUEST'>, atUs: number): void {
    if (this.silent) return;
    const t2DeviceUs = this.toDeviceUs(atUs);
    const startUs = this.options.baud === undefined ? atUs : Math.max(atUs, this.lineFreeAtUs);
    this.send({
      type: 'TIME_SYNC_RESPONSE',
      t1HostUs: request.t1HostUs,
      t2DeviceUs,
      t3DeviceUs: this.toDeviceUs(startUs),
    });
  }

  private answerCommand(message: Message): void {
    const commandId = 'commandId' in message ? message.commandId : 0;
    const reply = this.reply(message) ?? this.defaultReply(message);
    if (reply.kind === 'ignore') return;
    if (reply.kind === 'nak') {
      this.send({
        type: 'NAK',
        nakedSeq: message.seq,
        nakedType: CATALOGUE[message.type].code,
        commandId,
        reason: reply.reason,
      });
      return;
    }
    this.send({ type: 'ACK', ackedSeq: message.seq, ackedType: CATALOGUE[message.type].code, commandId });
    this.apply(message, commandId);
  }

  private defaultReply(message: Message): Reply {
    if (message.type === 'FIRE' && this.launcherState !== 'armed') return { kind: 'nak', reason: 'bad-state' };
    return { kind: 'ack' };
  }

  /** Effects of an accepted command, once per command id (ICD-CMN-008). */
  private apply(message: Message, commandId: number): void {
    if (this.executed.has(commandId)) return;
    this.executed.add(commandId);
    switch (message.type) {
      case 'SAFE':
        this.launcherState = 'safe';
        this.sendStatus();
        break;
      case 'ARM':
        this.launcherState = 'armed';
        this.sendStatus();
        break;
      case 'FIRE':
        this.fires.push(message);
        break;
      case 'RADAR_SET_MODE':
        this.radarMode = message.mode;
        this.sendStatus();
        break;
      default:
        break;
    }
  }

  /** Send a FIRE_REPORT asking for an ACK; `retransmitSeq` repeats an earlier one. */
  sendFireReport(fireCommandId: number, actualTimeUs: number, retransmitSeq?: number): number {
    return this.send(
      { type: 'FIRE_REPORT', fireCommandId, result: 'launched', actualTimeUs, roundsRemaining: 3 },
      FLAG_ACK_REQUESTED | (retransmitSeq === undefined ? 0 : FLAG_RETRANSMISSION),
      retransmitSeq,
    );
  }
}
