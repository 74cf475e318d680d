import { parseArgs } from 'node:util';
import { renderDissector } from '../../wireshark/render-dissector.js';
import { type Command, EXIT_OK, UsageError } from '../command.js';

const HELP = `Usage: shieldlink wireshark-dissector > shieldlink.lua

Print the Wireshark dissector of the serial ICD, a Lua plug-in generated from this build's
message catalogue. It dissects the pcapng captures shieldlink writes (run, capture, frames
encode --pcapng, proxy --capture; link type 147, LINKTYPE_USER0): link and direction, the COBS
block, header fields (version, type, seq, flags), every payload field with its unit and enum
meaning, the CRC and its status, and the frame error the host's decoder would report. Filter
with shieldlink.* fields, e.g. shieldlink.crc.status == 0, shieldlink.error, shieldlink.track_report.trackId.

Install (Wireshark 3.6 or later): copy it into your personal Lua plug-ins folder
(Help > About Wireshark > Folders, "Personal Lua Plugins"; on Linux ~/.local/lib/wireshark/plugins/)
and restart Wireshark, or load it for one run:
  wireshark -X lua_script:shieldlink.lua runs/raid-50.pcapng
  tshark -X lua_script:shieldlink.lua -r runs/raid-50.pcapng -Y 'shieldlink.error'

Regenerate it whenever the catalogue changes (its header names the schema hash).

Exit codes: 0 written, 2 bad option.`;

export const wiresharkDissectorCommand: Command = {
  path: ['wireshark-dissector'],
  summary: 'print the Wireshark Lua dissector of the serial ICD (generated from the catalogue)',
  help: HELP,
  async run(args, io) {
    try {
      parseArgs({ args, options: {}, allowPositionals: false });
    } catch (error) {
      throw new UsageError(error instanceof Error ? error.message : String(error));
    }
    io.stdout.write(renderDissector());
    return EXIT_OK;
  },
};
