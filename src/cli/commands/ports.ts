import { parseArgs } from 'node:util';
import { type SerialPortInfo, listSerialPorts } from '../../transport/list-serial-ports.js';
import { type Command, EXIT_OK, UsageError } from '../command.js';

const HELP = `Usage: shieldlink ports [--json]

List the serial ports of this machine with what identifies the adapter behind each: USB
vendor and product id, serial number, manufacturer, and the stable /dev/serial/by-id path.
Put the by-id path in bench configs: it survives re-plugging, /dev/ttyUSBn does not.

Options:
  --json    one JSON array: [{"path","byIdPath","vendorId","productId","serialNumber","manufacturer"}]
            (absent facts are null)

Examples:
  shieldlink ports
  shieldlink ports --json | jq -r '.[] | select(.vendorId=="0403") | .byIdPath'

Exit codes: 0 listed (possibly none), 2 bad option, 3 the ports could not be listed.`;

const COLUMNS = ['PATH', 'VID:PID', 'SERIAL', 'MANUFACTURER', 'BY-ID'] as const;

/** `shieldlink ports`, listing through `list` (tests pass a fake). */
export function createPortsCommand(list: () => Promise<SerialPortInfo[]> = listSerialPorts): Command {
  return {
    path: ['ports'],
    summary: 'list serial ports with USB ids, serial numbers and by-id paths',
    help: HELP,
    async run(args, io) {
      let json = false;
      try {
        json =
          parseArgs({ args, options: { json: { type: 'boolean' } }, allowPositionals: false }).values.json === true;
      } catch (error) {
        throw new UsageError(error instanceof Error ? error.message : String(error));
      }
      const ports = await list();
      if (json) {
        const rows = ports.map((p) => ({
          path: p.path,
          byIdPath: p.byIdPath ?? null,
          vendorId: p.vendorId ?? null,
          productId: p.productId ?? null,
          serialNumber: p.serialNumber ?? null,
          manufacturer: p.manufacturer ?? null,
        }));
        io.stdout.write(JSON.stringify(rows) + '\n');
        return EXIT_OK;
      }
      if (ports.length === 0) {
        io.stdout.write('No serial ports found (USB serial adapters appear as /dev/ttyUSB* or /dev/ttyACM*).\n');
        return EXIT_OK;
      }
      io.stdout.write(formatTable(ports.map(toCells)));
      return EXIT_OK;
    },
  };
}

export const portsCommand: Command = createPortsCommand();

function toCells(port: SerialPortInfo): string[] {
  const ids =
    port.vendorId === undefined && port.productId === undefined
      ? '-'
      : `${port.vendorId ?? '?'}:${port.productId ?? '?'}`;
  return [port.path, ids, port.serialNumber ?? '-', port.manufacturer ?? '-', port.byIdPath ?? '-'];
}

function formatTable(rows: string[][]): string {
  const all = [[...COLUMNS], ...rows];
  const widths = COLUMNS.map((_, i) => Math.max(...all.map((row) => row[i]!.length)));
  return (
    all
      .map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  '))
      .join('\n') + '\n'
  );
}
