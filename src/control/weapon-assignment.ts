/**
 * One tick's weapon–target assignment over a small candidate set, in preallocated arrays:
 * threats `0 .. threats` (in threat order: operator priority, threat value, earliest impact) ×
 * free launchers `0 .. launchers`, `interceptAtUs[t * maxLaunchers + l]` the earliest intercept
 * of the pair (+Infinity: not feasible), `weight[t]` the marginal return of one more round on
 * threat t (threat value × kill probability, plus a tiny constant so threats to no asset still
 * count). At most one launcher per threat (one interceptor per target at a time) and one threat
 * per launcher.
 *
 * 1. Greedy maximum marginal return (den Broeder, Ellison & Emerling 1959): threats in order of
 *    weight take the free feasible launcher with the earliest intercept.
 * 2. Bounded local search (`maxMoves` per tick):
 *    - augment: an unassigned threat takes a launcher whose threat can move to an unused
 *      feasible launcher (one more threat covered, nobody dropped);
 *    - replace: an unassigned threat of larger weight takes a launcher from a smaller one;
 *    - swap: two assigned threats exchange launchers when that lowers the weighted sum of
 *      intercept times (the valuable threat is hit earlier, leaving time for a second look).
 * Deterministic: fixed scan order, strict improvements only.
 */
export class WeaponAssignment {
  readonly interceptAtUs: Float64Array;
  readonly weight: Float64Array;
  /** Result: launcher index (0 .. launchers) per threat, or -1. */
  readonly launcherOf: Int32Array;
  private readonly threatOf: Int32Array;
  threats = 0;
  launchers = 0;
  /** Local-search moves made in the last solve. */
  lastMoves = 0;

  constructor(
    readonly maxThreats: number,
    readonly maxLaunchers: number,
  ) {
    this.interceptAtUs = new Float64Array(maxThreats * maxLaunchers);
    this.weight = new Float64Array(maxThreats);
    this.launcherOf = new Int32Array(maxThreats);
    this.threatOf = new Int32Array(maxLaunchers);
  }

  private at(t: number, l: number): number {
    return this.interceptAtUs[t * this.maxLaunchers + l]!;
  }

  private assign(t: number, l: number): void {
    this.launcherOf[t] = l;
    this.threatOf[l] = t;
  }

  /** The unused feasible launcher with the earliest intercept for threat t, or -1. */
  private bestFree(t: number): number {
    let best = -1;
    let bestAt = Infinity;
    for (let l = 0; l < this.launchers; l++) {
      if (this.threatOf[l]! >= 0) continue;
      const at = this.at(t, l);
      if (at < bestAt) {
        bestAt = at;
        best = l;
      }
    }
    return best;
  }

  solve(maxMoves: number): void {
    const n = this.threats;
    for (let t = 0; t < n; t++) this.launcherOf[t] = -1;
    for (let l = 0; l < this.launchers; l++) this.threatOf[l] = -1;
    // 1. Greedy in weight order (the candidates come sorted; ties keep threat order).
    for (let t = 0; t < n; t++) {
      const l = this.bestFree(t);
      if (l >= 0) this.assign(t, l);
    }
    // 2. Local search.
    let moves = 0;
    let improved = true;
    while (improved && moves < maxMoves) {
      improved = false;
      for (let u = 0; u < n && moves < maxMoves; u++) {
        if (this.launcherOf[u]! >= 0) continue;
        for (let l = 0; l < this.launchers; l++) {
          if (this.at(u, l) === Infinity) continue;
          const a = this.threatOf[l]!;
          if (a < 0) continue; // bestFree already found none; defensive
          const other = this.bestFree(a);
          if (other >= 0) {
            this.assign(a, other);
            this.assign(u, l);
          } else if (this.weight[u]! > this.weight[a]!) {
            this.launcherOf[a] = -1;
            this.assign(u, l);
          } else continue;
          moves++;
          improved = true;
          break;
        }
      }
      for (let a = 0; a < n && moves < maxMoves; a++) {
        const la = this.launcherOf[a]!;
        if (la < 0) continue;
        for (let b = a + 1; b < n; b++) {
          const lb = this.launcherOf[b]!;
          if (lb < 0) continue;
          const ab = this.at(a, lb);
          const ba = this.at(b, la);
          if (ab === Infinity || ba === Infinity) continue;
          const wa = this.weight[a]!;
          const wb = this.weight[b]!;
          const now = wa * this.at(a, la) + wb * this.at(b, lb);
          const swapped = wa * ab + wb * ba;
          if (swapped < now - 1e-6 * (wa + wb)) {
            this.assign(a, lb);
            this.assign(b, la);
            moves++;
            improved = true;
            break;
          }
        }
      }
    }
    this.lastMoves = moves;
  }
}
