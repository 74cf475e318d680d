import type { BenchConfig } from '../config/bench-config-schema.js';
import type { ConfigIssue } from '../config/config-error.js';
import { parseTransportUrl } from '../transport/index.js';

/**
 * The link checks `run` applies before it opens anything, for `config check` too: every device
 * link parses as a transport URL the run can open (scheme, path, port, baud, options), none is a
 * `memory:` link (those exist only inside one test process), and no two devices share a link
 * (the same serial path, or the same TCP host and port): one controller would get two drivers.
 */
export function benchLinkIssues(config: BenchConfig): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const used = new Map<string, string>();
  const devices = [
    ...config.devices.radars.map((d, i) => ({ where: `devices.radars[${i}].link`, link: d.link })),
    ...config.devices.launchers.map((d, i) => ({ where: `devices.launchers[${i}].link`, link: d.link })),
    ...(config.devices.nmeaRadars ?? []).map((d, i) => ({ where: `devices.nmeaRadars[${i}].link`, link: d.link })),
  ];
  for (const { where, link } of devices) {
    let key: string;
    try {
      const url = parseTransportUrl(link);
      if (url.kind === 'memory') {
        issues.push({ path: where, message: 'memory: links exist only inside one process; use serial: or tcp://' });
        continue;
      }
      key = url.kind === 'serial' ? `serial:${url.path}` : `tcp:${url.host.toLowerCase()}:${url.port}`;
    } catch (error) {
      issues.push({ path: where, message: (error as Error).message });
      continue;
    }
    const first = used.get(key);
    if (first !== undefined)
      issues.push({ path: where, message: `the same link as ${first}: two devices on one link` });
    else used.set(key, where);
  }
  return issues;
}
