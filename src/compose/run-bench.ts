import type { World } from '../../firmware-sim/index.js';
import { createHash } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { LedgerFeed, OperatorKeyring } from '../bridge/index.js';
import type { LoadedBenchConfig } from '../config/load-bench-config.js';
import { loadScenario } from '../config/load-scenario.js';
import type { Scenario } from '../config/scenario-schema.js';
import { assetsWithDefendedPoints, type ControlConfig, type LauncherSnapshot } from '../control/index.js';
import {
  RealtimeLoop,
  type TickLoop,
  type TickLoopMetrics,
  VirtualTickDriver,
  siblingModuleUrl,
} from '../control/realtime/index.js';
import { RUN_FILE_FORMAT } from '../record/run-file-format.js';
import { RunRecorder } from '../record/run-recorder.js';
import controlTickHandler, { type ControlTickHandlerData } from '../session/control-tick-handler.js';
import { HilSession, type SessionObserver } from '../session/hil-session.js';
import { OperatorCommandPath, simulatedOperatorKey } from '../session/operator-command-path.js';
import {
  type AuthorizationInterval,
  type RunSummary,
  type SummaryTruthRecord,
  summarizeRun,
} from '../session/run-summary.js';
import { SameThreadChannel } from '../session/same-thread-channel.js';
import { ThreatAccuracySampler, threatAccuracy } from '../session/threat-accuracy.js';
import { PictureSampler } from '../session/picture-sampler.js';
import { type PictureQualityPoint, type TruthTargetSample, runPictureQuality } from '../session/run-picture-quality.js';
import { pictureQualitySettings } from '../config/scenario-picture-quality-schema.js';
import { SessionCommandExecutor } from '../session/session-command-executor.js';
import type { Clock } from '../time/clock.js';
import { intervalGate } from '../time/interval-gate.js';
import { RealClock } from '../time/real-clock.js';
import { VirtualClock } from '../time/virtual-clock.js';
import { createAsterixRadars } from './asterix-radars.js';
import { openCat062Feed } from './cat062-feed.js';
import { createNmeaRadars } from './nmea-radars.js';
import { controlConfigFor } from './control-config-for.js';
import { ScriptedOperators } from './scripted-operators.js';
import { type RunningBridge, startBridge } from './start-bridge.js';
import {
  type ProcessJoint,
  intentChannelOf,
  partnerFeedIdsOf,
  radarAccuracyOf,
  startProcessJoint,
} from './process-joint.js';
import { startSharedSkyOf } from './shared-sky.js';
import { BridgePublisher } from '../session/bridge-publisher.js';
import { openBenchDevices } from './bench-devices.js';
import { softwareVersion } from './software-version.js';
import { commandIdStateFile } from './session-command-ids.js';
import { bootIdFor } from './boot-id.js';
import { RunStopError, STOP_SETTLE_US } from './run-stop-error.js';
import { waitForLinks } from './wait-for-links.js';
import { openRunSidecars } from './run-sidecars.js';
import { DecisionLedger, type LedgerSummary } from './decision-ledger.js';

/** Fixed wall-clock epoch of virtual-time runs (2026-01-01T00:00:00Z): signing stays repeatable. */
export const VIRTUAL_WALL_EPOCH_MS = Date.UTC(2026, 0, 1);
/** Live pictures per wall second a virtual run sends to the bridge (and so the display). */
export const VIRTUAL_PICTURE_HZ = 10;

/** Options of {@link runBench}. */
export interface RunBenchOptions {
  readonly loaded: LoadedBenchConfig;
  /** Scenario file; default the config's. */
  readonly scenarioFile?: string;
  readonly virtualTime: boolean;
  /** Stop after this many simulated seconds (default the scenario's duration). */
  readonly durationS?: number;
  /** Run file to write (default: none). */
  readonly recordFile?: string;
  /** Truth log (JSONL) to write (default: none). */
  readonly truthFile?: string;
  /** pcapng capture of every frame on every link, both ways (default: none). */
  readonly captureFile?: string;
  /** MQTT log: every message the bridge publishes, with its clock time (default: none). */
  readonly mqttLogFile?: string;
  /**
   * Decision ledger to write (default `<name>.ledger` beside the run file when there is one;
   * null: none). Signed with the node key in `keys/` beside the run file.
   */
  readonly ledgerFile?: string | null;
  readonly observers?: readonly SessionObserver[];
  readonly log?: (line: string) => void;
  /** Called about every simulated second with the latest picture. */
  readonly onProgress?: (progress: RunProgress) => void;
  /** Resolves when the user asks to stop (SIGINT): the run ends cleanly at that point. */
  readonly interrupt?: Promise<void>;
  /** MQTT broker URL overriding the config's, or 'none' for no bridge. */
  readonly broker?: string;
  /** Called once the bridge is up, with where clients connect. */
  readonly onBridge?: (bridge: RunningBridge) => void;
  /** Each decision-ledger line as written (the run's display verifies them; never throw). */
  readonly onLedgerLine?: (line: string) => void;
  /** Weapon-assignment doctrine overriding the config's and the scenario's. */
  readonly doctrine?: 'expected-value' | 'earliest-impact';
  /** Firing doctrine overriding the config's and the scenario's. */
  readonly firing?: 'shoot-look-shoot' | 'salvo';
  /** The scenario itself (a node's share of a joint scenario); default: loaded from the file. */
  readonly scenario?: Scenario;
  /** Virtual time: run on this clock (shared by the nodes of a joint run); default a new one. */
  readonly clock?: VirtualClock;
  /** Further source ids the core takes track measurements from (a joint node's partner feeds). */
  readonly extraRadarIds?: readonly string[];
}

/** What the progress line shows. */
export interface RunProgress {
  readonly simulatedS: number;
  readonly durationS: number;
  readonly tracks: number;
  readonly engagements: number;
  readonly intercepts: number;
  readonly weaponsControlStatus: string;
  /** Launchers ready to fire, of all. */
  readonly launchersReady: number;
  readonly launchers: number;
  /** Why each launcher not ready is not ready (its first failing condition), e.g. `launcher-2 time-sync-out-of-bound`. */
  readonly notReady: readonly string[];
}

/** The result of a run. */
export interface RunResult {
  readonly summary: RunSummary;
  readonly loopMetrics: TickLoopMetrics | undefined;
  readonly recordFile: string | undefined;
  readonly truthFile: string | undefined;
  readonly scenario: Scenario;
  /** The scenario file that ran. */
  readonly scenarioFile: string;
  readonly controlConfig: ControlConfig;
  readonly interrupted: boolean;
  /** Each driver's link counters at the end of the run. */
  readonly linkCounters: Record<string, unknown>;
  /** Host time of truth `tUs` 0 (0 in virtual time). */
  readonly truthEpochHostUs: number;
  /** The picture-quality series (GOSPA and SIAP per sampled instant); empty without truth. */
  readonly pictureQualitySeries: readonly PictureQualityPoint[];
  /** The decision ledger written, if any. */
  readonly ledger: LedgerSummary | undefined;
}

/**
 * Run a simulated bench: the firmware simulator in-process over paced memory links, the drivers,
 * the control core in its tick loop (virtual-time driver, or the real-time worker), the operator
 * command path playing the scenario's scripted commands, and the recorder. In virtual time the
 * whole stack runs in lockstep on one VirtualClock as fast as the CPU allows, and the recording
 * is a function of config + scenario + seed only.
 */
export async function runBench(options: RunBenchOptions): Promise<RunResult> {
  const run = await startBenchRun(options);
  const { clock, startUs, endUs } = run;
  let interrupted = false;
  const progressEveryUs = 1_000_000;
  if (clock instanceof VirtualClock) {
    let stopRequested = false;
    void run.stopRequest.then(() => (stopRequested = true));
    for (let t = startUs + progressEveryUs; ; t += progressEveryUs) {
      await clock.runUntil(Math.min(t, endUs));
      run.report();
      if (clock.nowUs() >= endUs) break;
      if (stopRequested) {
        interrupted = true;
        break;
      }
    }
  } else {
    const timers: { cancel(): void }[] = [];
    await new Promise<void>((resolve) => {
      timers.push(clock.setTimerAt(endUs, resolve));
      const tick = (): void => {
        run.report();
        run.refreshLoopTiming();
        timers.push(clock.setTimer(progressEveryUs, tick));
      };
      timers.push(clock.setTimer(progressEveryUs, tick));
      void run.ended.then(resolve);
      void run.stopRequest.then(() => {
        interrupted = true;
        resolve();
      });
    });
    for (const timer of timers) timer.cancel();
  }
  return run.finish(interrupted);
}

/**
 * A bench run set up and started, its clock not yet driven: the caller advances the clock to
 * `endUs` (or stops early) and then calls `finish`. {@link runBench} is this plus its own clock
 * loop; a joint run starts several on one shared VirtualClock and drives them in lockstep.
 */
export interface BenchRun {
  readonly clock: Clock;
  /** Clock time the run started at, and the scenario's end. */
  readonly startUs: number;
  readonly endUs: number;
  readonly durationS: number;
  readonly scenario: Scenario;
  readonly controlConfig: ControlConfig;
  readonly session: HilSession;
  /** The in-process simulator's world, if any. */
  readonly world?: World | undefined;
  /** Host time of truth `tUs` 0. */
  readonly truthEpochHostUs: number;
  /** Resolves when the user asks to stop or the run file fails. */
  readonly stopRequest: Promise<void>;
  /** Resolves when the simulated scenario ended on its own. */
  readonly ended: Promise<void>;
  /** Call `onProgress` with the latest picture. */
  report(): void;
  /** Fetch the tick loop's timing figures for the bridge's metrics (real time). */
  refreshLoopTiming(): void;
  /** Stop everything (SAFE to the launchers, on the clock), close the outputs, summarise. */
  finish(interrupted: boolean): Promise<RunResult>;
}

/** Set up and start a bench run (see {@link BenchRun}); `runBench` drives it to the end. */
export async function startBenchRun(options: RunBenchOptions): Promise<BenchRun> {
  const log = options.log ?? (() => undefined);
  const { config, configHash } = options.loaded;
  const scenarioFile =
    options.scenarioFile ?? (config.scenario === undefined ? undefined : options.loaded.resolvePath(config.scenario));
  if (scenarioFile === undefined) throw new Error('no scenario: give --scenario or set scenario in the config');
  const scenarioText = await readFile(scenarioFile);
  const scenario = options.scenario ?? (await loadScenario(scenarioFile));
  const durationS = Math.min(options.durationS ?? scenario.durationS, scenario.durationS);
  const clock: Clock = options.virtualTime ? (options.clock ?? new VirtualClock()) : new RealClock();
  const wallStartNs = process.hrtime.bigint();
  const wallClock = options.virtualTime
    ? () => VIRTUAL_WALL_EPOCH_MS + clock.nowUs() / 1000
    : // Anchored at start: a system clock step (NTP, date set by hand) cannot move command freshness.
      (await import('../time/anchored-wall-clock.js')).anchoredWallClock(clock);

  const devices = await openBenchDevices(
    config,
    scenario,
    scenarioFile,
    clock,
    options.truthFile,
    commandIdStateFile(options.loaded.resolvePath(config.output.dir), config.node.id),
  );
  const sidecars = await openRunSidecars({
    clock,
    wallClock,
    nodeId: config.node.id,
    links: () => devices.capturedLinks(),
    ...(options.captureFile === undefined ? {} : { captureFile: options.captureFile }),
    ...(options.mqttLogFile === undefined ? {} : { mqttLogFile: options.mqttLogFile }),
  });
  const asterixRadarIds = [...(config.devices.asterixRadars ?? []), ...(config.devices.nmeaRadars ?? [])].map(
    (radar) => radar.id,
  );
  const controlConfig = controlConfigFor(
    config,
    [
      ...devices.radars.keys(),
      ...asterixRadarIds,
      ...(options.extraRadarIds ?? []),
      // A node process sharing over its broker takes its partners' tracks as feeds (process-joint.ts).
      ...(options.broker === 'none' ? [] : partnerFeedIdsOf(config.sharing)),
    ],
    devices.hostLaunchers,
    devices.commandIds,
    {
      defendedAssets: scenario.defendedAssets,
      doctrine: scenario.doctrine,
      assignmentOverride: options.doctrine,
      firingOverride: options.firing,
    },
  );
  const handlerData: ControlTickHandlerData = { config: controlConfig };
  // In virtual time the handler runs on this thread: its outputs reach the session by reference.
  const sameThread = options.virtualTime ? new SameThreadChannel() : undefined;
  const loop: TickLoop = options.virtualTime
    ? await VirtualTickDriver.start({
        clock,
        handler: await controlTickHandler({ ...handlerData, sameThread }),
        periodUs: controlConfig.tickPeriodUs,
      })
    : await RealtimeLoop.start({
        handlerModule: siblingModuleUrl('../session/control-tick-handler.js', import.meta.url),
        handlerData,
        periodUs: controlConfig.tickPeriodUs,
        clock,
        ...(config.control.tickFifoPriority === undefined ? {} : { fifoPriority: config.control.tickFifoPriority }),
      });

  let recorder: RunRecorder | undefined;
  if (options.recordFile !== undefined) {
    await mkdir(dirname(options.recordFile), { recursive: true });
    recorder = RunRecorder.create(options.recordFile, {
      kind: 'manifest',
      format: RUN_FILE_FORMAT,
      softwareVersion: await softwareVersion(),
      configHash,
      scenario: { name: basename(scenarioFile), sha256: createHash('sha256').update(scenarioText).digest('hex') },
      seed: scenario.seed,
      clockMode: clock.kind,
      tickPeriodUs: controlConfig.tickPeriodUs,
      coreConfig: controlConfig,
    });
  }

  const ledgerFile =
    options.ledgerFile !== undefined
      ? options.ledgerFile
      : options.recordFile === undefined
        ? null
        : options.recordFile.replace(/\.run$/, '') + '.ledger';
  const ledgerFeed = new LedgerFeed(config.node.id, clock);
  const ledger =
    ledgerFile === null
      ? undefined
      : await DecisionLedger.open({
          file: ledgerFile,
          keysDir: join(
            options.recordFile === undefined
              ? options.loaded.resolvePath(config.output.dir)
              : dirname(options.recordFile),
            'keys',
          ),
          nodeId: config.node.id,
          configHash,
          scenario: basename(scenarioFile),
          seed: scenario.seed,
          controlConfig,
          nowUs: () => clock.nowUs(),
          wallClock,
          site: config.site,
          onLine: (line) => {
            ledgerFeed.line(line);
            options.onLedgerLine?.(line);
          },
        });
  const auditSink = {
    record: (entry: unknown) => {
      recorder?.recordAudit(clock.nowUs(), entry);
      ledger?.recordAudit(clock.nowUs(), entry);
    },
  };

  const bootId = bootIdFor(config.node.id, scenario.seed, options.virtualTime);
  // A full disk (or any write error of the run file) ends the run like an interrupt does.
  const stopRequest = Promise.race([
    options.interrupt ?? new Promise<void>(() => undefined),
    recorder === undefined ? new Promise<void>(() => undefined) : recorder.failure.then(() => undefined),
  ]);
  // The authorized command path: simulated operators' keys plus any configured key files.
  const operatorIds = [...new Set(scenario.operatorCommands.flatMap((c) => c.operators))].sort();
  const configured =
    config.auth.keysDir === undefined
      ? new OperatorKeyring()
      : await OperatorKeyring.load({
          directory: options.loaded.resolvePath(config.auth.keysDir),
          allowLegacyHmac: config.auth.legacyHmac === true,
        }).catch((error: Error) => {
          log(`operator keys not loaded (${error.message}); scripted operators only`);
          return new OperatorKeyring();
        });
  // Simulated operators' keys derive from the scenario seed: they sign scripted commands only
  // and are never accepted from the network (the bridge gets the configured keys alone).
  const signers = operatorIds.map((op) => simulatedOperatorKey(scenario.seed, op));
  const keyring = new OperatorKeyring([
    ...configured.keyIds().map((id) => configured.get(id)!),
    ...signers.map((key) => key.public),
  ]);

  const executorHolder: { executor?: SessionCommandExecutor } = {};
  const authorizations: AuthorizationInterval[] = [];
  let currentAuth: { fromUs: number; status: 'tight' | 'free' } | undefined;
  const path = new OperatorCommandPath({
    nodeId: config.node.id,
    clock,
    wallClock,
    keyring,
    signers,
    executor: {
      execute: (command, progress) => executorHolder.executor!.execute(command, progress),
    },
    audit: auditSink,
    bootId,
    onResult: (result) => {
      log(
        `command ${result.id} ${result.verb ?? ''}: ${result.status}${'reason' in result && result.reason ? ` (${String(result.reason)})` : ''}`,
      );
    },
  });
  const scripted = new ScriptedOperators(clock, path, [...devices.launchers.keys()], log);
  let latestIntercepts = 0;
  let loopTiming: Record<string, number> = {};
  let latestPicture: { tracks: number; engagements: number; wcs: string; launchers: readonly LauncherSnapshot[] } = {
    tracks: 0,
    engagements: 0,
    wcs: 'hold',
    launchers: [],
  };
  const pictureSettings = pictureQualitySettings(scenario.pictureQuality);
  const pictureSampler = new PictureSampler(pictureSettings.samplePeriodS * 1e6);
  const threatSampler = new ThreatAccuracySampler();
  const internalObserver: SessionObserver = {
    onSnapshot: (snapshot) => {
      scripted.onSnapshot(snapshot);
      pictureSampler.add(snapshot);
      threatSampler.add(snapshot);
      latestPicture = {
        tracks: snapshot.tracks.length,
        engagements: snapshot.engagements.length,
        wcs: snapshot.weaponsControlStatus,
        launchers: snapshot.launchers,
      };
    },
    onBusyTick: (record) => {
      executorHolder.executor?.onBusyTick(record);
      for (const event of record.events) {
        if (event.kind === 'weapons-control') {
          // Authorization truth: the status the authenticated path set, with its interval.
          if (currentAuth !== undefined) authorizations.push({ ...currentAuth, toUs: event.atUs });
          currentAuth = event.to === 'hold' ? undefined : { fromUs: event.atUs, status: event.to };
        } else if (
          event.kind === 'engagement' &&
          event.transition === 'intercept-assessed' &&
          event.result === 'kill'
        ) {
          latestIntercepts++;
        }
      }
    },
  };
  const session = new HilSession({
    clock,
    radars: devices.radars,
    launchers: devices.launchers,
    loop,
    ...(recorder === undefined ? {} : { recorder }),
    ...(sameThread === undefined ? {} : { sameThread }),
    observers: [internalObserver, ...(ledger === undefined ? [] : [ledger]), ...(options.observers ?? [])],
    log,
  });
  // Simulated ASTERIX radars reach the host over the memory link in virtual time (lockstep,
  // deterministic), over loopback UDP in real time.
  const asterixRadars = createAsterixRadars(
    config,
    clock,
    wallClock,
    session.inputs,
    log,
    options.virtualTime ? 'memory' : 'udp',
  );
  executorHolder.executor = new SessionCommandExecutor(
    session.inputs,
    devices.radars,
    devices.launchers,
    () => clock.nowUs(),
    devices.commandIds.allocateOperatorId,
  );

  const publisher = new BridgePublisher({
    birth: {
      softwareVersion: await softwareVersion(),
      configHash,
      startedAt: new Date(wallClock()).toISOString(),
      devices: [
        ...[...devices.radars.keys()].map((deviceId) => ({ deviceId, kind: 'radar' })),
        ...[...devices.launchers.keys()].map((deviceId) => ({ deviceId, kind: 'launcher' })),
      ],
    },
    radars: devices.radars,
    launchers: devices.launchers,
    simulated: devices.placement !== 'hardware',
    assets: assetsWithDefendedPoints(controlConfig.defendedAssets, controlConfig.defendedPoints),
    // Weapons control status (0 hold, 1 tight, 2 free) and tick timing on `metrics`, for the display.
    loopFigures: () => ({ weaponsControlStatus: ['hold', 'tight', 'free'].indexOf(latestPicture.wcs), ...loopTiming }),
    // In virtual time the live picture goes out at most VIRTUAL_PICTURE_HZ per wall second.
    ...(options.virtualTime ? { forwardSnapshot: intervalGate(new RealClock(), 1e6 / VIRTUAL_PICTURE_HZ) } : {}),
  });
  session.addObserver(publisher);
  const nmeaRadars = createNmeaRadars(config, clock, session.inputs, log);
  const cat062 = await openCat062Feed(config, clock, wallClock, devices.placement !== 'hardware');
  if (cat062 !== undefined) session.addObserver(cat062.output);
  const intents = options.broker === 'none' ? undefined : intentChannelOf(config.sharing);
  const bridge: RunningBridge | undefined = await startBridge({
    config,
    ...(options.broker === undefined ? {} : { brokerOverride: options.broker }),
    clock,
    wallClock,
    keyring: configured,
    executor: executorHolder.executor,
    audit: auditSink,
    publisher,
    // The spool lives beside the recording (one per run directory, never shared by two runs).
    outputDir:
      options.recordFile === undefined ? options.loaded.resolvePath(config.output.dir) : dirname(options.recordFile),
    bootId,
    log,
    persistReplayCache: !options.virtualTime,
    resolvePath: (path) => options.loaded.resolvePath(path),
    ...(sidecars.onPublish === undefined ? {} : { onPublish: sidecars.onPublish }),
    ledgerFeed,
    ...(intents === undefined ? {} : { partnerTopics: intents }),
  });
  if (bridge === undefined) ledgerFeed.stop();
  if (bridge !== undefined) options.onBridge?.(bridge);

  const startUs = clock.nowUs();
  await asterixRadars.start();
  await nmeaRadars.start();
  await devices.attachAsterix((id) => asterixRadars.feed(id));
  await devices.start();
  await session.start();
  const sky = await startSharedSkyOf(config.simulator.sharedSky, devices.world, clock, log);
  const processJoint: ProcessJoint | undefined =
    bridge?.sharing === undefined || config.sharing === undefined
      ? undefined
      : startProcessJoint({
          nodeId: config.node.id,
          site: config.site,
          clock,
          wallClock,
          nodeKey: bridge.nodeKey,
          sharing: config.sharing,
          sharingLink: bridge.sharing,
          radars: radarAccuracyOf(scenario.radars),
          emit: (input) => session.inputs.emit(input),
          nextSeq: (sourceId) => session.inputs.nextSeq(sourceId),
          addObserver: (observer) => session.addObserver(observer),
          log,
          ...(intents === undefined
            ? {}
            : {
                coordination: {
                  channel: intents,
                  partnerKeys: bridge.partnerKeys,
                  bootId,
                  killProbability: controlConfig.doctrine.killProbability,
                },
              }),
        });
  // Real time: the scenario's operator commands count from when every link is up (bounded).
  let scriptStartUs = startUs;
  if (clock.kind === 'real') {
    const links = await waitForLinks(
      clock,
      new Map<string, { readonly linkState: string }>([...devices.radars, ...devices.launchers]),
      15_000_000,
    );
    if (links.notActive.length > 0) log(`links not active after 15 s: ${links.notActive.join(', ')}`);
    scriptStartUs = links.atUs;
  }
  scripted.schedule(scenario.operatorCommands, scriptStartUs);

  const endUs = startUs + durationS * 1e6;
  const report = (): void =>
    options.onProgress?.({
      simulatedS: (clock.nowUs() - startUs) / 1e6,
      durationS,
      tracks: latestPicture.tracks,
      engagements: latestPicture.engagements,
      intercepts: latestIntercepts,
      weaponsControlStatus: latestPicture.wcs,
      launchersReady: latestPicture.launchers.filter((l) => l.ready).length,
      launchers: latestPicture.launchers.length,
      notReady: latestPicture.launchers.filter((l) => !l.ready).map((l) => notReadyText(l)),
    });
  const refreshLoopTiming = (): void => {
    void loop
      .metrics()
      .then((m) => {
        loopTiming = {
          tickLatenessP99Us: Math.round(m.latenessUs.p99),
          tickLatenessMaxUs: Math.round(m.latenessUs.max),
          overruns: m.overruns,
          missedTicks: m.missedTicks,
        };
      })
      .catch(() => undefined);
  };
  const finish = async (interrupted: boolean): Promise<RunResult> => {
    scripted.cancel();
    const linkCounters: Record<string, unknown> = {};
    for (const [id, device] of [...devices.radars, ...devices.launchers]) linkCounters[id] = device.counters();
    Object.assign(linkCounters, asterixRadars.counters(), nmeaRadars.counters());
    if (cat062 !== undefined) linkCounters['cat062'] = cat062.counters();
    if (currentAuth !== undefined) authorizations.push({ ...currentAuth, toUs: Number.MAX_SAFE_INTEGER });
    // Stopping sends SAFE to every launcher and waits for the ACKs: in virtual time the clock has
    // to keep running while it does (bounded: the drivers give up after their retransmits).
    session.statistics.readiness.freeze(clock.nowUs());
    processJoint?.stop();
    await sky?.stop();
    if (sky !== undefined) linkCounters['sharedSky'] = { ...sky.counters };
    if (processJoint !== undefined) linkCounters['joint'] = processJoint.counters();
    if (processJoint?.coordination() != null) linkCounters['coordination'] = processJoint.coordination();
    const unsettled: string[] = [];
    const loopMetrics = await whileClockRuns(clock, session.stop(), 'the session', unsettled);
    asterixRadars.stop();
    cat062?.close();
    await nmeaRadars.stop();
    await whileClockRuns(clock, devices.stop(), 'the devices', unsettled);
    publisher.flush();
    // Closed before the bridge stops, so its final head goes out with the bridge.
    const ledgerSummary = ledger === undefined ? undefined : await ledger.close();
    if (bridge !== undefined) await whileClockRuns(clock, bridge.stop(), 'the bridge', unsettled);
    // The ledger's live feed: lines published, dropped (broker away too long, or left at the stop), failed.
    if (bridge !== undefined && ledger !== undefined) linkCounters['ledger-feed'] = ledgerFeed.counters;
    await sidecars.close();
    const simulatedS = (clock.nowUs() - startUs) / 1e6;
    const wallS = Number(process.hrtime.bigint() - wallStartNs) / 1e9;

    const lite = {
      simulatedS: Math.min(simulatedS, durationS),
      firesPlanned: session.statistics.fires.size,
      engagements: session.statistics.engagementResults,
    };
    const outputsSha256 = recorder === undefined ? null : await recorder.close(lite);
    if (unsettled.length > 0) throw new RunStopError(unsettled);
    const recordingSha256 =
      options.recordFile === undefined
        ? null
        : createHash('sha256')
            .update(await readFile(options.recordFile))
            .digest('hex');
    if (options.truthFile !== undefined) {
      await mkdir(dirname(options.truthFile), { recursive: true });
      await devices.writeTruth(options.truthFile);
    }
    const truthRecords = (await devices.truthRecords()) ?? [];
    const picture =
      devices.placement === 'hardware'
        ? null
        : runPictureQuality(
            pictureSampler.samples(),
            truthRecords as readonly TruthTargetSample[],
            devices.truthEpochHostUs,
            pictureSettings,
            pictureSampler.truncated,
          );
    const summary = summarizeRun({
      scenario: scenario.name ?? basename(scenarioFile),
      seed: scenario.seed,
      clockMode: clock.kind,
      simulatedS: Math.min(simulatedS, durationS),
      wallS,
      truth: truthRecords as SummaryTruthRecord[],
      pictureQuality: picture?.summary ?? null,
      truthAvailable: devices.placement !== 'hardware',
      launchErrorBasis: devices.placement === 'in-process' ? 'host-plan' : 'launcher-clock',
      statistics: session.statistics,
      launchers: devices.hostLaunchers.map((l) => ({ position: l.model.position, envelope: l.model.envelope })),
      assets: controlConfig.defendedAssets,
      threatAccuracy:
        picture === null
          ? null
          : threatAccuracy(threatSampler.samples(), truthRecords as never, devices.truthEpochHostUs),
      authorizations,
      recordingSha256,
      outputsSha256,
      truthEpochHostUs: devices.truthEpochHostUs,
    });
    return {
      summary,
      loopMetrics,
      recordFile: options.recordFile,
      truthFile: options.truthFile,
      scenario,
      scenarioFile,
      controlConfig,
      interrupted,
      linkCounters,
      truthEpochHostUs: devices.truthEpochHostUs,
      pictureQualitySeries: picture?.series ?? [],
      ledger: ledgerSummary,
    };
  };
  return {
    clock,
    startUs,
    endUs,
    durationS,
    scenario,
    controlConfig,
    session,
    world: devices.world,
    truthEpochHostUs: devices.truthEpochHostUs,
    stopRequest,
    ended: devices.ended,
    report,
    refreshLoopTiming,
    finish,
  };
}

/**
 * Await `work`; on a VirtualClock keep advancing time (up to 5 s) until it settles. Work that has
 * not settled by then is named in `unsettled` (the run then ends with RunStopError, never
 * hanging or exiting 0) and undefined is returned.
 */
async function whileClockRuns<T>(
  clock: Clock,
  work: Promise<T>,
  what: string,
  unsettled: string[],
): Promise<T | undefined> {
  if (!(clock instanceof VirtualClock)) return work;
  let settled = false;
  const tracked = work.finally(() => {
    settled = true;
  });
  await clock.runUntilCondition(() => settled, clock.nowUs() + STOP_SETTLE_US);
  // Parts that wait on the network (the bridge and its broker) settle in wall time, not virtual:
  // give them a bounded wall-clock grace before the stop is declared unsettled.
  if (!settled) await wallGrace(tracked, STOP_WALL_GRACE_US);
  if (!settled) {
    tracked.catch(() => undefined);
    unsettled.push(what);
    return undefined;
  }
  return tracked;
}

/** Wall time a stopping part still busy after its virtual window gets (network round trips). */
const STOP_WALL_GRACE_US = 10_000_000;

/** Resolves when `work` settles or `limitUs` of wall time has passed, whichever is first. */
function wallGrace(work: Promise<unknown>, limitUs: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = new RealClock().setTimer(limitUs, resolve);
    work.then(
      () => {
        timer.cancel();
        resolve();
      },
      () => {
        timer.cancel();
        resolve();
      },
    );
  });
}

/** `launcher-2 time-sync-out-of-bound (±4.1 ms > 3.3 ms)`: a launcher's first failing condition. */
function notReadyText(l: LauncherSnapshot): string {
  const reason = l.notReadyReasons[0] ?? 'unknown';
  if (reason !== 'time-sync-out-of-bound') return `${l.launcherId} ${reason}`;
  const sync = l.syncUncertaintyUs === null ? 'no sync' : `±${(l.syncUncertaintyUs / 1000).toFixed(1)} ms`;
  return `${l.launcherId} ${reason} (${sync} > ${(l.syncBudgetUs / 1000).toFixed(1)} ms)`;
}
