import { readdirSync, readFileSync } from 'node:fs';
import t from 'tap';
import { RealtimeLoop } from '../../../src/control/realtime/realtime-loop.js';
import { ownThreadScheduling, raiseOwnThreadToFifo } from '../../../src/control/realtime/thread-priority.js';

// The tick thread at SCHED_FIFO: asked for, it runs there (the kernel's own view of this
// process's threads says so), or the loop refuses to start; never silently at another policy.

const HANDLER = new URL('./fixtures/recording-tick-handler.ts', import.meta.url);
const linux = process.platform === 'linux';
/** Root may set real-time policies (CI runs as root); anyone else is refused by the kernel. */
const mayRaise = linux && process.getuid?.() === 0;

/** Policy and priority of every thread of this process, read by the kernel (fields 40, 41). */
function threadPolicies(): { tid: string; policy: number; priority: number }[] {
  return readdirSync('/proc/self/task').flatMap((tid) => {
    try {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'latin1');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return [{ tid, policy: Number(fields[38]), priority: Number(fields[37]) }];
    } catch {
      return []; // the thread ended while we listed
    }
  });
}

t.test('this thread reads its own scheduling: the default scheduler', { skip: !linux && 'Linux only' }, async (t) => {
  t.same(ownThreadScheduling(), { policy: 'other', priority: 0 });
});

t.test('a loop without fifoPriority ticks under the default scheduler', { skip: !linux && 'Linux only' }, async (t) => {
  const loop = await RealtimeLoop.start({ handlerModule: HANDLER });
  t.teardown(() => loop.stop());
  t.same(loop.scheduling, { policy: 'other', priority: 0 });
  t.same(
    threadPolicies().filter((th) => th.policy === 1),
    [],
    'no thread of this process is SCHED_FIFO',
  );
});

t.test('fifoPriority puts the tick thread, and only it, at SCHED_FIFO', { skip: !linux && 'Linux only' }, async (t) => {
  if (!mayRaise) {
    // Not root: the kernel refuses, and the loop must not start at the default policy instead.
    await t.rejects(RealtimeLoop.start({ handlerModule: HANDLER, fifoPriority: 7 }), {
      code: 'ERR_TICK_PRIORITY',
      message: /CAP_SYS_NICE/,
    });
    return;
  }
  const loop = await RealtimeLoop.start({ handlerModule: HANDLER, fifoPriority: 7 });
  t.teardown(() => loop.stop());
  t.same(loop.scheduling, { policy: 'fifo', priority: 7 });
  const fifo = threadPolicies().filter((th) => th.policy === 1);
  t.equal(fifo.length, 1, 'exactly one thread of this process is SCHED_FIFO');
  t.equal(fifo[0]?.priority, 7);
  await loop.stop();
  t.same(
    threadPolicies().filter((th) => th.policy === 1),
    [],
    'the FIFO thread is gone with the loop',
  );
});

t.test('a priority out of range is a config error before any thread starts', async (t) => {
  for (const fifoPriority of [0, 100, 1.5, Number.NaN]) {
    await t.rejects(
      RealtimeLoop.start({ handlerModule: HANDLER, fifoPriority }),
      { code: 'ERR_TICK_CONFIG' },
      String(fifoPriority),
    );
  }
  t.throws(() => raiseOwnThreadToFifo(0), { code: 'ERR_TICK_PRIORITY' });
});

t.test('without chrt the loop refuses to start, naming chrt', { skip: !linux && 'Linux only' }, async (t) => {
  const path = process.env.PATH;
  process.env.PATH = '/nonexistent-shieldlink-bin';
  t.teardown(() => {
    process.env.PATH = path;
  });
  // The worker copies the environment when it starts.
  const started = RealtimeLoop.start({ handlerModule: HANDLER, fifoPriority: 7 });
  process.env.PATH = path;
  await t.rejects(started, { code: 'ERR_TICK_PRIORITY', message: /chrt/ });
  t.same(
    threadPolicies().filter((th) => th.policy === 1),
    [],
    'nothing was raised',
  );
});
