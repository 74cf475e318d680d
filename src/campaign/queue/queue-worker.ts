import type { Job } from 'bullmq';
import { InvalidRunSpecError, parseRunSpec } from '../run-spec-schema.js';
import { RunProcessPool } from '../process-pool.js';
import type { RunOutcome, RunSpec } from '../run-spec.js';
import { connectionOptions, type RedisTarget } from './redis-url.js';

/** Options of {@link startQueueWorker}. */
export interface QueueWorkerOptions {
  readonly redis: RedisTarget;
  readonly queueName: string;
  /** Runs at once, each in its own process. */
  readonly concurrency: number;
  /** Name in each outcome (`worker`) and the log. */
  readonly name: string;
  /**
   * How long a job's lock lasts without renewal (the worker renews it every half). A worker
   * that dies loses its lock after this long and another worker runs the job again.
   */
  readonly lockMs: number;
  readonly log: (line: string) => void;
}

/** A running queue worker. */
export interface RunningQueueWorker {
  /** Stop taking jobs, let the runs in flight finish (`force`: abandon them), stop the processes. */
  close(force?: boolean): Promise<void>;
}

/**
 * A BullMQ worker that runs campaign jobs: each job's RunSpec goes to a process of a
 * {@link RunProcessPool} (the same runner as a local campaign, so the same digests) and its
 * RunOutcome becomes the job's return value. A run whose process dies throws, and BullMQ tries
 * the job again (the campaign enqueues with 3 attempts); a worker that dies stops renewing its
 * locks, and the stalled-job check of the other workers puts its jobs back in the queue.
 * Redis going away is logged once per outage; BullMQ reconnects and the worker carries on.
 */
export async function startQueueWorker(options: QueueWorkerOptions): Promise<RunningQueueWorker> {
  const pool = new RunProcessPool({ size: options.concurrency, workerName: options.name });
  let outage: string | null = null;
  // bullmq loads only when a worker starts, not with every command.
  const { UnrecoverableError, Worker } = await import('bullmq');
  const worker = new Worker<RunSpec, RunOutcome>(
    options.queueName,
    async (job: Job<RunSpec, RunOutcome>) => {
      let spec: RunSpec;
      try {
        spec = parseRunSpec(job.data);
      } catch (error) {
        options.log(`job ${job.id ?? '?'}: refused: ${(error as Error).message}`);
        // Not retried: the same data would be refused again.
        throw error instanceof InvalidRunSpecError ? new UnrecoverableError(error.message) : error;
      }
      const attempt = job.attemptsMade > 0 ? ` (attempt ${job.attemptsMade + 1})` : '';
      options.log(`${spec.key} seed ${spec.seed}: started${attempt}`);
      const outcome = await pool.run(spec);
      options.log(
        `${spec.key} seed ${spec.seed}: ${outcome.status}${outcome.error ? ` (${outcome.error})` : ''} in ${outcome.wallS.toFixed(1)} s${attempt}`,
      );
      return outcome;
    },
    {
      connection: connectionOptions(options.redis, false) as never,
      concurrency: options.concurrency,
      lockDuration: options.lockMs,
      stalledInterval: options.lockMs,
      // A job may stall twice (two workers lost under it) before it counts as failed.
      maxStalledCount: 2,
      autorun: true,
    },
  );
  worker.on('error', (error: Error) => {
    const why = (error as { code?: string }).code ?? error.message.split('\n')[0]!;
    if (outage === null)
      options.log(`Redis at ${options.redis.display} unreachable (${why}); waiting for it to return`);
    outage = why;
  });
  worker.on('ready', () => {
    if (outage !== null) options.log(`Redis at ${options.redis.display} is back`);
    outage = null;
  });
  worker.on('failed', (job, error) => {
    if (job !== undefined)
      options.log(
        `${String(job.data?.key)} seed ${String(job.data?.seed)}: attempt ${job.attemptsMade} failed: ${error.message}`,
      );
  });
  await worker.waitUntilReady();
  options.log(
    `worker ${options.name}: ${options.concurrency} run(s) at a time on ${options.redis.display} queue ${options.queueName}`,
  );
  return {
    async close(force = false) {
      await worker.close(force).catch(() => undefined);
      await pool.close();
    },
  };
}
