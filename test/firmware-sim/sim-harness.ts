import { type ScenarioInput, type Scenario, scenarioSchema } from '../../src/config/scenario-schema.js';
import { FLAG_ACK_REQUESTED, FLAG_RETRANSMISSION } from '../../src/framing/frame-layout.js';
import { SCHEMA_HASH } from '../../src/protocol/catalogue/index.js';
import { encodeMessage } from '../../src/protocol/codec.js';
import { FrameReader } from '../../src/protocol/frame-reader.js';
import type { Message, MessageBody } from '../../src/protocol/message-types.js';
import type { MessageName } from '../../src/protocol/catalogue/index.js';
import type { Clock, TimerHandle } from '../../src/time/clock.js';
import { VirtualClock } from '../../src/time/virtual-clock.js';
import type { MemoryLinkPair } from '../../src/transport/memory-transport.js';
import type { Simulator, SimulatorOptions } from '../../firmware-sim/simulator.js';
import type { MemoryTruthSink } from '../../firmware-sim/truth/truth-sink.js';
import { simOnMemoryLinks } from '../support/sim-links.js';

/** A radar and a launcher with no targets and no noise: the base of most tests. */
export const BASE_SCENARIO: ScenarioInput = {
  name: 'test',
  seed: 42,
  durationS: 60,
  targets: [],
  radars: [
    {
      id: 'radar-1',
      position: { eastM: 0, northM: 0, upM: 0 },
      scanPeriodMs: 1000,
      maxRangeM: 50_000,
      rangeSigmaM: 0,
      angleSigmaDeg: 0,
      velocitySigmaMps: 0,
      detectionProbability: 1,
    },
  ],
  launchers: [
    {
      id: 'launcher-1',
      position: { eastM: 1000, northM: 0, upM: 0 },
      rounds: 4,
      slewRateDegPerS: 90,
      launchDelayMs: 200,
      speedMps: 1500,
      lethalRadiusM: 20,
      maxFlightTimeS: 30,
      armingMs: 500,
      envelope: { minRangeM: 1000, maxRangeM: 40_000, maxAltitudeM: 20_000 },
    },
  ],
};

export function scenario(input: ScenarioInput = BASE_SCENARIO): Scenario {
  return scenarioSchema.parse(input);
}

/** The host side of one device's memory link, driven by hand. */
export class HostEnd {
  readonly received: Message[] = [];
  readonly receivedAtUs: number[] = [];
  readonly bytes: number[] = [];
  readonly reader: FrameReader;
  private seq = 0;
  private heartbeatTimer: TimerHandle | undefined;
  private heartbeatCount = 0;

  constructor(
    readonly pair: MemoryLinkPair,
    readonly clock: VirtualClock,
  ) {
    this.reader = new FrameReader({
      receiving: 'device-to-host',
      onMessage: (m) => {
        this.received.push(m);
        this.receivedAtUs.push(clock.nowUs());
      },
    });
    pair.hostEnd.on('data', (chunk) => {
      for (const b of chunk) this.bytes.push(b);
      this.reader.push(chunk);
    });
  }

  /** Write a message; returns the seq used. */
  send(body: MessageBody, options: { flags?: number; seq?: number } = {}): number {
    const seq = options.seq ?? this.nextSeq();
    if (!this.pair.hostEnd.isOpen) return seq; // a host writing into an unplugged cable
    void this.pair.hostEnd.write(encodeMessage({ ...body, seq, flags: options.flags ?? 0 } as Message));
    return seq;
  }

  /** Send an acknowledged command; returns its seq. */
  command(body: MessageBody, seq?: number): number {
    return this.send(body, { flags: FLAG_ACK_REQUESTED, ...(seq === undefined ? {} : { seq }) });
  }

  /** Retransmit a command with the same seq. */
  retransmit(body: MessageBody, seq: number): void {
    this.send(body, { flags: FLAG_ACK_REQUESTED | FLAG_RETRANSMISSION, seq });
  }

  hello(schemaHash = SCHEMA_HASH): void {
    this.send({ type: 'HELLO', schemaHash, hostTimeUs: Math.floor(this.clock.nowUs()) });
  }

  heartbeat(): void {
    this.send({
      type: 'HEARTBEAT',
      senderTimeUs: Math.floor(this.clock.nowUs()),
      heartbeatCount: this.heartbeatCount++,
    });
  }

  startHeartbeats(periodUs = 50_000): void {
    this.heartbeat();
    this.heartbeatTimer = this.clock.setTimer(periodUs, () => this.startHeartbeats(periodUs));
  }

  /** Reopen the host end after an unplug (polling every 100 ms), then HELLO again. */
  reconnectAutomatically(): void {
    this.pair.hostEnd.on('close', (reason) => {
      if (reason === 'local') return;
      const retry = (): void => {
        this.pair.hostEnd.open().then(
          () => this.hello(),
          () => this.clock.setTimer(100_000, retry),
        );
      };
      this.clock.setTimer(100_000, retry);
    });
  }

  stopHeartbeats(): void {
    this.heartbeatTimer?.cancel();
    this.heartbeatTimer = undefined;
  }

  all<N extends MessageName>(type: N): Extract<Message, { type: N }>[] {
    return this.received.filter((m): m is Extract<Message, { type: N }> => m.type === type);
  }

  last<N extends MessageName>(type: N): Extract<Message, { type: N }> | undefined {
    const list = this.all(type);
    return list[list.length - 1];
  }

  /** The answer (ACK or NAK) to the command sent with `seq`. */
  answerTo(seq: number): Extract<Message, { type: 'ACK' | 'NAK' }> | undefined {
    return this.received.find(
      (m): m is Extract<Message, { type: 'ACK' | 'NAK' }> =>
        (m.type === 'ACK' && m.ackedSeq === seq) || (m.type === 'NAK' && m.nakedSeq === seq),
    );
  }

  private nextSeq(): number {
    const seq = this.seq;
    this.seq = (this.seq + 1) & 0xffff;
    return seq;
  }
}

export interface Bench {
  readonly clock: VirtualClock;
  readonly sim: Simulator;
  readonly truth: MemoryTruthSink;
  readonly hosts: Record<string, HostEnd>;
  host(id: string): HostEnd;
}

/** A simulator over memory links on a VirtualClock (the one harness), started, every host end open. */
export async function bench(
  input: ScenarioInput = BASE_SCENARIO,
  extra: Partial<Omit<SimulatorOptions, 'scenario' | 'clock' | 'links' | 'truthSink'>> = {},
  simClock?: (clock: VirtualClock) => Clock,
): Promise<Bench> {
  const { devices, ...simulator } = extra;
  const links = await simOnMemoryLinks({
    scenario: input,
    simulator,
    ...(devices === undefined ? {} : { devices }),
    ...(simClock === undefined ? {} : { simClock }),
    start: false,
  });
  const { clock, sim, truth } = links;
  const hosts = Object.fromEntries([...links.links].map(([id, pair]) => [id, new HostEnd(pair, clock)]));
  for (const pair of links.links.values()) await pair.hostEnd.open();
  await sim.start();
  return {
    clock,
    sim,
    truth,
    hosts,
    host: (id) => {
      const host = hosts[id];
      if (host === undefined) throw new Error(`no host end ${id}`);
      return host;
    },
  };
}

/** Open a session with a launcher and arm it, host heartbeats running. Resolves when ARMED. */
export async function armedLauncher(b: Bench, id = 'launcher-1'): Promise<HostEnd> {
  const host = b.host(id);
  host.hello();
  host.startHeartbeats();
  await b.clock.advance(60_000);
  host.command({ type: 'ARM', commandId: 9_000 });
  await b.clock.advance(600_000);
  return host;
}

/**
 * The simulator's view of a VirtualClock whose timers due inside `window` fire `lateUs` late:
 * the simulator's process stalled (as a real-time simulator's can; a real controller's not).
 */
export class StallingSimClock implements Clock {
  readonly kind = 'virtual' as const;
  window: readonly [number, number] | undefined;
  lateUs = 0;
  constructor(private readonly inner: VirtualClock) {}
  nowUs(): number {
    return this.inner.nowUs();
  }
  setTimerAt(atUs: number, callback: () => void): TimerHandle {
    const w = this.window;
    const late = w !== undefined && atUs >= w[0] && atUs <= w[1] ? this.lateUs : 0;
    return this.inner.setTimerAt(atUs + late, callback);
  }
  setTimer(delayUs: number, callback: () => void): TimerHandle {
    return this.setTimerAt(this.inner.nowUs() + Math.max(0, delayUs), callback);
  }
}
