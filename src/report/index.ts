/**
 * The after-action report: one self-contained HTML page per run, from the run
 * file, the simulator's truth log and the run's summary file.
 */
export { renderReport } from './render-report.js';
export { writeReportFiles, type WriteReportFilesOptions } from './write-report-files.js';
export { reportFilePaths, type ReportFilePaths } from './report-file-paths.js';
export { readTruthLog } from './read-truth-log.js';
export { readSummaryFile } from './read-summary-file.js';
export type { ReportInput, ReportSummaryFile, ReportMeasurement, RadarSite } from './report-input.js';
export { ReportInputError } from './report-input-error.js';
export { ReportAssetError } from './report-asset-error.js';
export {
  renderJointReport,
  type JointReportInput,
  type JointReportNode,
  type JointPictureFigures,
} from './joint-report.js';
export type { JointPlanNode, JointTrackSource } from './joint-plan-view.js';
