import type { TruthRecord } from '../truth/truth-record.js';
import type { ReportSummaryFile } from './report-input.js';

/** One safety counter; any non-zero value fails the run. Null: not known from the inputs given. */
export interface SafetyCounter {
  readonly key: 'firesWhileLinkLost' | 'duplicateFires' | 'friendlyEngagements' | 'firesWithoutAuthorization';
  readonly label: string;
  readonly value: number | null;
  /** Where the value comes from. */
  readonly source: 'summary' | 'truth' | 'unknown';
}

const LABELS: Record<SafetyCounter['key'], string> = {
  firesWhileLinkLost: 'FIRE sent to a lost link',
  duplicateFires: 'Command id executed twice',
  friendlyEngagements: 'Friendlies engaged',
  firesWithoutAuthorization: 'Launch without weapons-control authorization',
};

/**
 * The four safety counters of the run summary (counted from the simulator's truth, never from
 * the host's belief). Without a summary, the first three are counted from the truth log here
 * (friendlies engaged = friendly targets killed, a lower bound of the summary's figure, which
 * also counts near misses); authorization needs the command path's history and stays unknown.
 */
export function safetyCounters(
  summary: ReportSummaryFile | undefined,
  truth: readonly TruthRecord[] | undefined,
): SafetyCounter[] {
  const keys = Object.keys(LABELS) as SafetyCounter['key'][];
  const fromSummary = summary?.summary?.safety;
  if (fromSummary !== undefined) {
    return keys.map((key) => ({
      key,
      label: LABELS[key],
      value: typeof fromSummary[key] === 'number' ? fromSummary[key] : null,
      source: typeof fromSummary[key] === 'number' ? 'summary' : 'unknown',
    }));
  }
  if (truth === undefined) return keys.map((key) => ({ key, label: LABELS[key], value: null, source: 'unknown' }));
  let linkLost = 0;
  let duplicates = 0;
  const friendliesKilled = new Set<string>();
  for (const record of truth) {
    if (record.kind === 'fire-while-link-down') linkLost++;
    else if (record.kind === 'duplicate-execution') duplicates++;
    else if (record.kind === 'friendly-kill') friendliesKilled.add(record.targetId);
    else if (record.kind === 'kill' && record.iff === 'friendly') friendliesKilled.add(record.targetId);
  }
  const truthValues: Record<SafetyCounter['key'], number | null> = {
    firesWhileLinkLost: linkLost,
    duplicateFires: duplicates,
    friendlyEngagements: friendliesKilled.size,
    firesWithoutAuthorization: null,
  };
  return keys.map((key) => ({
    key,
    label: LABELS[key],
    value: truthValues[key],
    source: truthValues[key] === null ? 'unknown' : 'truth',
  }));
}
