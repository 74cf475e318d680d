/** How one simulated device is reached (the `--link DEVICE=SPEC` option of `shieldlink sim`). */
export type LinkSpec =
  /** A fresh PTY pair (socat): the device holds one end, the host opens the other. */
  | { readonly kind: 'pty' }
  /** A TCP listener the host connects to, as to a serial device server. */
  | { readonly kind: 'tcp-listen'; readonly host: string; readonly port: number }
  /** Any transport URL (`serial:/dev/ttyS1`, `tcp-listen://…`, …) the device end opens. */
  | { readonly kind: 'url'; readonly url: string };

/** A link spec that cannot be parsed. */
export class LinkSpecError extends Error {
  readonly code = 'bad-link-spec';
  constructor(message: string) {
    super(message);
    this.name = 'LinkSpecError';
  }
}

/**
 * Parse `DEVICE=SPEC`, SPEC one of `pty`, `tcp:PORT`, `tcp:HOST:PORT` (listen), or a transport
 * URL (`serial:/dev/…`, `tcp-listen://HOST:PORT`).
 */
export function parseLinkOption(option: string): { deviceId: string; spec: LinkSpec } {
  const eq = option.indexOf('=');
  if (eq <= 0 || eq === option.length - 1) {
    throw new LinkSpecError(`--link ${option}: expected DEVICE=SPEC, e.g. radar-1=tcp:4001`);
  }
  const deviceId = option.slice(0, eq);
  const text = option.slice(eq + 1);
  if (text === 'pty') return { deviceId, spec: { kind: 'pty' } };
  const tcp = /^tcp:(?:(?<host>[^:/]+):)?(?<port>\d+)$/.exec(text);
  if (tcp !== null) {
    const port = Number(tcp.groups!['port']);
    if (port > 65535) throw new LinkSpecError(`--link ${option}: port ${port} is not in 0..65535`);
    return { deviceId, spec: { kind: 'tcp-listen', host: tcp.groups!['host'] ?? '127.0.0.1', port } };
  }
  if (/^(serial:|tcp-listen:\/\/|tcp:\/\/)/.test(text)) return { deviceId, spec: { kind: 'url', url: text } };
  throw new LinkSpecError(
    `--link ${option}: SPEC must be pty, tcp:PORT, tcp:HOST:PORT, serial:/dev/… or tcp-listen://HOST:PORT`,
  );
}
