import { createHash } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { LedgerFeed } from '../bridge/index.js';
import type { LoadedBenchConfig } from '../config/load-bench-config.js';
import type { Scenario } from '../config/scenario-schema.js';
import type { ControlConfig } from '../control/index.js';
import { RUN_FILE_FORMAT } from '../record/run-file-format.js';
import { RunRecorder } from '../record/run-recorder.js';
import type { Clock } from '../time/clock.js';
import { DecisionLedger } from './decision-ledger.js';
import { softwareVersion } from './software-version.js';

/** What {@link openRunOutputs} needs. */
export interface RunOutputsOptions {
  readonly loaded: LoadedBenchConfig;
  readonly scenario: Scenario;
  readonly scenarioFile: string;
  /** The scenario file's bytes, hashed into the run file's manifest. */
  readonly scenarioText: Buffer;
  readonly controlConfig: ControlConfig;
  readonly clock: Clock;
  readonly wallClock: () => number;
  /** Run file to write; none: no recording. */
  readonly recordFile: string | undefined;
  /** Ledger file; undefined: `<name>.ledger` beside the run file (none without one); null: none. */
  readonly ledgerFile: string | null | undefined;
  /** Each ledger line as written (never throw). */
  readonly onLedgerLine: ((line: string) => void) | undefined;
}

/** A run's recorded outputs: the run file, the decision ledger and the ledger's live feed. */
export interface RunOutputs {
  readonly recorder: RunRecorder | undefined;
  readonly ledger: DecisionLedger | undefined;
  /** The ledger's lines for the bridge (stopped when there is no bridge). */
  readonly ledgerFeed: LedgerFeed;
  /** Where operator-command audit entries go: the run file and the ledger, at clock time. */
  readonly audit: { record(entry: unknown): void };
}

/**
 * Open the run file (its manifest: software version, config hash, scenario name and SHA-256,
 * seed, clock mode, tick period, core config) and the decision ledger, signed with the node key in
 * `keys/` beside the run file (or in the output directory without one). Rejects when a file or
 * the key cannot be written; the run has then touched no device.
 */
export async function openRunOutputs(options: RunOutputsOptions): Promise<RunOutputs> {
  const { config, configHash } = options.loaded;
  const { clock, recordFile, scenario, controlConfig } = options;
  let recorder: RunRecorder | undefined;
  if (recordFile !== undefined) {
    await mkdir(dirname(recordFile), { recursive: true });
    recorder = RunRecorder.create(recordFile, {
      kind: 'manifest',
      format: RUN_FILE_FORMAT,
      softwareVersion: await softwareVersion(),
      configHash,
      scenario: {
        name: basename(options.scenarioFile),
        sha256: createHash('sha256').update(options.scenarioText).digest('hex'),
      },
      seed: scenario.seed,
      clockMode: clock.kind,
      tickPeriodUs: controlConfig.tickPeriodUs,
      coreConfig: controlConfig,
    });
  }
  const ledgerFile =
    options.ledgerFile !== undefined
      ? options.ledgerFile
      : recordFile === undefined
        ? null
        : recordFile.replace(/\.run$/, '') + '.ledger';
  const ledgerFeed = new LedgerFeed(config.node.id, clock);
  const ledger =
    ledgerFile === null
      ? undefined
      : await DecisionLedger.open({
          file: ledgerFile,
          keysDir: join(
            recordFile === undefined ? options.loaded.resolvePath(config.output.dir) : dirname(recordFile),
            'keys',
          ),
          nodeId: config.node.id,
          configHash,
          scenario: basename(options.scenarioFile),
          seed: scenario.seed,
          controlConfig,
          nowUs: () => clock.nowUs(),
          wallClock: options.wallClock,
          site: config.site,
          onLine: (line) => {
            ledgerFeed.line(line);
            options.onLedgerLine?.(line);
          },
        });
  const audit = {
    record: (entry: unknown) => {
      recorder?.recordAudit(clock.nowUs(), entry);
      ledger?.recordAudit(clock.nowUs(), entry);
    },
  };
  return { recorder, ledger, ledgerFeed, audit };
}
