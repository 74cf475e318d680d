import { chartCard } from './chart-card.js';
import { chartJsBundle } from './chart-js-bundle.js';
import { formatNumber } from './format-number.js';
import { htmlTable } from './html-table.js';
import { escapeHtml } from './html-text.js';
import { type JointPlanNode, jointPlanViewChart } from './joint-plan-view.js';
import { reportDocument } from './report-document.js';

/** A picture's quality against truth (null: not scored). */
export interface JointPictureFigures {
  readonly gospaMeanM: number | null;
  readonly completeness: number | null;
  readonly ambiguity: number | null;
  readonly spuriousness: number | null;
}

/** One node of a joint run in the joint report: its plan view and its figures alone and joint. */
export interface JointReportNode extends JointPlanNode {
  readonly alone: JointPictureFigures;
  readonly joint: JointPictureFigures;
  readonly fusedPairs: number;
  readonly partnerFeedMeasurements: number;
}

/** What the joint report shows. */
export interface JointReportInput {
  readonly scenario: string;
  /** `linked`, `picture-only` or `unlinked`. */
  readonly mode: string;
  readonly simulatedS: number;
  readonly nodes: readonly JointReportNode[];
  /** Shown in the footer (an ISO time; the caller's clock). */
  readonly generatedAt: string;
  readonly softwareVersion: string;
}

/**
 * The joint report of a joint run: one self-contained HTML page (Chart.js inlined, nothing
 * fetched) with each node's figures alone and joint, and the nodes' plan views side by side
 * (two per row; a narrow window stacks them), each node's joint picture in its own frame with
 * own, partner-only and fused tracks told apart over its coverage. The per-node after-action
 * reports (`shieldlink report <name>.<node>.run`) hold everything else.
 */
export function renderJointReport(input: JointReportInput, chartJsSource: string = chartJsBundle()): string {
  const charts = input.nodes.map((n) => jointPlanViewChart(n));
  const data = { charts: charts.map((c) => ({ id: c.id, views: c.views ?? [], config: c.config })) };
  const figure = (x: number | null, digits: number): { text: string; className: string } => ({
    text: x === null ? 'n/a' : formatNumber(x, digits),
    className: 'num',
  });
  const figures = htmlTable({
    headers: [
      'node',
      'picture',
      { text: 'GOSPA mean (m)', className: 'num' },
      { text: 'completeness', className: 'num' },
      { text: 'ambiguity', className: 'num' },
      { text: 'spuriousness', className: 'num' },
      { text: 'fused pairs', className: 'num' },
      { text: 'partner feed', className: 'num' },
    ],
    rows: input.nodes.flatMap((n) =>
      (['alone', 'joint'] as const).map((label) => {
        const q = n[label];
        return [
          n.nodeId,
          label,
          figure(q.gospaMeanM, 4),
          figure(q.completeness, 3),
          figure(q.ambiguity, 3),
          figure(q.spuriousness, 3),
          label === 'joint' ? n.fusedPairs : '',
          label === 'joint' ? n.partnerFeedMeasurements : '',
        ];
      }),
    ),
  });
  const rows: string[] = [];
  for (let i = 0; i < charts.length; i += 2)
    rows.push(
      `<div class="grid2 side-by-side">${charts
        .slice(i, i + 2)
        .map((c) => chartCard(c, c.title, ''))
        .join('\n')}</div>`,
    );
  const title = `shieldlink — ${input.scenario} (joint, ${input.nodes.length} nodes)`;
  const body = [
    `<div id="report-errors" class="error-banner" hidden></div>`,
    `<section class="card"><h1>${escapeHtml(title)}</h1><p>${escapeHtml(
      `${input.mode} · ${formatNumber(input.simulatedS, 4)} s simulated · nodes ${input.nodes.map((n) => n.nodeId).join(', ')}`,
    )}</p></section>`,
    `<section class="card"><h2>Picture quality per node, alone and joint</h2>${figures}<p class="note">Alone: the node's own-radar picture; joint: its picture fused with its partners' releases. Each node's full after-action report is in its own page.</p></section>`,
    `<h2 class="side-title">Nodes side by side</h2>`,
    ...rows,
    `<footer>shieldlink ${escapeHtml(input.softwareVersion)} joint report · generated ${escapeHtml(input.generatedAt)} · charts by Chart.js (MIT), inlined · works offline</footer>`,
  ].join('\n');
  return reportDocument({ generator: 'shieldlink joint report', title: title, body, data, chartJsSource });
}
