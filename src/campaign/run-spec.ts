/**
 * What crosses to a run's worker process (local pool or queue job) and what comes back. Plain
 * JSON both ways: a job is self-contained (config and scenario texts travel with it), so a
 * worker on another machine needs no file of the campaign and runs exactly the same bytes.
 */

/** One run to execute. */
export interface RunSpec {
  readonly campaignId: string;
  /** Unique in the campaign, e.g. `p2-r17`. */
  readonly key: string;
  readonly point: number;
  readonly runIndex: number;
  readonly seed: number;
  readonly configName: string;
  readonly configText: string;
  /** File name the scenario runs under (goes into the recording's manifest). */
  readonly scenarioName: string;
  /** The point's scenario with this run's seed. */
  readonly scenarioText: string;
  /** Simulated seconds; null: the scenario's duration. */
  readonly durationS: number | null;
  /** Return the recording even when the run passed (it always comes back when it failed). */
  readonly keepRecording: boolean;
}

/** Digests that prove what a run did: equal digests mean byte-identical outputs. */
export interface RunDigests {
  /** SHA-256 of the whole recording (`*.run`). */
  readonly recordingSha256: string;
  /** SHA-256 of the core's outputs (the recording's `end` line carries it; replay recomputes it). */
  readonly outputsSha256: string;
  /** SHA-256 of the simulator's truth log. */
  readonly truthSha256: string;
}

/** The figures of one run the campaign statistics need (a compact run summary). */
export interface RunFigures {
  readonly hostiles: number;
  readonly hostilesInEnvelope: number;
  readonly intercepted: number;
  readonly interceptRatio: number | null;
  readonly leakers: number;
  readonly friendliesEngaged: number;
  readonly launches: number;
  readonly firesPlanned: number;
  readonly engagements: Readonly<Record<string, number>>;
  readonly safety: Readonly<Record<string, number>>;
  /** Every launch's error (actual minus planned instant), microseconds. */
  readonly launchErrorsUs: readonly number[];
  /** Every FIRE's reaction time (first detection of its track to the command), milliseconds. */
  readonly reactionsMs: readonly number[];
  /** Scenario measurements that failed (names). */
  readonly measurementsFailed: readonly string[];
  readonly simulatedS: number;
}

/** What a run gives back. `status` `error`: the run threw (message in `error`), no figures. */
export interface RunOutcome {
  readonly key: string;
  readonly point: number;
  readonly runIndex: number;
  readonly seed: number;
  readonly status: 'ok' | 'safety-fail' | 'error';
  readonly figures: RunFigures | null;
  readonly digests: RunDigests | null;
  readonly error: string | null;
  /** Wall seconds the run took in its worker. */
  readonly wallS: number;
  /** Which worker ran it (`local`, or the queue worker's name). */
  readonly worker: string;
  /** gzip of the recording, base64, when kept (failure or on request); null otherwise. */
  readonly recordingGzipBase64: string | null;
}
