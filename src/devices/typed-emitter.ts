/** The arguments of a listener type. */
export type ListenerArgs<L> = L extends (...args: infer A) => void ? A : never;

/**
 * A minimal typed event emitter for driver events; `E` maps event names to listener signatures.
 *
 * Contract: listeners run synchronously, in registration order. A listener that throws does not
 * disturb the driver (the frame being processed is still handled, other listeners still run);
 * the error is rethrown asynchronously so it surfaces as an uncaught exception, like any bug.
 */
export class TypedEmitter<E> {
  private readonly listeners = new Map<keyof E, Array<E[keyof E]>>();

  on<K extends keyof E>(event: K, listener: E[K]): void {
    const list = this.listeners.get(event) ?? [];
    list.push(listener);
    this.listeners.set(event, list);
  }

  off<K extends keyof E>(event: K, listener: E[K]): void {
    const list = this.listeners.get(event);
    if (list === undefined) return;
    const at = list.indexOf(listener);
    if (at >= 0) list.splice(at, 1);
  }

  /** Number of listeners of an event. */
  listenerCount(event: keyof E): number {
    return this.listeners.get(event)?.length ?? 0;
  }

  emit<K extends keyof E>(event: K, ...args: ListenerArgs<E[K]>): void {
    const list = this.listeners.get(event);
    if (list === undefined) return;
    for (const listener of [...list]) {
      try {
        (listener as (...a: ListenerArgs<E[K]>) => void)(...args);
      } catch (error) {
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }
}
