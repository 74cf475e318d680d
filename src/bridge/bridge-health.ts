import type { ReliableChannelStats } from './reliable-channel-options.js';
import type { BridgeMetricsPayload } from './schemas/metrics-payload.js';
import type { BridgeHealthPayload } from './schemas/status-payload.js';

/** The bridge's health, for the local status line and the birth message. */
export interface BridgeHealth {
  readonly connection: 'connecting' | 'connected' | 'stopped';
  readonly mode: 'live' | 'catching-up';
  /** Active degradations: `disconnected`, `catching-up`, `spool-overflow`, `spool-io-error`, `audit-sink-failing`. */
  readonly degraded: readonly string[];
  readonly outages: number;
  readonly lastOutage: { readonly startedAt: string; readonly endedAt: string; readonly spooledRecords: number } | null;
  readonly protocol: '3.1.1' | '5' | null;
  readonly queuedRecords: number;
  readonly spooledRecords: number;
  readonly droppedRecords: number;
}

/**
 * What the bridge's health is computed from: its link and reliable channel (undefined before
 * `start`) and its connection history. A snapshot; the functions below are pure.
 */
export interface BridgeHealthInputs {
  readonly stopped: boolean;
  readonly connected: boolean;
  readonly channel: ReliableChannelStats | undefined;
  readonly auditFailures: number;
  readonly outages: number;
  readonly connects: number;
  readonly lastOutage: BridgeHealth['lastOutage'];
  readonly protocol: 4 | 5 | null;
}

/** The counters of the bridge's parts the metrics payload adds to its health (undefined before `start`). */
export interface BridgePartCounters {
  readonly commands: { received: number; rejected: number; pending: number } | undefined;
  readonly state: { stateMessages: number; coalescedUpdates: number } | undefined;
  readonly commandsSuppressed: number;
  readonly foreignPublishes: number;
}

function connectionOf(inputs: BridgeHealthInputs): BridgeHealth['connection'] {
  return inputs.stopped ? 'stopped' : inputs.connected ? 'connected' : 'connecting';
}

/** The health the bridge reports: connection, mode and every active degradation. */
export function bridgeHealthOf(inputs: BridgeHealthInputs): BridgeHealth {
  const stats = inputs.channel;
  const degraded: string[] = [];
  const connection = connectionOf(inputs);
  if (connection === 'connecting') degraded.push('disconnected');
  if (stats?.mode === 'catching-up') degraded.push('catching-up');
  if ((stats?.droppedRecords ?? 0) > 0) degraded.push('spool-overflow');
  if (stats?.spoolError) degraded.push('spool-io-error');
  if (inputs.auditFailures > 0) degraded.push('audit-sink-failing');
  return {
    connection,
    mode: stats?.mode ?? 'catching-up',
    degraded,
    outages: inputs.outages,
    lastOutage: inputs.lastOutage,
    protocol: inputs.protocol === null ? null : inputs.protocol === 5 ? '5' : '3.1.1',
    queuedRecords: stats?.queuedRecords ?? 0,
    spooledRecords: stats?.spooledRecords ?? 0,
    droppedRecords: stats?.droppedRecords ?? 0,
  };
}

/** What changes of health are told for (not every record): connection, mode, degradations, outages. */
export function healthKeyOf(health: BridgeHealth): string {
  return `${health.connection}|${health.mode}|${health.degraded.join(',')}|${health.outages}`;
}

/** The `bridge` member of the birth message (`disconnected` is implied by the message being sent). */
export function birthHealthOf(health: BridgeHealth): BridgeHealthPayload {
  return {
    mode: health.mode,
    protocol: health.protocol ?? '3.1.1',
    degraded: health.degraded.filter((d) => d !== 'disconnected'),
    outages: health.outages,
    spooledRecords: health.spooledRecords,
    droppedRecords: health.droppedRecords,
    lastOutage: health.lastOutage,
  };
}

/** The `metrics` topic's bridge member. */
export function bridgeMetricsOf(inputs: BridgeHealthInputs, parts: BridgePartCounters): BridgeMetricsPayload {
  const stats = inputs.channel;
  return {
    connection: connectionOf(inputs),
    mode: stats?.mode ?? 'catching-up',
    queuedRecords: stats?.queuedRecords ?? 0,
    inflightRecords: stats?.inflightRecords ?? 0,
    spooledRecords: stats?.spooledRecords ?? 0,
    spoolBytes: stats?.spoolBytes ?? 0,
    publishedRecords: stats?.publishedRecords ?? 0,
    ackedRecords: stats?.ackedRecords ?? 0,
    spooledTotal: stats?.spooledTotal ?? 0,
    droppedRecords: stats?.droppedRecords ?? 0,
    stateMessages: parts.state?.stateMessages ?? 0,
    coalescedUpdates: parts.state?.coalescedUpdates ?? 0,
    outages: inputs.outages,
    connects: inputs.connects,
    commandsReceived: parts.commands?.received ?? 0,
    commandsRejected: parts.commands?.rejected ?? 0,
    commandsPending: parts.commands?.pending ?? 0,
    commandsSuppressed: parts.commandsSuppressed,
    foreignPublishes: parts.foreignPublishes,
  };
}
