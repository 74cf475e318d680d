import type { TickLoopMetrics } from '../control/realtime/tick-loop.js';
import { wallClockIso } from '../time/real-clock.js';
import { altitudeChart } from './altitude-chart.js';
import type { ChartSpec } from './chart-spec.js';
import { deviceIntervals } from './device-intervals.js';
import { type RunDigest, digestRun } from './digest-run.js';
import { type EngagementTimeline, buildEngagementTimeline } from './engagement-timeline.js';
import { engagementTimelineChart } from './engagement-timeline-chart.js';
import { histogram } from './histogram.js';
import { histogramChart } from './histogram-chart.js';
import { type InterceptorPath, interceptorPaths } from './interceptor-paths.js';
import { type LaunchErrorMatch, matchLaunchErrors } from './launch-errors.js';
import { type ReadinessDigest, digestReadiness } from './launcher-readiness-table.js';
import { loopLatenessChart } from './loop-lateness-chart.js';
import { planViewChart } from './plan-view-chart.js';
import { threatOverlay } from './threat-overlay.js';
import { gospaChart, siapChart } from './picture-quality-charts.js';
import { type ReactionTime, reactionTimes } from './reaction-times.js';
import type { ReportInput, ReportMeasurement } from './report-input.js';
import { type Kpi, reportKpis } from './report-kpis.js';
import { REPORT_PALETTE } from './report-palette.js';
import { type RunVerdict, judgeRun } from './run-verdict.js';
import { type SafetyCounter, safetyCounters } from './safety-counters.js';
import { siteLayoutFrom } from './site-layout.js';
import { targetTracksFrom } from './target-tracks.js';

/** Most trajectory points per chart (plan view, altitude): keeps the page light. */
export const MAX_POINTS_PER_CHART = 2000;

/** Everything the page shows, computed; the template only lays it out. */
export interface ReportModel {
  readonly title: string;
  readonly generatedAt: string;
  readonly digest: RunDigest;
  readonly hasTruth: boolean;
  readonly verdict: RunVerdict;
  readonly kpis: readonly Kpi[];
  readonly safety: readonly SafetyCounter[];
  readonly measurements: readonly ReportMeasurement[];
  readonly timeline: EngagementTimeline;
  readonly launchErrors: LaunchErrorMatch;
  readonly reactions: readonly ReactionTime[];
  readonly paths: readonly InterceptorPath[];
  readonly loopMetrics: TickLoopMetrics | undefined;
  readonly linkCounters: Readonly<Record<string, unknown>> | undefined;
  /** Launcher readiness and refused FIREs, from the recording. */
  readonly readiness: ReadinessDigest;
  /** Charts by role; null when there is nothing to draw (the page says why). */
  readonly charts: {
    readonly planView: ChartSpec;
    readonly altitude: ChartSpec | null;
    readonly timeline: ChartSpec | null;
    readonly launchError: ChartSpec | null;
    readonly reaction: ChartSpec | null;
    readonly lateness: ChartSpec | null;
    /** GOSPA and SIAP of the host picture over time (null without truth). */
    readonly gospa: ChartSpec | null;
    readonly siap: ChartSpec | null;
  };
}

/** Join the recording, truth and summary into what the page shows. Pure but for the default timestamp. */
export function buildReportModel(input: ReportInput): ReportModel {
  const epoch = input.truthEpochHostUs ?? input.summary?.truthEpochHostUs ?? 0;
  const digest = digestRun(input.run);
  const layout = siteLayoutFrom(digest.manifest.coreConfig, input.radars);
  const tracks = input.truth !== undefined ? targetTracksFrom(input.truth, epoch) : [];
  const paths = interceptorPaths(digest, layout.launchers, input.truth, tracks, epoch);
  const launchErrors = matchLaunchErrors(digest, input.truth, epoch);
  const reactions = reactionTimes(digest);
  const timeline = buildEngagementTimeline(
    digest,
    input.truth,
    layout.launchers.map((l) => l.id),
    epoch,
  );
  const measurements = Array.isArray(input.summary?.measurements) ? input.summary.measurements : [];
  const safety = safetyCounters(input.summary, input.truth);
  const verdict = judgeRun(safety, measurements, digest);
  const kpis = reportKpis(digest, input.truth, input.summary, timeline.engagements, launchErrors, reactions);

  const errorBins = histogram(launchErrors.errors.map((e) => e.errorUs));
  const reactionBins = histogram(reactions.map((r) => r.reactionUs / 1e6));
  const scenario = digest.manifest.scenario?.name ?? 'no scenario';
  const picture = input.summary?.summary?.pictureQuality ?? null;
  const pictureInput = {
    series: input.summary?.pictureQualitySeries ?? [],
    cutoffM: picture?.cutoffM ?? null,
    p: picture?.p ?? null,
    associationRadiusM: picture?.associationRadiusM ?? null,
  };
  return {
    title: input.title ?? `shieldlink — ${scenario}`,
    generatedAt: input.generatedAt ?? wallClockIso(),
    digest,
    hasTruth: input.truth !== undefined,
    verdict,
    kpis,
    safety,
    measurements,
    timeline,
    launchErrors,
    reactions,
    paths,
    readiness: digestReadiness(input.run, digest.lastUs),
    loopMetrics: input.summary?.loopMetrics ?? undefined,
    linkCounters:
      typeof input.summary?.linkCounters === 'object' && input.summary.linkCounters !== null
        ? input.summary.linkCounters
        : undefined,
    charts: {
      planView: planViewChart({
        layout,
        tracks,
        radarPlots: digest.radarPlots,
        paths,
        truth: input.truth,
        threats: threatOverlay(input.run),
        maxPoints: MAX_POINTS_PER_CHART,
      }),
      altitude:
        tracks.length > 0 || digest.radarPlots.length > 0
          ? altitudeChart({
              tracks,
              radarPlots: digest.radarPlots,
              truth: input.truth,
              epochHostUs: epoch,
              maxPoints: MAX_POINTS_PER_CHART,
            })
          : null,
      timeline:
        timeline.engagements.length > 0
          ? engagementTimelineChart(timeline, digest.lastUs, deviceIntervals(input.truth, digest.lastUs, epoch))
          : null,
      launchError:
        errorBins === null
          ? null
          : histogramChart(errorBins, {
              id: 'launch-error',
              title: 'Launch timing error',
              caption:
                launchErrors.source === 'truth'
                  ? `Actual launch (simulator truth, executedUs) minus the FIRE's planned launchAtHostUs, ${launchErrors.errors.length} launches.`
                  : `Launch instant reported by the launcher (through time sync) minus the planned one, ${launchErrors.errors.length} launches (no truth log).`,
              xTitle: 'actual − planned launch (µs)',
              colour: REPORT_PALETTE.bars,
            }),
      reaction:
        reactionBins === null
          ? null
          : histogramChart(reactionBins, {
              id: 'reaction',
              title: 'Reaction time',
              caption: `First detection of a track (host track created) to its FIRE command, ${reactions.length} FIREs.`,
              xTitle: 'detection → FIRE (s)',
              colour: REPORT_PALETTE.barsAlt,
            }),
      lateness: loopLatenessChart(input.summary?.loopMetrics ?? undefined),
      gospa: gospaChart(pictureInput),
      siap: siapChart(pictureInput),
    },
  };
}
