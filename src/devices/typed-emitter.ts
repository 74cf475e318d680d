/** The arguments of a listener type. */
export type ListenerArgs<L> = L extends (...args: infer A) => void ? A : never;

/**
 * A minimal typed event emitter for driver events; `E` maps event names to listener signatures.
 *
 * Contract: listeners run synchronously, in registration order. An emit calls the listeners
 * registered when it started: one added or removed by a listener takes effect from the next
 * emit. A listener that throws does not disturb the driver (the frame being processed is still
 * handled, other listeners still run); the error is rethrown asynchronously so it surfaces as an
 * uncaught exception, like any bug.
 *
 * Cost: `on`/`off` copy the event's listener list (copy on write), so `emit` — once per device
 * frame — iterates the current list as is, without copying it.
 */
export class TypedEmitter<E> {
  /** Listener lists, never mutated once stored: `on`/`off` store a new list. */
  private readonly listeners = new Map<keyof E, ReadonlyArray<E[keyof E]>>();

  on<K extends keyof E>(event: K, listener: E[K]): void {
    const list = this.listeners.get(event) ?? [];
    this.listeners.set(event, [...list, listener]);
  }

  off<K extends keyof E>(event: K, listener: E[K]): void {
    const list = this.listeners.get(event);
    if (list === undefined) return;
    const at = list.indexOf(listener);
    if (at >= 0) this.listeners.set(event, [...list.slice(0, at), ...list.slice(at + 1)]);
  }

  /** Number of listeners of an event. */
  listenerCount(event: keyof E): number {
    return this.listeners.get(event)?.length ?? 0;
  }

  emit<K extends keyof E>(event: K, ...args: ListenerArgs<E[K]>): void {
    const list = this.listeners.get(event);
    if (list === undefined) return;
    for (let i = 0; i < list.length; i++) {
      try {
        (list[i] as (...a: ListenerArgs<E[K]>) => void)(...args);
      } catch (error) {
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }
}
