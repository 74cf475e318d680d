/**
 * The firmware simulator (docs/decisions/0006-firmware-simulator.md): a world and the firmware of the radar and launcher
 * controllers, speaking docs/protocol.md over any Transport. Imports src/protocol, src/framing,
 * src/transport, src/time and src/config only — never the host's devices or control.
 */
export {
  createSimulator,
  type Simulator,
  type SimulatorOptions,
  type SimulatedDeviceOverrides,
  type AnySimulatedDevice,
} from './simulator.js';
export { SimulatorError, ExpectTimeoutError, type SimulatorErrorCode } from './simulator-error.js';
export { memorySimLink, toSimLink, type SimLink, type SimLinkInput } from './link/sim-link.js';
export { SimulatedDevice, SIM_FIRMWARE_VERSION, type ReceivedHostMessage } from './device/simulated-device.js';
export { SimulatedRadar, type RadarMode } from './radar/radar-firmware.js';
export {
  SimulatedLauncher,
  type LauncherState,
  type WatchdogState,
  type AcceptedFire,
} from './launcher/launcher-firmware.js';
export {
  BehaviourChain,
  behaviour,
  type BehaviourContext,
  type DeviceBehaviour,
  type NakReason,
} from './behaviours/behaviour.js';
export * as commonBehaviours from './behaviours/common-behaviours.js';
export * as radarBehaviours from './radar/radar-behaviours.js';
export * as launcherBehaviours from './launcher/launcher-behaviours.js';
export { FaultController, type FaultHandle } from './faults/fault-controller.js';
export { LINK_LOSS_GRACE_US } from './faults/outage-tracker.js';
export { DeviceClock } from './device-clock.js';
export { Prng } from './prng.js';
export { World, SimTarget, type WorldTotals, type LaunchRequest } from './world/world.js';
export { GRAVITY_MPS2 } from './world/target-motion.js';
export { closestApproach } from './world/closest-approach.js';
export { MemoryTruthSink, JsonlTruthSink, NULL_TRUTH_SINK, type TruthSink } from './truth/truth-sink.js';
export type * from '../src/truth/truth-record.js';
