import { loadavg } from 'node:os';
import type { BenchFigure } from './bench-figure.js';
import { GroupUnavailableError, findPart } from './suite.js';

/** What a part's process writes. */
export interface PartOutcome {
  readonly part: string;
  readonly loadBefore: number;
  readonly figures: readonly BenchFigure[];
  /** Set when the part did not produce figures. */
  readonly error?: { readonly unavailable: boolean; readonly message: string };
}

/** Run one part in this process. */
export async function runPart(name: string, options: { quick: boolean; long: boolean }): Promise<PartOutcome> {
  const loadBefore = loadavg()[0]!;
  const found = findPart(name);
  if (found === undefined) {
    return { part: name, loadBefore, figures: [], error: { unavailable: true, message: `no part '${name}'` } };
  }
  try {
    const figures = await found.part.run(options);
    return { part: name, loadBefore, figures };
  } catch (error) {
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    return {
      part: name,
      loadBefore,
      figures: [],
      error: { unavailable: error instanceof GroupUnavailableError, message },
    };
  }
}
