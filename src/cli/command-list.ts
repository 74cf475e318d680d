import type { Command } from './command.js';
import { asterixDecodeCommand } from './commands/asterix-decode.js';
import { benchCommand } from './commands/bench.js';
import { campaignCommand } from './commands/campaign.js';
import { cmdCommand } from './commands/cmd.js';
import { compareTrackersCommand } from './commands/compare-trackers.js';
import { configCheckCommand } from './commands/config-check.js';
import { conformanceCommand } from './commands/conformance.js';
import { displayCommand } from './commands/display.js';
import { framesDecodeCommand } from './commands/frames-decode.js';
import { framesEncodeCommand } from './commands/frames-encode.js';
import { keygenCommand } from './commands/keygen.js';
import { portsCommand } from './commands/ports.js';
import { proxyCommand } from './commands/proxy.js';
import { replayCommand } from './commands/replay.js';
import { reportCommand } from './commands/report.js';
import { runCommand } from './commands/run.js';
import { schemaCommand } from './commands/schema.js';
import { simCommand } from './commands/sim.js';
import { captureCommand } from './commands/capture.js';
import { exportCommand } from './commands/export.js';
import { importCommand } from './commands/import.js';
import { wiresharkDissectorCommand } from './commands/wireshark-dissector.js';
import { workerCommand } from './commands/worker.js';
import { verifyCommand } from './commands/verify.js';

/** Every subcommand, in the order `--help` lists them. Add new commands here. */
export const COMMANDS: readonly Command[] = [
  runCommand,
  compareTrackersCommand,
  campaignCommand,
  workerCommand,
  replayCommand,
  verifyCommand,
  exportCommand,
  importCommand,
  reportCommand,
  cmdCommand,
  displayCommand,
  configCheckCommand,
  conformanceCommand,
  framesDecodeCommand,
  framesEncodeCommand,
  asterixDecodeCommand,
  wiresharkDissectorCommand,
  keygenCommand,
  portsCommand,
  proxyCommand,
  captureCommand,
  schemaCommand,
  simCommand,
  benchCommand,
];
