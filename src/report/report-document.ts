import { escapeHtml, jsonForScript } from './html-text.js';
import { REPORT_BROWSER_SCRIPT } from './report-browser-script.js';
import { REPORT_STYLES } from './report-styles.js';

/** What {@link reportDocument} wraps into a self-contained report page. */
export interface ReportDocumentParts {
  /** The `generator` meta value, e.g. `shieldlink report`. */
  readonly generator: string;
  /** Page title, plain text (escaped here). */
  readonly title: string;
  /** The page's sections, HTML (already escaped by whoever built them). */
  readonly body: string;
  /** The charts' data, read by the page's script from `#report-data`. */
  readonly data: unknown;
  /** Chart.js, inlined so that the page works offline. */
  readonly chartJsSource: string;
}

/**
 * A self-contained HTML report: the report styles, the body, the chart data as JSON and the
 * scripts inlined — no request leaves the page when it is opened.
 */
export function reportDocument(parts: ReportDocumentParts): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="${escapeHtml(parts.generator)}">
<title>${escapeHtml(parts.title)}</title>
<style>${REPORT_STYLES}</style>
</head>
<body>
<main>
${parts.body}
</main>
<script type="application/json" id="report-data">${jsonForScript(parts.data)}</script>
<script>${parts.chartJsSource}</script>
<script>${REPORT_BROWSER_SCRIPT}</script>
</body>
</html>
`;
}
