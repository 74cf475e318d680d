import type { PictureQualitySettings } from '../config/scenario-picture-quality-schema.js';
import type { DefendedAssetConfig } from '../control/index.js';
import { type PictureQualityPoint, type TruthTargetSample, runPictureQuality } from '../session/run-picture-quality.js';
import {
  type RunSummary,
  type RunSummaryInputs,
  type SummaryTruthRecord,
  summarizeRun,
} from '../session/run-summary.js';
import { threatAccuracy } from '../session/threat-accuracy.js';
import type { BenchDevices } from './bench-devices.js';
import type { RunWatch } from './run-watch.js';

/** What a finished run is scored from, besides the devices' truth and the run's watch. */
export type BenchRunFacts = Pick<
  RunSummaryInputs,
  'scenario' | 'seed' | 'clockMode' | 'simulatedS' | 'wallS' | 'statistics' | 'recordingSha256' | 'outputsSha256'
> & {
  readonly assets: readonly DefendedAssetConfig[];
  readonly pictureSettings: PictureQualitySettings;
};

/**
 * Join what the host did with the simulator's truth: the run summary, and the picture quality
 * (GOSPA, SIAP) and threat-evaluation accuracy measured on the watch's samples. On hardware there
 * is no truth: the picture is not scored (null) and the summary says truth was not available.
 * Pure apart from reading the devices' truth records.
 */
export async function scoreBenchRun(
  devices: Pick<BenchDevices, 'placement' | 'truthEpochHostUs' | 'hostLaunchers' | 'truthRecords'>,
  watch: RunWatch,
  facts: BenchRunFacts,
): Promise<{ summary: RunSummary; series: readonly PictureQualityPoint[] }> {
  const truthRecords = (await devices.truthRecords()) ?? [];
  const picture =
    devices.placement === 'hardware'
      ? null
      : runPictureQuality(
          watch.pictureSampler.samples(),
          truthRecords as readonly TruthTargetSample[],
          devices.truthEpochHostUs,
          facts.pictureSettings,
          watch.pictureSampler.truncated,
        );
  const summary = summarizeRun({
    scenario: facts.scenario,
    seed: facts.seed,
    clockMode: facts.clockMode,
    simulatedS: facts.simulatedS,
    wallS: facts.wallS,
    truth: truthRecords as SummaryTruthRecord[],
    pictureQuality: picture?.summary ?? null,
    truthAvailable: devices.placement !== 'hardware',
    launchErrorBasis: devices.placement === 'in-process' ? 'host-plan' : 'launcher-clock',
    statistics: facts.statistics,
    launchers: devices.hostLaunchers.map((l) => ({ position: l.model.position, envelope: l.model.envelope })),
    assets: facts.assets,
    threatAccuracy:
      picture === null
        ? null
        : threatAccuracy(watch.threatSampler.samples(), truthRecords as never, devices.truthEpochHostUs),
    authorizations: watch.authorizations,
    recordingSha256: facts.recordingSha256,
    outputsSha256: facts.outputsSha256,
    truthEpochHostUs: devices.truthEpochHostUs,
  });
  return { summary, series: picture?.series ?? [] };
}
