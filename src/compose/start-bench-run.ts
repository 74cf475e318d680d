import { createHash } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { loadScenario } from '../config/load-scenario.js';
import { pictureQualitySettings } from '../config/scenario-picture-quality-schema.js';
import { assetsWithDefendedPoints } from '../control/index.js';
import { BridgePublisher } from '../session/bridge-publisher.js';
import { HilSession } from '../session/hil-session.js';
import { SessionCommandExecutor } from '../session/session-command-executor.js';
import type { Clock } from '../time/clock.js';
import { intervalGate } from '../time/interval-gate.js';
import { RealClock } from '../time/real-clock.js';
import { VirtualClock } from '../time/virtual-clock.js';
import { createAsterixRadars } from './asterix-radars.js';
import { openBenchDevices } from './bench-devices.js';
import { bootIdFor } from './boot-id.js';
import { openCat062Feed } from './cat062-feed.js';
import { controlConfigFor } from './control-config-for.js';
import { createNmeaRadars } from './nmea-radars.js';
import { openRunOutputs } from './open-run-outputs.js';
import {
  type ProcessJoint,
  intentChannelOf,
  partnerFeedIdsOf,
  radarAccuracyOf,
  startProcessJoint,
} from './process-joint.js';
import type { BenchRun, RunBenchOptions, RunResult } from './run-bench-types.js';
import { VIRTUAL_PICTURE_HZ, VIRTUAL_WALL_EPOCH_MS } from './run-bench-types.js';
import { openRunOperators } from './run-operators.js';
import { openRunSidecars } from './run-sidecars.js';
import { RunStopError } from './run-stop-error.js';
import { RunWatch } from './run-watch.js';
import { scoreBenchRun } from './score-bench-run.js';
import { commandIdStateFile } from './session-command-ids.js';
import { startSharedSkyOf } from './shared-sky.js';
import { softwareVersion } from './software-version.js';
import { type RunningBridge, startBridge } from './start-bridge.js';
import { startRunTickLoop } from './start-run-tick-loop.js';
import { waitForLinks } from './wait-for-links.js';
import { whileClockRuns } from './while-clock-runs.js';

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
  const { loop, sameThread } = await startRunTickLoop(
    options.virtualTime,
    clock,
    controlConfig,
    config.control.tickFifoPriority,
  );
  const {
    recorder,
    ledger,
    ledgerFeed,
    audit: auditSink,
  } = await openRunOutputs({
    loaded: options.loaded,
    scenario,
    scenarioFile,
    scenarioText,
    controlConfig,
    clock,
    wallClock,
    recordFile: options.recordFile,
    ledgerFile: options.ledgerFile,
    onLedgerLine: options.onLedgerLine,
  });

  const bootId = bootIdFor(config.node.id, scenario.seed, options.virtualTime);
  // A full disk (or any write error of the run file) ends the run like an interrupt does.
  const stopRequest = Promise.race([
    options.interrupt ?? new Promise<void>(() => undefined),
    recorder === undefined ? new Promise<void>(() => undefined) : recorder.failure.then(() => undefined),
  ]);
  const operators = await openRunOperators({
    config,
    scenario,
    clock,
    wallClock,
    resolvePath: (path) => options.loaded.resolvePath(path),
    audit: auditSink,
    bootId,
    launcherIds: [...devices.launchers.keys()],
    log,
  });
  let loopTiming: Record<string, number> = {};
  const pictureSettings = pictureQualitySettings(scenario.pictureQuality);
  const watch = new RunWatch(operators.scripted, pictureSettings.samplePeriodS * 1e6);
  const session = new HilSession({
    clock,
    radars: devices.radars,
    launchers: devices.launchers,
    loop,
    ...(recorder === undefined ? {} : { recorder }),
    ...(sameThread === undefined ? {} : { sameThread }),
    observers: [watch, ...(ledger === undefined ? [] : [ledger]), ...(options.observers ?? [])],
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
  const executor = new SessionCommandExecutor(
    session.inputs,
    devices.radars,
    devices.launchers,
    () => clock.nowUs(),
    devices.commandIds.allocateOperatorId,
  );
  watch.executor = executor;
  operators.setExecutor(executor);

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
    loopFigures: () => ({ weaponsControlStatus: watch.weaponsControlIndex(), ...loopTiming }),
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
    keyring: operators.configured,
    executor,
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
  operators.scripted.schedule(scenario.operatorCommands, scriptStartUs);

  const endUs = startUs + durationS * 1e6;
  const report = (): void => options.onProgress?.(watch.progress((clock.nowUs() - startUs) / 1e6, durationS));
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
    operators.scripted.cancel();
    const linkCounters: Record<string, unknown> = {};
    for (const [id, device] of [...devices.radars, ...devices.launchers]) linkCounters[id] = device.counters();
    Object.assign(linkCounters, asterixRadars.counters(), nmeaRadars.counters());
    if (cat062 !== undefined) linkCounters['cat062'] = cat062.counters();
    watch.closeAuthorizations();
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
    const { summary, series } = await scoreBenchRun(devices, watch, {
      scenario: scenario.name ?? basename(scenarioFile),
      seed: scenario.seed,
      clockMode: clock.kind,
      simulatedS: Math.min(simulatedS, durationS),
      wallS,
      statistics: session.statistics,
      assets: controlConfig.defendedAssets,
      pictureSettings,
      recordingSha256,
      outputsSha256,
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
      pictureQualitySeries: series,
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
