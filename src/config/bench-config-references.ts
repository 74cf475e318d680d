/** One cross-reference problem: where (zod-style path) and why. */
export interface ReferenceIssue {
  readonly path: (string | number)[];
  readonly message: string;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

/**
 * Checks of a bench config that relate fields to each other: a simulated bench needs a scenario,
 * a hardware bench a device, simulated ASTERIX radars in the PTY placement a fixed UDP port, device ids are
 * unique, envelopes have minRangeM < maxRangeM. Works
 * on raw (unvalidated) data as well as on a validated config, reading only what has the right
 * type, so its issues are reported together with shape errors. Never throws.
 */
export function benchConfigReferenceIssues(data: unknown): ReferenceIssue[] {
  if (!isObject(data)) return [];
  const issues: ReferenceIssue[] = [];
  const simulator = isObject(data['simulator']) ? data['simulator'] : {};
  const devices = isObject(data['devices']) ? data['devices'] : {};
  const radars = list(devices['radars']);
  const launchers = list(devices['launchers']);
  const asterixRadars = list(devices['asterixRadars']);
  const nmeaRadars = list(devices['nmeaRadars']);
  if (simulator['enabled'] === true && data['scenario'] === undefined) {
    issues.push({ path: ['scenario'], message: 'a simulated bench needs a scenario' });
  }
  if (
    simulator['enabled'] !== true &&
    radars.length + launchers.length + asterixRadars.length + nmeaRadars.length === 0
  ) {
    issues.push({ path: ['devices'], message: 'a hardware bench needs at least one device' });
  }
  if (simulator['enabled'] === true && simulator['placement'] === 'pty') {
    // The simulator process is started before the host binds its sockets: it must know the port.
    asterixRadars.forEach((radar, i) => {
      const link = isObject(radar) ? radar['link'] : undefined;
      if (typeof link === 'string' && /^udp:\/\/[^/]*:0(?:[/?]|$)/.test(link))
        issues.push({
          path: ['devices', 'asterixRadars', i, 'link'],
          message:
            'a simulated ASTERIX radar in the PTY placement needs a fixed port (the simulator process sends to it)',
        });
    });
  }
  if (simulator['enabled'] === true && nmeaRadars.length > 0) {
    issues.push({
      path: ['devices', 'nmeaRadars'],
      message: 'NMEA radars are for hardware benches (simulator disabled)',
    });
  }
  const ids = [...radars, ...launchers, ...asterixRadars, ...nmeaRadars].map((d) =>
    isObject(d) && typeof d['id'] === 'string' ? d['id'] : undefined,
  );
  ids.forEach((id, i) => {
    if (id !== undefined && ids.indexOf(id) !== i)
      issues.push({ path: ['devices'], message: `duplicate device id ${id}` });
  });
  launchers.forEach((launcher, i) => {
    const model = isObject(launcher) && isObject(launcher['model']) ? launcher['model'] : {};
    const envelope = isObject(model['envelope']) ? model['envelope'] : {};
    const min = envelope['minRangeM'];
    const max = envelope['maxRangeM'];
    if (typeof min === 'number' && typeof max === 'number' && min >= max) {
      issues.push({
        path: ['devices', 'launchers', i, 'model', 'envelope', 'minRangeM'],
        message: 'expected minRangeM < maxRangeM',
      });
    }
    const flyout = isObject(model['flyout']) ? model['flyout'] : {};
    const speedMps = flyout['speedMps'];
    const maxFlightTimeS = model['maxFlightTimeS'];
    // Only between valid figures: a non-positive speed or flight time is already its own error.
    if (
      typeof max === 'number' &&
      typeof speedMps === 'number' &&
      typeof maxFlightTimeS === 'number' &&
      speedMps > 0 &&
      maxFlightTimeS > 0
    ) {
      const reachM = speedMps * maxFlightTimeS;
      if (max > reachM)
        issues.push({
          path: ['devices', 'launchers', i, 'model', 'envelope', 'maxRangeM'],
          message:
            `envelope.maxRangeM ${max} m is beyond what the interceptor can fly: flyout.speedMps × maxFlightTimeS = ` +
            `${speedMps} × ${maxFlightTimeS} = ${reachM} m`,
        });
    }
  });
  return issues;
}
