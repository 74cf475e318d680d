import t from 'tap';
import { TransportEmitter } from '../../src/transport/transport-emitter.js';

t.test('emitter: an emit calls the listeners registered when it began, in order', async (t) => {
  const emitter = new TransportEmitter();
  const calls: string[] = [];
  const late = (): void => void calls.push('late');
  const second = (): void => void calls.push('second');
  emitter.on('data', () => {
    calls.push('first');
    emitter.off('data', second); // removed during the emit: still called this time
    emitter.on('data', late); // added during the emit: first called by the next one
  });
  emitter.on('data', second);
  emitter.emitData(Uint8Array.of(1));
  t.same(calls, ['first', 'second']);
  calls.length = 0;
  emitter.emit('data', Uint8Array.of(2));
  t.same(calls, ['first', 'late'], 'the registration the second emit adds waits for the third');
  t.equal(emitter.listenerCount('data'), 3);
});

t.test('emitter: off() removes the last registration of a listener added twice', async (t) => {
  const emitter = new TransportEmitter();
  const chunks: number[] = [];
  const listener = (chunk: Uint8Array): void => void chunks.push(chunk[0]!);
  emitter.on('data', listener);
  emitter.on('data', listener);
  emitter.emitData(Uint8Array.of(1));
  emitter.off('data', listener);
  emitter.emitData(Uint8Array.of(2));
  emitter.off('data', listener);
  emitter.off('data', listener);
  emitter.emitData(Uint8Array.of(3));
  t.same(chunks, [1, 1, 2]);
  const reasons: string[] = [];
  emitter.on('close', (reason, cause) => reasons.push(`${reason}:${cause?.message ?? ''}`));
  emitter.emit('close', 'unplugged', new Error('gone'));
  t.same(reasons, ['unplugged:gone']);
});
