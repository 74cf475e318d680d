/**
 * Samples as parallel columns of plain double arrays, indexed alike. Entries are written once
 * and never changed afterwards, so a ClockEstimate can keep reading the samples it was fitted
 * on while the window moves on.
 */
export interface SampleColumns {
  /** Host time each sample refers to. */
  readonly hostUs: readonly number[];
  /** Measured device − host offset. */
  readonly offsetUs: readonly number[];
  /** Half-width of the interval that contains the true offset. */
  readonly halfWidthUs: readonly number[];
  /** Round trip as the min-RTT filter judges it (never negative). */
  readonly filterRttUs: readonly number[];
  /** Weight of the sample in the least-squares fit. */
  readonly weight: readonly number[];
}

interface WritableColumns {
  readonly hostUs: number[];
  readonly offsetUs: number[];
  readonly halfWidthUs: number[];
  readonly filterRttUs: number[];
  readonly weight: number[];
}

function emptyColumns(): WritableColumns {
  return { hostUs: [], offsetUs: [], halfWidthUs: [], filterRttUs: [], weight: [] };
}

/**
 * The latest `capacity` samples of the clock-offset estimator, oldest first, at indices
 * [start, end) of `columns`.
 *
 * Contract: an entry of `columns` is never modified once written — pushing appends, and when
 * the columns are full (twice the capacity) the live samples are copied into fresh columns;
 * `clear()` starts fresh columns too. So the columns and range read at one moment stay valid,
 * unchanged, for as long as they are referenced. Pushing is amortised O(1): one copy of the
 * window per `capacity` + 16 pushes, no object per sample.
 */
export class SampleWindow {
  private current: WritableColumns = emptyColumns();
  private first = 0;
  private readonly capacity: number;
  private readonly columnCapacity: number;

  /** `capacity` >= 1; a fractional one is rounded down, Infinity keeps every sample. */
  constructor(capacity: number) {
    this.capacity = Math.floor(capacity);
    this.columnCapacity = 2 * this.capacity + 16;
  }

  /** The columns holding the window (see the class contract). */
  get columns(): SampleColumns {
    return this.current;
  }

  /** Index of the oldest sample in `columns`. */
  get start(): number {
    return this.first;
  }

  /** One past the index of the newest sample in `columns`. */
  get end(): number {
    return this.current.hostUs.length;
  }

  /** Samples in the window. */
  get size(): number {
    return this.current.hostUs.length - this.first;
  }

  push(hostUs: number, offsetUs: number, halfWidthUs: number, filterRttUs: number, weight: number): void {
    if (this.current.hostUs.length >= this.columnCapacity) this.rebase();
    const columns = this.current;
    columns.hostUs.push(hostUs);
    columns.offsetUs.push(offsetUs);
    columns.halfWidthUs.push(halfWidthUs);
    columns.filterRttUs.push(filterRttUs);
    columns.weight.push(weight);
    if (columns.hostUs.length - this.first > this.capacity) this.first++;
  }

  clear(): void {
    this.current = emptyColumns();
    this.first = 0;
  }

  /** Copy the window into fresh columns, leaving the old ones to whoever still reads them. */
  private rebase(): void {
    const from = this.current;
    const start = this.first;
    this.current = {
      hostUs: from.hostUs.slice(start),
      offsetUs: from.offsetUs.slice(start),
      halfWidthUs: from.halfWidthUs.slice(start),
      filterRttUs: from.filterRttUs.slice(start),
      weight: from.weight.slice(start),
    };
    this.first = 0;
  }
}
