import type { Command } from './command.js';
import { configCheckCommand } from './commands/config-check.js';
import { framesDecodeCommand } from './commands/frames-decode.js';
import { framesEncodeCommand } from './commands/frames-encode.js';
import { portsCommand } from './commands/ports.js';

/** Every subcommand, in the order `--help` lists them. Add new commands here. */
export const COMMANDS: readonly Command[] = [
  configCheckCommand,
  framesDecodeCommand,
  framesEncodeCommand,
  portsCommand,
];
