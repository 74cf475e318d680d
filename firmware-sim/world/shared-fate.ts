/**
 * One world for several simulators: the fate of every target, shared. Each node of a joint run
 * has its own simulator (its radars, its launchers, its truth log), but they all fly the same
 * targets; a target one node's interceptor destroys is destroyed for every node. A world that
 * kills a target reports it here; every other world, whenever it advances, marks its copy of
 * the target destroyed at the same shared-clock instant (its radars stop seeing it, its truth
 * samples stop listing it). Only the killing world writes the `kill` record and counts it.
 *
 * Deterministic: the worlds share one clock and run in lockstep; a kill is seen by the other
 * worlds at their next advance (at most one physics step, 10 ms, later).
 */
export class SharedFate {
  private readonly destroyed = new Map<string, number>();
  private changes = 0;

  /** A world destroyed target `targetId` at shared-clock `atUs` (the earliest report wins). */
  report(targetId: string, atUs: number): void {
    const held = this.destroyed.get(targetId);
    if (held !== undefined && held <= atUs) return;
    this.destroyed.set(targetId, atUs);
    this.changes++;
  }

  /** Shared-clock instant target `targetId` was destroyed by any world; undefined while it flies. */
  destroyedUs(targetId: string): number | undefined {
    return this.destroyed.get(targetId);
  }

  /** Grows at every new report: a world rescans only when it changed. */
  get version(): number {
    return this.changes;
  }
}
