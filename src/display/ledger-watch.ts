import {
  checkCompliance,
  type ConfigEntry,
  DEFAULT_LEDGER_POLICY,
  type EngagementDecisionEntry,
  type FireEntry,
  type HeadVerifier,
  type LedgerEntry,
  type LedgerPolicy,
  LedgerStreamVerifier,
  type LiveFinding,
  type OutcomeEntry,
  type ReadEntry,
} from '../ledger/index.js';
import { TextFifo } from '../common/text-fifo.js';
import type { Clock } from '../time/clock.js';
import { RealClock } from '../time/real-clock.js';

/** Lines held until the node's key is known (the ledger's first lines precede the bridge). */
export const MAX_PENDING_LEDGER_LINES = 10_000;
/** Lines waiting to be verified once the key is known; beyond it the display stops vouching. */
export const MAX_QUEUED_LEDGER_LINES = 10_000;
/** Characters of lines waiting (held or queued) at most, whatever their number. */
export const MAX_QUEUED_LEDGER_CHARS = 64 << 20;
/** Lines verified in one turn of the event loop before the rest wait for the next. */
export const LEDGER_LINES_PER_TURN = 256;
/** Engagements the panel lists (the oldest are let go and counted). */
export const MAX_SHOWN_ENGAGEMENTS = 200;
/** Findings listed (the rest are counted). */
export const MAX_SHOWN_FINDINGS = 50;
/** Longest ledger line judged, characters (longer ones are findings, never parsed). */
const MAX_LINE_CHARS = 1 << 20;
/** What an oversized line is replaced by (the verifier reports it as not a ledger line). */
const OVERSIZED_LINE = '"oversized line"';

/** How a {@link LedgerWatch} is built; every field has a default. */
export interface LedgerWatchOptions {
  /** The policy each FIRE is judged against (default: the strict default policy). */
  readonly policy?: LedgerPolicy;
  /**
   * Schedules verification off the caller's turn, `clock.setTimer(0, …)`: the next immediate on a
   * RealClock (the default), the next timer turn on a VirtualClock (tests). Never the run's own
   * virtual clock: the display's work must not become part of the run's timeline.
   */
  readonly clock?: Clock;
  /** Lines waiting to be verified at most (default {@link MAX_QUEUED_LEDGER_LINES}). */
  readonly maxQueuedLines?: number;
  /** Lines verified per turn before yielding to other work (default {@link LEDGER_LINES_PER_TURN}). */
  readonly linesPerTurn?: number;
}

/** One engagement as the display justifies it: the decision, the FIRE and the verdict on it. */
export interface EngagementJustification {
  readonly engagementId: number;
  readonly trackId: number;
  readonly launcherId: string;
  /** Decision time, host µs of the node's run clock. */
  readonly decidedAtUs: number;
  readonly transition: string;
  readonly weaponsControlStatus: string;
  /** The rule the node says allowed it (`auto:<wcs>:<iff>` or `operator:<wcs>:<iff>`). */
  readonly rule: string;
  /** The track at the decision (null: the node had no picture of it, itself a violation). */
  readonly track: { readonly iff: string; readonly quality: number; readonly rangeM: number } | null;
  /** The node's own claim: the asset its predicted impact lay in. */
  readonly claimedAssetId: string | null;
  readonly launchAtHostUs: number;
  readonly interceptAtHostUs: number;
  /** The FIRE, with the impact and closing speed recomputed from the recorded track state. */
  readonly fire: {
    readonly atUs: number;
    readonly impact: { readonly eastM: number; readonly northM: number; readonly assetId: string | null } | null;
    readonly rangeRateMps: number | null;
    /** False when the node's config entry was not seen (joined late): the FIRE was not judged. */
    readonly judged: boolean;
  } | null;
  /** The latest outcome (`launched`, `assessed: hit`, `aborted: …`), or null. */
  readonly outcome: string | null;
  /** Rules the FIRE broke, with the verifier's message; empty when compliant (or no FIRE yet). */
  readonly violations: readonly { readonly rule: string; readonly message: string }[];
}

/** What `/ledger.json` holds: the panel's whole state. */
export interface LedgerWatchSnapshot {
  readonly v: 1;
  /**
   * `no-key`: cannot verify; `waiting`: nothing received yet; `verifying`: lines are being checked;
   * `cannot-judge`: the display fell behind (more than its queue bound waited) and stopped
   * verifying: what it verified before stands, the rest ({@link unverifiedLines}) was not checked.
   */
  readonly state: 'no-key' | 'waiting' | 'verifying' | 'cannot-judge';
  /** Where lines come from (`mqtt ws://… shieldlink/v1/n/shared/ledger`, or `this run`), and its link state. */
  readonly source: string;
  readonly nodeId: string | null;
  readonly keyId: string | null;
  readonly partner: string;
  /** The last head received, and whether its signature, root and consistency checked. */
  readonly head: {
    readonly n: number;
    readonly size: number;
    readonly root: string;
    readonly timeMs: number;
    readonly keyId: string;
    readonly final: boolean;
    readonly verified: boolean;
  } | null;
  readonly lastVerifiedHead: { readonly n: number; readonly size: number; readonly root: string } | null;
  readonly entries: number;
  readonly fires: number;
  readonly closed: boolean;
  /** Set when the display joined after entry 0: what it could and could not check. */
  readonly joinedLate: string | null;
  /** False when the node's config entry was not seen (joined late): FIREs cannot be judged. */
  readonly complianceJudged: boolean;
  readonly problemCount: number;
  readonly violationCount: number;
  /** Integrity problems and policy violations, oldest first (at most {@link MAX_SHOWN_FINDINGS}). */
  readonly findings: readonly {
    readonly kind: 'integrity' | 'compliance';
    readonly rule: string;
    readonly message: string;
  }[];
  readonly engagements: readonly EngagementJustification[];
  readonly engagementsOmitted: number;
  /** Lines dropped before the key was known (beyond {@link MAX_PENDING_LEDGER_LINES}). */
  readonly droppedLines: number;
  /** Lines received and waiting to be verified (verification runs off the caller's turn). */
  readonly queuedLines: number;
  /** Lines never verified because the queue was full (state `cannot-judge`); 0 normally. */
  readonly unverifiedLines: number;
}

/**
 * The display's view of a node's decision ledger: every published line (from the MQTT feed, or
 * from the run itself) goes through the same {@link LedgerStreamVerifier} `shieldlink verify --live`
 * uses — heads' signatures, recomputed roots, consistency proofs, numbering, and each FIRE against
 * the strict default policy — and the engagements' justifications are kept for the panel.
 *
 * `line` only queues: a run's ledger writer calls it on the session's turn (the control tick's),
 * and hashing, signature checks and compliance must not run there. The queue is verified in order
 * on later turns of the event loop ({@link LedgerWatchOptions.clock}), at most `linesPerTurn` per
 * turn. Lines arriving before the node key is known are held (bounded; the oldest are dropped and
 * counted, and the verifier then says it joined late). Once verifying, a full queue is never
 * silently trimmed: the lines already queued are still verified, every later line is counted as
 * unverified and the state becomes `cannot-judge` (a gap would otherwise look like the node's
 * violation). Bounded memory; `line` never throws on any input.
 */
export class LedgerWatch {
  private verifier: LedgerStreamVerifier | null = null;
  private key: HeadVerifier | null = null;
  /** Lines received, not yet verified, oldest first. */
  private readonly queue = new TextFifo();
  private scheduled = false;
  private idleWaiters: (() => void)[] = [];
  private dropped = 0;
  private unverified = 0;
  private sourceText = 'no ledger source';
  private config: ReadEntry | null = null;
  private index = 0;
  private lastHead: LedgerWatchSnapshot['head'] = null;
  private joinedLate: string | null = null;
  private readonly findings: LedgerWatchSnapshot['findings'][number][] = [];
  private readonly rows = new Map<number, EngagementJustification>();
  private readonly decisions = new Map<number, EngagementDecisionEntry>();
  private rowsOmitted = 0;
  private readonly policy: LedgerPolicy;
  private readonly clock: Clock;
  private readonly maxQueued: number;
  private readonly perTurn: number;

  constructor(options: LedgerWatchOptions = {}) {
    this.policy = options.policy ?? DEFAULT_LEDGER_POLICY;
    this.clock = options.clock ?? new RealClock();
    this.maxQueued = Math.max(1, options.maxQueuedLines ?? MAX_QUEUED_LEDGER_LINES);
    this.perTurn = Math.max(1, options.linesPerTurn ?? LEDGER_LINES_PER_TURN);
  }

  /** The node key heads are checked with; lines held so far are verified from the next turn. Set once. */
  setKey(key: HeadVerifier): void {
    if (this.key !== null) return;
    this.key = key;
    this.verifier = new LedgerStreamVerifier(key, this.policy, (finding) => this.finding(finding));
    this.schedule();
  }

  /** Say where lines come from and how that link is (shown on the panel). */
  setSource(text: string): void {
    this.sourceText = text;
  }

  /** One ledger line as published (header, entry or head), in order. Queues it; never verifies here. */
  line(text: string): void {
    const line = text.length > MAX_LINE_CHARS ? OVERSIZED_LINE : text;
    if (this.verifier === null) {
      // Before the key: keep the newest (the verifier says it joined late when the start is gone).
      this.queue.push(line);
      while (this.queue.length > MAX_PENDING_LEDGER_LINES || this.queue.chars > MAX_QUEUED_LEDGER_CHARS) {
        this.queue.shift();
        this.dropped++;
      }
      return;
    }
    if (
      this.unverified > 0 ||
      this.queue.length >= this.maxQueued ||
      this.queue.chars + line.length > MAX_QUEUED_LEDGER_CHARS
    ) {
      this.unverified++;
      return;
    }
    this.queue.push(line);
    this.schedule();
  }

  /** Resolves once every line received so far is verified (at once without a key: nothing can be). */
  idle(): Promise<void> {
    if (this.verifier === null || this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private schedule(): void {
    if (this.scheduled || this.verifier === null || this.queue.length === 0) return;
    this.scheduled = true;
    this.clock.setTimer(0, () => this.drain());
  }

  /** Verify up to `perTurn` queued lines, then yield (again on the next turn while any wait). */
  private drain(): void {
    this.scheduled = false;
    const verifier = this.verifier!;
    for (let n = 0; n < this.perTurn && this.queue.length > 0; n++) {
      const text = this.queue.shift();
      verifier.line(text);
      if (text === OVERSIZED_LINE) continue;
      try {
        this.remember(text);
      } catch {
        // A line of the wrong shape: the verifier has reported it; nothing to show.
      }
    }
    if (this.queue.length > 0) return this.schedule();
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  snapshot(): LedgerWatchSnapshot {
    const v = this.verifier;
    const valid = v?.lastValidHead ?? null;
    return {
      v: 1,
      state:
        this.key === null
          ? 'no-key'
          : this.unverified > 0
            ? 'cannot-judge'
            : v !== null && (v.entries > 0 || this.lastHead !== null || this.queue.length > 0)
              ? 'verifying'
              : 'waiting',
      source: this.sourceText,
      nodeId: this.key?.nodeId ?? null,
      keyId: this.key?.keyId ?? null,
      partner: this.policy.partner,
      head: this.lastHead,
      lastVerifiedHead: valid === null ? null : { n: valid.n, size: valid.size, root: valid.root },
      entries: v?.entries ?? 0,
      fires: v?.firesSeen ?? 0,
      closed: v?.closed ?? false,
      joinedLate: this.joinedLate,
      complianceJudged: this.config !== null,
      problemCount: v?.problems ?? 0,
      violationCount: v?.violations ?? 0,
      findings: [...this.findings],
      engagements: [...this.rows.values()].reverse(),
      engagementsOmitted: this.rowsOmitted,
      droppedLines: this.dropped,
      queuedLines: this.queue.length,
      unverifiedLines: this.unverified,
    };
  }

  private finding(f: LiveFinding): void {
    if (f.kind === 'head') {
      const h = f.head;
      this.lastHead = {
        n: Number(h.n),
        size: Number(h.size),
        root: String(h.root),
        timeMs: Number(h.timeMs),
        keyId: String(h.keyId),
        final: h.final === true,
        verified: f.verified,
      };
    } else if (f.kind === 'joined-late') this.joinedLate = f.message;
    else if (f.kind === 'integrity')
      this.note('integrity', f.problem.rule, `line ${f.problem.line}: ${f.problem.message}`);
    else {
      this.note('compliance', f.violation.rule, f.violation.message);
      const id = f.violation.engagementId;
      const row = id === null ? undefined : this.rows.get(id);
      if (row !== undefined) {
        this.rows.set(id!, {
          ...row,
          violations: [...row.violations, { rule: f.violation.rule, message: f.violation.message }],
        });
      }
    }
  }

  private note(kind: 'integrity' | 'compliance', rule: string, message: string): void {
    if (this.findings.length < MAX_SHOWN_FINDINGS) this.findings.push({ kind, rule, message });
  }

  /** Keep what the panel shows of an entry (after the verifier judged it). */
  private remember(text: string): void {
    const record = JSON.parse(text) as { kind?: unknown; i?: unknown; e?: LedgerEntry };
    if (record.kind !== 'entry' || typeof record.e !== 'object' || record.e === null) return;
    const e = record.e;
    const read: ReadEntry = { index: typeof record.i === 'number' ? record.i : this.index, line: 0, entry: e };
    this.index = read.index + 1;
    if (e.type === 'config' && this.config === null) this.config = read;
    else if (e.type === 'engagement-decision') this.decision(e);
    else if (e.type === 'fire') this.fire(e, read);
    else if (e.type === 'outcome') this.outcome(e);
  }

  private decision(d: EngagementDecisionEntry): void {
    const old = this.rows.get(d.engagementId);
    const config = this.config?.entry as ConfigEntry | undefined;
    const launcher = config?.launchers.find((l) => l.id === d.launcherId);
    this.rows.delete(d.engagementId);
    this.decisions.set(d.engagementId, d);
    this.rows.set(d.engagementId, {
      engagementId: d.engagementId,
      trackId: d.trackId,
      launcherId: d.launcherId,
      decidedAtUs: d.atUs,
      transition: d.transition,
      weaponsControlStatus: d.weaponsControlStatus,
      rule: d.rule,
      track:
        d.track === null
          ? null
          : {
              iff: d.track.iff,
              quality: d.track.quality,
              rangeM:
                launcher === undefined
                  ? Math.hypot(d.track.eastM, d.track.northM)
                  : Math.hypot(d.track.eastM - launcher.position.eastM, d.track.northM - launcher.position.northM),
            },
      claimedAssetId: d.predictedImpact?.assetId ?? null,
      launchAtHostUs: d.launchAtHostUs,
      interceptAtHostUs: d.interceptAtHostUs,
      fire: old?.fire ?? null,
      outcome: old?.outcome ?? null,
      violations: old?.violations ?? [],
    });
    if (this.rows.size > MAX_SHOWN_ENGAGEMENTS) {
      const oldest = this.rows.keys().next().value!;
      this.rows.delete(oldest);
      this.decisions.delete(oldest);
      this.rowsOmitted++;
    }
  }

  private fire(f: FireEntry, read: ReadEntry): void {
    const row = this.rows.get(f.engagementId);
    if (row === undefined) return;
    // The same recomputation the report shows (impact and closing speed from the recorded track).
    let justified: ReturnType<typeof checkCompliance>['fires'][number] | undefined;
    if (this.config !== null) {
      const decision = this.decisions.get(f.engagementId);
      const window = decision === undefined ? [] : [{ index: read.index - 1, line: 0, entry: decision }];
      justified = checkCompliance([this.config, ...window, read], this.policy).fires[0];
    }
    this.rows.set(f.engagementId, {
      ...row,
      fire: {
        atUs: f.atUs,
        impact: justified?.impact ?? null,
        rangeRateMps: justified?.rangeRateMps ?? null,
        judged: this.config !== null,
      },
    });
  }

  private outcome(o: OutcomeEntry): void {
    const row = this.rows.get(o.engagementId);
    if (row === undefined) return;
    const what = o.result ?? o.reason;
    this.rows.set(o.engagementId, { ...row, outcome: `${o.state}${what === null ? '' : `: ${what}`}` });
  }
}
