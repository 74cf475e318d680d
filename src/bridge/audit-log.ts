import type { Clock } from '../time/clock.js';
import type { AuditSink } from './audit-sink.js';
import { isoOf } from './payload-sanitizer.js';
import type {
  AuditCommandRecord,
  AuditForeignRecord,
  AuditOutcomeRecord,
  AuditRecord,
  AuditSuppressedRecord,
} from './schemas/audit-record-payload.js';
import type { SuppressedSummary } from './audit-budget.js';
import type { CommandResultPayload } from './schemas/command-result-payload.js';

type CommandFacts = Omit<AuditCommandRecord, 'v' | 'nodeId' | 'bootId' | 'seq' | 'hostTimeUs' | 'at' | 'kind'>;

/**
 * Numbers audit records (1, 2, 3, ... per boot) and hands each to the `AuditSink` (the
 * recording) and to `publish` (the `audit` topic, through the never-dropping channel).
 */
export class AuditLog {
  private seq = 0;
  private sinkFailures = 0;

  constructor(
    private readonly nodeId: string,
    private readonly bootId: string,
    private readonly clock: Clock,
    private readonly wallClock: () => number,
    private readonly sink: AuditSink,
    private readonly publish: (record: AuditRecord) => void,
  ) {}

  get failures(): number {
    return this.sinkFailures;
  }

  command(facts: CommandFacts): void {
    this.emit({ ...this.common(), kind: 'command', ...facts } satisfies AuditCommandRecord);
  }

  outcome(result: CommandResultPayload, late: boolean): void {
    this.emit({ ...this.common(), kind: 'outcome', result, late } satisfies AuditOutcomeRecord);
  }

  foreign(facts: Pick<AuditForeignRecord, 'topic' | 'action' | 'payloadBytes' | 'payloadSha256'>): void {
    this.emit({ ...this.common(), kind: 'foreign-publish', ...facts } satisfies AuditForeignRecord);
  }

  suppressed(summary: SuppressedSummary): void {
    this.emit({
      ...this.common(),
      kind: 'suppressed',
      sinceAt: isoOf(this.wallClock() - Math.max(0, this.clock.nowUs() - summary.sinceUs) / 1000),
      messages: summary.messages,
      byReason: { ...summary.byReason },
      bySource: { ...summary.bySource },
      totalSuppressed: summary.totalSuppressed,
      totalRejected: summary.totalRejected,
    } satisfies AuditSuppressedRecord);
  }

  private common(): { v: 1; nodeId: string; bootId: string; seq: number; hostTimeUs: number; at: string } {
    return {
      v: 1,
      nodeId: this.nodeId,
      bootId: this.bootId,
      seq: ++this.seq,
      hostTimeUs: this.clock.nowUs(),
      at: isoOf(this.wallClock()),
    };
  }

  private emit(record: AuditRecord): void {
    try {
      this.sink.record(record);
    } catch {
      this.sinkFailures++; // the sink broke its contract; the audit topic still gets the record
    }
    this.publish(record);
  }
}
