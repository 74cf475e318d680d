import t from 'tap';
import { TypedEmitter } from '../../src/devices/index.js';

interface Events {
  tick: (n: number) => void;
}

t.test('listeners run in registration order; changes during an emit apply from the next one', async (t) => {
  const emitter = new TypedEmitter<Events>();
  const calls: string[] = [];
  const late = (n: number): void => void calls.push(`late ${n}`);
  const second = (n: number): void => void calls.push(`second ${n}`);
  const first = (n: number): void => {
    calls.push(`first ${n}`);
    if (n === 1) {
      emitter.on('tick', late);
      emitter.off('tick', second);
    }
  };
  emitter.on('tick', first);
  emitter.on('tick', second);
  emitter.emit('tick', 1);
  t.same(calls, ['first 1', 'second 1'], 'the emit in progress keeps the list it started with');
  calls.length = 0;
  emitter.emit('tick', 2);
  t.same(calls, ['first 2', 'late 2']);
  t.equal(emitter.listenerCount('tick'), 2);
  emitter.off('tick', first);
  emitter.off('tick', first);
  t.equal(emitter.listenerCount('tick'), 1, 'off of an absent listener is a no-op');
});

t.test('a throwing listener does not stop the others; its error is rethrown asynchronously', async (t) => {
  const emitter = new TypedEmitter<Events>();
  const seen: number[] = [];
  emitter.on('tick', () => {
    throw new Error('listener bug');
  });
  emitter.on('tick', (n) => seen.push(n));
  const uncaught = new Promise<unknown>((resolve) => {
    const listeners = process.listeners('uncaughtException');
    process.removeAllListeners('uncaughtException');
    process.once('uncaughtException', (error) => {
      for (const l of listeners) process.on('uncaughtException', l);
      resolve(error);
    });
  });
  emitter.emit('tick', 7);
  t.same(seen, [7]);
  t.match(await uncaught, { message: 'listener bug' });
});
