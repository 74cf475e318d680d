import type { ScenarioRadar } from '../../src/config/scenario-schema.js';
import type { RADAR_MODES } from '../../src/protocol/catalogue/radar-messages.js';
import type { MessageBody } from '../../src/protocol/message-types.js';
import { BehaviourChain } from '../behaviours/behaviour.js';
import { GATE_BEHAVIOURS, SESSION_BEHAVIOURS } from '../behaviours/common-behaviours.js';
import { SimulatedDevice, type SimulatedDeviceOptions } from '../device/simulated-device.js';
import { startPeriodic } from '../periodic-timer.js';
import { Prng } from '../prng.js';
import type { World } from '../world/world.js';
import { RADAR_BEHAVIOURS } from './radar-behaviours.js';
import { RadarScanner } from './radar-scanner.js';

export type RadarMode = (typeof RADAR_MODES)[number];

/** Options of {@link SimulatedRadar}. */
export interface SimulatedRadarOptions extends SimulatedDeviceOptions {
  readonly spec: ScenarioRadar;
  readonly world: World;
}

/**
 * Radar controller firmware: HEARTBEAT from power-on, RADAR_STATUS every 100 ms and on every
 * mode change (ICD-RDR-001), RADAR_SET_MODE (ICD-RDR-002), and in search mode one scan per scan
 * period with TRACK_REPORT / TRACK_DROP (ICD-RDR-003/004); leaving search drops every track
 * with mode-change (ICD-RDR-005).
 */
export class SimulatedRadar extends SimulatedDevice<SimulatedRadar> {
  readonly kind = 'radar' as const;
  readonly spec: ScenarioRadar;
  readonly behaviours: BehaviourChain<SimulatedRadar>;
  readonly scanner: RadarScanner;
  private currentMode: RadarMode;
  /** Scans performed in search mode. */
  scans = 0;

  constructor(options: SimulatedRadarOptions) {
    super(options);
    this.spec = options.spec;
    this.currentMode = options.spec.initialMode;
    this.scanner = new RadarScanner(options.spec, options.world, {
      detection: new Prng(options.seed, `${options.id}/detection`),
      noise: new Prng(options.seed, `${options.id}/noise`),
      falseAlarms: new Prng(options.seed, `${options.id}/false-alarms`),
      ...(options.spec.trackFaults === undefined
        ? {}
        : { trackFaults: new Prng(options.seed, `${options.id}/track-faults`) }),
    });
    this.behaviours = new BehaviourChain<SimulatedRadar>([
      ...GATE_BEHAVIOURS,
      ...RADAR_BEHAVIOURS,
      ...SESSION_BEHAVIOURS,
    ]);
  }

  get mode(): RadarMode {
    return this.currentMode;
  }

  /** Change mode: status at once (ICD-RDR-001); leaving search drops every track (ICD-RDR-005). */
  setMode(mode: RadarMode): void {
    if (mode === this.currentMode) return;
    const leavingSearch = this.currentMode === 'search';
    this.currentMode = mode;
    if (leavingSearch) {
      for (const drop of this.scanner.dropAll(this.deviceClock.nowUs(), 'mode-change')) this.send(drop);
    }
    this.sendStatus();
  }

  protected override onPowerOn(): void {
    const periodUs = this.spec.scanPeriodMs * 1000;
    this.timers.hold(
      startPeriodic(this.clock, this.clock.nowUs() + periodUs, periodUs, () => {
        this.scan();
        return this.syncOnlyIfPaced();
      }),
    );
  }

  protected statusMessage(deviceUs: number): MessageBody {
    return {
      type: 'RADAR_STATUS',
      deviceTimeUs: deviceUs,
      mode: this.currentMode,
      health: 'ok',
      activeTracks: Math.min(0xffff, this.scanner.activeTracks),
      scanPeriodUs: Math.round(this.spec.scanPeriodMs * 1000),
      maxRangeM: this.spec.maxRangeM,
      lastCommandId: this.lastCommandId,
    };
  }

  /** One scan: only in search mode (ICD-RDR-003). Measurement time = the scan instant, radar clock. */
  private scan(): void {
    if (this.currentMode !== 'search') return;
    this.scans++;
    for (const message of this.scanner.scan(this.clock.nowUs(), this.deviceClock.nowUs())) this.send(message);
  }
}
