import type { PlannedRun } from './campaign-plan.js';
import type { CampaignResultStore, StoredOutcome } from './result-store.js';
import type { RunOutcome } from './run-spec.js';

/**
 * The outcome of a run that produced no result (its process died on every try, or the queue
 * gave up on it): status `error` with the reason, no figures, no recording.
 */
export function errorOutcome(run: PlannedRun, worker: string, error: string): RunOutcome {
  return {
    key: run.key,
    point: run.point,
    runIndex: run.runIndex,
    seed: run.seed,
    status: 'error',
    figures: null,
    digests: null,
    error,
    wallS: 0,
    worker,
    recordingGzipBase64: null,
  };
}

/**
 * How both campaign drivers (local processes, a BullMQ queue) store an outcome: into the store
 * (which ignores a key it already holds, so a run reported twice counts once), then tell
 * `onStored` about a newly stored one.
 */
export function outcomeStorer(
  store: CampaignResultStore,
  onStored: ((outcome: StoredOutcome) => void) | undefined,
): (outcome: RunOutcome) => void {
  return (outcome) => {
    const stored = store.add(outcome);
    if (stored !== null) onStored?.(stored);
  };
}
