import type { Job, Queue } from 'bullmq';
import { RealClock } from '../../time/real-clock.js';
import type { CampaignPlan, PlannedRun } from '../campaign-plan.js';
import type { CampaignResultStore, StoredOutcome } from '../result-store.js';
import type { RunOutcome, RunSpec } from '../run-spec.js';
import { runSpecFor } from '../run-specs.js';
import { errorOutcome, outcomeStorer } from '../stored-outcomes.js';
import { connectionOptions, type RedisTarget } from './redis-url.js';

/** BullMQ queue the campaign and its workers meet on, unless `--queue-name` says otherwise. */
export const DEFAULT_QUEUE_NAME = 'shieldlink-campaign';
/** Tries per run (a worker process that dies or a worker machine that goes away). */
export const JOB_ATTEMPTS = 3;
const POLL_MS = 400;
const RECONCILE_MS = 5000;
const PAGE = 200;

/** Redis cannot be reached when the campaign starts (nothing was enqueued). */
export class QueueUnreachableError extends Error {
  readonly code = 'queue-unreachable';
  constructor(message: string) {
    super(message);
    this.name = 'QueueUnreachableError';
  }
}

/** Options of {@link runQueuedCampaign}. */
export interface QueuedCampaignOptions {
  readonly plan: CampaignPlan;
  readonly store: CampaignResultStore;
  readonly redis: RedisTarget;
  readonly queueName: string;
  readonly keepRecordings: boolean;
  readonly onStored?: (outcome: StoredOutcome) => void;
  /** Called on every poll: running or paused (Redis unreachable, with why), and workers seen. */
  readonly onStatus?: (state: 'running' | 'paused', message: string | null, workers: number | null) => void;
  readonly interrupt?: Promise<void>;
  /** Wait this long for Redis at start before giving up. Default 5000 ms. */
  readonly connectTimeoutMs?: number;
}

/** The BullMQ job id of a run: the campaign id and the run key. */
export const jobIdOf = (plan: CampaignPlan, run: PlannedRun): string => `${plan.id}-${run.key}`;

/**
 * Run a campaign on a BullMQ queue: enqueue every run the store does not hold (job id =
 * campaign id + run key, so enqueueing again — a resume, a second submitter — adds nothing),
 * then poll: completed jobs' results (the RunOutcome the worker returned) are stored, then the
 * job is removed from Redis; jobs that failed every attempt are stored as `error` outcomes.
 * Results are stored before their job is removed, and the store ignores a key it holds, so
 * every run is reported exactly once even across interruptions.
 *
 * Redis going away: every poll fails fast; the campaign reports `paused` with the reason and
 * keeps polling. When Redis returns, a reconciliation pass re-enqueues any run whose job
 * vanished (a Redis restarted without persistence): no result is lost, at worst a run runs
 * twice and its second result is ignored.
 */
export async function runQueuedCampaign(options: QueuedCampaignOptions): Promise<{ interrupted: boolean }> {
  const { plan, store } = options;
  const clock = new RealClock();
  const sleep = (ms: number): Promise<void> => new Promise((resolve) => clock.setTimer(ms * 1000, resolve));
  // bullmq (and Redis's client) load only when a queued campaign runs, not with every command.
  const bullmq = await import('bullmq');
  const queue = new bullmq.Queue(options.queueName, {
    connection: connectionOptions(options.redis, true) as never,
    defaultJobOptions: {
      attempts: JOB_ATTEMPTS,
      backoff: { type: 'fixed', delay: 1000 },
      removeOnComplete: false,
      removeOnFail: false,
    },
  });
  let redisError: string | null = null;
  queue.on('error', (error: Error) => {
    redisError = describe(error);
  });
  let interrupted = false;
  void options.interrupt?.then(() => {
    interrupted = true;
  });
  const finished = new Set<string>([...store.results().keys()]);
  const byJobId = new Map(plan.runs.map((r) => [jobIdOf(plan, r), r]));
  const outstanding = (): PlannedRun[] => plan.runs.filter((r) => !finished.has(r.key));
  const storeOutcome = outcomeStorer(store, options.onStored);

  try {
    const deadline = clock.nowUs() + (options.connectTimeoutMs ?? 5000) * 1000;
    for (;;) {
      try {
        await queue.getJobCounts('wait');
        break;
      } catch (error) {
        if (clock.nowUs() > deadline || interrupted)
          throw new QueueUnreachableError(
            `cannot reach Redis at ${options.redis.display} (${redisError ?? describe(error as Error)}): nothing enqueued`,
          );
        await sleep(250);
      }
    }
    await enqueue(queue, plan, outstanding(), options.keepRecordings);

    let lastReconcileUs = clock.nowUs();
    let paused = false;
    let workers: number | null = null;
    let polls = 0;
    while (!interrupted && outstanding().length > 0) {
      try {
        if (paused) {
          // Back: whatever Redis lost (a restart without persistence) is enqueued again.
          await reconcile(queue, plan, outstanding(), options.keepRecordings);
          lastReconcileUs = clock.nowUs();
          paused = false;
        }
        await gather(queue, byJobId, (outcome) => {
          storeOutcome(outcome);
          finished.add(outcome.key);
        });
        if (polls++ % 5 === 0) workers = await queue.getWorkersCount();
        if (clock.nowUs() - lastReconcileUs > RECONCILE_MS * 1000) {
          await reconcile(queue, plan, outstanding(), options.keepRecordings);
          lastReconcileUs = clock.nowUs();
        }
        options.onStatus?.('running', null, workers);
      } catch (error) {
        paused = true;
        const done = plan.runs.length - outstanding().length;
        options.onStatus?.(
          'paused',
          `Redis at ${options.redis.display} unreachable (${describe(error as Error)}); ${done} of ${plan.runs.length} results stored here, waiting for Redis to return`,
          workers,
        );
      }
      if (outstanding().length > 0) await sleep(POLL_MS);
    }
  } finally {
    await queue.close().catch(() => undefined);
  }
  return { interrupted };
}

async function enqueue(queue: Queue, plan: CampaignPlan, runs: readonly PlannedRun[], keep: boolean): Promise<void> {
  for (let i = 0; i < runs.length; i += 100) {
    const chunk = runs.slice(i, i + 100);
    await queue.addBulk(
      chunk.map((run) => ({ name: 'run', data: runSpecFor(plan, run, keep), opts: { jobId: jobIdOf(plan, run) } })),
    );
  }
}

/** Re-enqueue runs whose job is in no state Redis knows (lost); others are left alone. */
async function reconcile(queue: Queue, plan: CampaignPlan, runs: readonly PlannedRun[], keep: boolean): Promise<void> {
  const lost: PlannedRun[] = [];
  for (let i = 0; i < runs.length; i += PAGE) {
    const chunk = runs.slice(i, i + PAGE);
    const states = await Promise.all(chunk.map((run) => queue.getJobState(jobIdOf(plan, run))));
    chunk.forEach((run, j) => {
      if (states[j] === 'unknown') lost.push(run);
    });
  }
  if (lost.length > 0) await enqueue(queue, plan, lost, keep);
}

/** Store every finished job of this campaign, then remove it from Redis. */
async function gather(
  queue: Queue,
  byJobId: ReadonlyMap<string, PlannedRun>,
  onOutcome: (outcome: RunOutcome) => void,
): Promise<void> {
  for (const state of ['completed', 'failed'] as const) {
    for (let start = 0; ; start += PAGE) {
      const jobs = (await queue.getJobs([state], start, start + PAGE - 1, true)) as Job<RunSpec, RunOutcome>[];
      if (jobs.length === 0) break;
      let removed = 0;
      for (const job of jobs) {
        if (job === undefined || job === null || job.id === undefined) continue;
        const run = byJobId.get(job.id);
        if (run === undefined) continue; // another campaign's job
        const outcome =
          state === 'completed' && job.returnvalue !== null && typeof job.returnvalue === 'object'
            ? job.returnvalue
            : failedOutcome(run, job);
        onOutcome(outcome);
        await job.remove();
        removed++;
      }
      // Removing shifts the list: read the same page again while it held ours.
      if (removed > 0) start -= PAGE;
      if (jobs.length < PAGE) break;
    }
  }
}

function failedOutcome(run: PlannedRun, job: Job): RunOutcome {
  const reason = job.failedReason ?? 'unknown reason';
  return errorOutcome(run, 'queue', `failed on every attempt (${job.attemptsMade}): ${reason}`);
}

function describe(error: Error): string {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : error.message.split('\n')[0]!;
}
