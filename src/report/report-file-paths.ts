/** Where a run's companion files are, by the `shieldlink run` naming convention. */
export interface ReportFilePaths {
  readonly truthFile: string;
  readonly summaryFile: string;
  readonly reportFile: string;
}

/** `X.run` → `X.truth.jsonl`, `X.summary.json`, `X.report.html` (any other name: appended). */
export function reportFilePaths(runFile: string): ReportFilePaths {
  const stem = runFile.endsWith('.run') ? runFile.slice(0, -'.run'.length) : runFile;
  return {
    truthFile: `${stem}.truth.jsonl`,
    summaryFile: `${stem}.summary.json`,
    reportFile: `${stem}.report.html`,
  };
}
