import type { CoordinationStatusBoard } from '../bridge/coordination-status.js';
import type { ControlInput } from '../control/control-inputs.js';
import type { CoordinationAgent, CoordinationCounters, CoordinationEvent, ThreatView } from '../coordination/index.js';
import type { SessionObserver } from '../session/hil-session.js';
import type { BusyTickRecord } from '../session/tick-record-codec.js';
import type { Clock, TimerHandle } from '../time/clock.js';
import { coordinationStatusOf } from './coordination-status-of.js';
import type { InterNodeLink } from './inter-node-link.js';

/** Most coordination events a joint node keeps for its summary (the counters count them all). */
export const MAX_COORDINATION_EVENTS = 2000;

/** Options of a {@link JointCoordination}. */
export interface JointCoordinationOptions {
  readonly nodeId: string;
  readonly partnerIds: readonly string[];
  readonly agent: CoordinationAgent;
  readonly clock: Clock;
  /** UTC ms now (the run's virtual wall clock). */
  readonly wallClock: () => number;
  /**
   * Where intents go, one of two: `link`, the in-process inter-node link of a one-process joint
   * run (one message to each partner); or `publish`, the node's own broker (a node process: one
   * publish on `shared/engagements`, which the broker bridges carry to every partner).
   */
  readonly link?: InterNodeLink;
  readonly publish?: (topic: string, payload: Buffer) => void;
  /** Whether the node's broker link is up now (default: always); while down, intents wait in the agent's spool. */
  readonly connected?: () => boolean;
  /** The node's threats now (the joint picture's members of each core track, must-fire-by instants). */
  readonly threats: () => readonly ThreatView[];
  /** Hands a control input to the node's core (recorded, replayed like any input). */
  readonly emit: (input: ControlInput) => void;
  readonly nextSeq: (sourceId: string) => number;
  /** Where the node's `status.coordination` goes (a node process: the bridge re-publishes status on each change). */
  readonly status?: CoordinationStatusBoard;
  /** A line for the run's log on each loss and return of coordination with a partner. */
  readonly log?: (line: string) => void;
  /** How often the agent ticks, µs (default 100 ms). */
  readonly periodUs?: number;
}

/** What coordination did at one node over a joint run (JSON-safe, for the summary). */
export interface JointCoordinationSummary {
  readonly counters: CoordinationCounters;
  /** Coordination state at the end of the run. */
  readonly state: 'coordinated' | 'coordination-lost' | 'alone';
  /** Time spent with coordination lost (some partner stale after having been heard), s. */
  readonly lostS: number;
  /** Events (lost/restored, duplicates, must-fire fires, drops, reconciliations), at most {@link MAX_COORDINATION_EVENTS}. */
  readonly events: readonly CoordinationEvent[];
  /** Events left out past the bound. */
  readonly eventsOmitted: number;
}

/**
 * One node's engagement coordination in a joint run, on its session: the node's
 * {@link CoordinationAgent} receives the partners' `shared/engagements` messages off the
 * inter-node link, sees every busy core tick (engagement transitions become claims; accepted
 * operator commands answer requests), and every period sets its threats from the joint picture,
 * ticks, sends its intents to every partner and hands a changed `partner-holds` set to the core
 * as an input (recorded like any other, so the node's recording replays on its own).
 * Deterministic: everything runs on the run's virtual clock, in its order.
 */
export class JointCoordination implements SessionObserver {
  private timer: TimerHandle | null = null;
  private readonly events: CoordinationEvent[] = [];
  private eventsOmitted = 0;
  private lostSinceUs: number | null = null;
  private lostUs = 0;

  constructor(private readonly options: JointCoordinationOptions) {}

  /** The topics this node's coordination takes from the link. */
  get subscriptions(): readonly string[] {
    return this.options.agent.subscriptions;
  }

  /** A message off the inter-node link (or the node's broker) on one of {@link subscriptions}. */
  receive(topic: string, payload: Uint8Array): void {
    this.options.agent.receive(topic, payload, this.options.wallClock());
  }

  onBusyTick(record: BusyTickRecord): void {
    const nowMs = this.utcMsOf(record.nowUs);
    this.options.agent.observe(record.inputs, record.events, record.nowUs, nowMs);
  }

  start(): void {
    const period = this.options.periodUs ?? 100_000;
    const tick = (): void => {
      this.tick();
      this.timer = this.options.clock.setTimer(period, tick);
    };
    this.timer = this.options.clock.setTimer(period, tick);
  }

  stop(): void {
    this.timer?.cancel();
    this.timer = null;
    this.closeLost(this.options.clock.nowUs());
  }

  summary(): JointCoordinationSummary {
    return {
      counters: structuredClone(this.options.agent.counters),
      state: this.options.agent.state(),
      lostS: this.lostUs / 1e6,
      events: [...this.events],
      eventsOmitted: this.eventsOmitted,
    };
  }

  private utcMsOf(hostUs: number): number {
    return this.options.wallClock() - (this.options.clock.nowUs() - hostUs) / 1000;
  }

  private tick(): void {
    const { agent, link, nodeId, publish } = this.options;
    const nowUs = this.options.clock.nowUs();
    const nowMs = this.options.wallClock();
    agent.setThreats(this.options.threats());
    const c = agent.tick(nowUs, nowMs, this.options.connected?.() ?? true);
    for (const m of c.messages) {
      if (publish !== undefined) publish(m.topic, Buffer.from(m.payload));
      else for (const to of this.options.partnerIds) link?.send(nodeId, to, m.topic, Buffer.from(m.payload));
    }
    if (c.holds !== null) this.options.emit({ ...c.holds, seq: this.options.nextSeq(c.holds.sourceId) });
    for (const e of c.events) {
      if (e.kind === 'coordination-lost')
        this.options.log?.(
          `partner ${e.partnerId}: coordination lost (silent ${e.silentForMs === null ? '?' : Math.round(e.silentForMs)} ms) — defending own assets alone`,
        );
      else if (e.kind === 'coordination-restored') this.options.log?.(`partner ${e.partnerId}: coordinated`);
      if (this.events.length < MAX_COORDINATION_EVENTS) this.events.push(e);
      else this.eventsOmitted += 1;
    }
    this.options.status?.update(coordinationStatusOf(agent, nowMs));
    if (agent.state() === 'coordination-lost') this.lostSinceUs ??= nowUs;
    else this.closeLost(nowUs);
  }

  private closeLost(nowUs: number): void {
    if (this.lostSinceUs === null) return;
    this.lostUs += nowUs - this.lostSinceUs;
    this.lostSinceUs = null;
  }
}
