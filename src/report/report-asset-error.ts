/** Something the page must inline is missing (the Chart.js bundle): an installation problem. */
export class ReportAssetError extends Error {
  readonly code = 'report-asset';
  constructor(message: string) {
    super(message);
    this.name = 'ReportAssetError';
  }
}
