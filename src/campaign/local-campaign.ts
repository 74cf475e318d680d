import type { CampaignPlan } from './campaign-plan.js';
import { RunCrashedError, RunProcessPool } from './process-pool.js';
import type { CampaignResultStore, StoredOutcome } from './result-store.js';
import { runSpecFor } from './run-specs.js';
import { errorOutcome, outcomeStorer } from './stored-outcomes.js';

/** Options of {@link runLocalCampaign}. */
export interface LocalCampaignOptions {
  readonly plan: CampaignPlan;
  readonly store: CampaignResultStore;
  /** Worker processes (>= 1). */
  readonly workers: number;
  /** Bring every recording back, not only failed runs'. */
  readonly keepRecordings: boolean;
  /** Tries per run when its process dies (a crash, not a failed run). Default 3. */
  readonly attempts?: number;
  /** Called after each stored run. */
  readonly onStored?: (outcome: StoredOutcome) => void;
  /** Resolves when the user asks to stop: runs in flight are abandoned (they run again on resume). */
  readonly interrupt?: Promise<void>;
}

/**
 * Run every planned run the store does not hold yet, `workers` at a time, each in a worker
 * process of a {@link RunProcessPool}. A run whose process dies is tried again (up to
 * `attempts`); after that it is stored as an `error` outcome. Resolves when all are stored or
 * on interrupt (`true`).
 */
export async function runLocalCampaign(options: LocalCampaignOptions): Promise<{ interrupted: boolean }> {
  const pending = options.plan.runs.filter((r) => !options.store.has(r.key));
  if (pending.length === 0) return { interrupted: false };
  const pool = new RunProcessPool({ size: Math.min(options.workers, pending.length) });
  const attempts = options.attempts ?? 3;
  let interrupted = false;
  let next = 0;
  const stopped = new Promise<void>((resolve) => {
    void options.interrupt?.then(() => {
      interrupted = true;
      resolve();
    });
  });
  const store = outcomeStorer(options.store, options.onStored);
  const lane = async (): Promise<void> => {
    while (!interrupted && next < pending.length) {
      const run = pending[next++]!;
      const spec = runSpecFor(options.plan, run, options.keepRecordings);
      for (let attempt = 1; ; attempt++) {
        try {
          const outcome = await pool.run(spec);
          if (!interrupted) store(outcome);
          break;
        } catch (error) {
          if (interrupted) return;
          if (!(error instanceof RunCrashedError) || attempt >= attempts) {
            const tries = attempt > 1 ? ` (after ${attempt} tries)` : '';
            store(errorOutcome(run, 'local', `${(error as Error).message}${tries}`));
            break;
          }
        }
      }
    }
  };
  try {
    await Promise.race([Promise.all(Array.from({ length: pool.size }, () => lane())), stopped]);
  } finally {
    await pool.close();
  }
  return { interrupted };
}
