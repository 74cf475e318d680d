import type { AuditRecord } from './schemas/audit-record-payload.js';

/**
 * Where every command and every outcome is recorded besides the MQTT `audit` topic: the lead
 * connects the run recording here. Contract: `record` is synchronous, cheap (enqueue only), never
 * throws (the bridge catches and counts a throw, and carries on), and receives records in order
 * with `seq` 1, 2, 3, ... Records contain no key material and no signatures.
 */
export interface AuditSink {
  record(entry: AuditRecord): void;
}

/** An `AuditSink` that keeps nothing (the audit topic still gets every record). */
export const NULL_AUDIT_SINK: AuditSink = { record: () => undefined };
