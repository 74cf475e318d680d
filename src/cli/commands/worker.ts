import { availableParallelism, hostname } from 'node:os';
import { parseArgs } from 'node:util';
import { DEFAULT_QUEUE_NAME } from '../../campaign/queue/queued-campaign.js';
import { startQueueWorker } from '../../campaign/queue/queue-worker.js';
import { parseRedisUrl, RedisUrlError } from '../../campaign/queue/redis-url.js';
import { type Command, EXIT_OK, UsageError } from '../command.js';

const HELP = `Usage: shieldlink worker --queue redis://HOST:PORT [--concurrency N] [--name NAME]
                         [--queue-name NAME] [--lock-s S]

Run campaign runs from a Redis queue (BullMQ) until stopped (Ctrl-C or SIGTERM: the runs in
flight finish first; a second signal abandons them, and they run again elsewhere). Start one
per machine, as many machines as you like; \`shieldlink campaign ... --queue URL\` enqueues the
runs and gathers the results. Each run is in virtual time, in a process of its own, with the
job's own config and scenario texts: no file of the campaign is needed here, and a run gives
the same digests on any machine with the same shieldlink version.

Options:
  --queue URL        redis://[user:password@]HOST[:PORT][/DB] (required)
  --concurrency N    runs at once (default: cores - 1, at least 1)
  --name NAME        worker name in results and logs (default <hostname>:<pid>)
  --queue-name NAME  BullMQ queue (default ${DEFAULT_QUEUE_NAME})
  --lock-s S         job lock, seconds (default 30): a worker that dies (power, kill -9) has its
                     runs given to another worker after about this long

If Redis goes away the worker logs it once, keeps its runs going, and carries on when Redis
returns (a result it could not hand over is produced again by a retry).

Examples:
  shieldlink worker --queue redis://10.0.0.5:6379
  shieldlink worker --queue redis://127.0.0.1:6379 --concurrency 2 --lock-s 10

Exit codes: 0 stopped by a signal; 2 usage error; 3 Redis unreachable at start or runtime error.`;

export const workerCommand: Command = {
  path: ['worker'],
  summary: 'run campaign runs from a Redis queue (one per machine, any number of machines)',
  help: HELP,
  async run(args, io) {
    const { values } = parseArgs({
      args,
      options: {
        queue: { type: 'string' },
        concurrency: { type: 'string' },
        name: { type: 'string' },
        'queue-name': { type: 'string' },
        'lock-s': { type: 'string' },
      },
      allowPositionals: false,
    });
    if (values.queue === undefined) throw new UsageError('--queue redis://HOST:PORT is required');
    let redis;
    try {
      redis = parseRedisUrl(values.queue);
    } catch (error) {
      if (error instanceof RedisUrlError) throw new UsageError(error.message);
      throw error;
    }
    const concurrency =
      values.concurrency === undefined ? Math.max(1, availableParallelism() - 1) : Number(values.concurrency);
    if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 256)
      throw new UsageError(`--concurrency: expected an integer 1-256, got '${values.concurrency}'`);
    const lockS = values['lock-s'] === undefined ? 30 : Number(values['lock-s']);
    if (!(Number.isFinite(lockS) && lockS >= 1 && lockS <= 3600))
      throw new UsageError(`--lock-s: expected seconds in [1, 3600], got '${values['lock-s']}'`);
    const log = (line: string): void => {
      io.stderr.write(`${line}\n`);
    };
    const worker = await startQueueWorker({
      redis,
      queueName: values['queue-name'] ?? DEFAULT_QUEUE_NAME,
      concurrency,
      name: values.name ?? `${hostname()}:${process.pid}`,
      lockMs: lockS * 1000,
      log,
    });
    await new Promise<void>((resolve) => {
      let stopping = false;
      const stop = (): void => {
        if (stopping) {
          log('stopping now: runs in flight are abandoned (they run again elsewhere)');
          void worker.close(true).then(resolve);
          return;
        }
        stopping = true;
        log('stopping: letting the runs in flight finish (signal again to abandon them)');
        void worker.close(false).then(resolve);
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    return EXIT_OK;
  },
};
