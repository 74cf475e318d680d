/**
 * An NMEA radar's serial link names its line rate, 4800 (NMEA 0183) or 38400 baud (NMEA
 * 0183-HS): the serial transport's default (921,600 baud) would read only garbage from a talker,
 * so a config without it, or with another rate, is refused with the field named.
 */
import t from 'tap';
import { benchConfigSchema } from '../../src/config/bench-config-schema.js';
import { NMEA_BAUDS, nmeaLinkProblem } from '../../src/nmea/index.js';

const radar = {
  id: 'arpa-1',
  protocol: 'nmea-ttm',
  position: { eastM: 0, northM: 0, upM: 10 },
  accuracy: { rangeSigmaM: 30, bearingSigmaDeg: 0.5, velocitySigmaMps: 1 },
};

function linkIssues(link: string): string[] {
  const parsed = benchConfigSchema.safeParse({ node: { id: 'n' }, devices: { nmeaRadars: [{ ...radar, link }] } });
  return parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}

t.test('4800 and 38400 baud serial links, and links without a line rate, are taken', async (t) => {
  t.same(NMEA_BAUDS, [4800, 38400]);
  for (const link of [
    'serial:/dev/ttyUSB0?baud=4800',
    'serial:/dev/ttyUSB0?baud=38400',
    'serial:/dev/ttyUSB0?lock=0&baud=38400',
    'tcp://10.0.0.6:4001',
  ]) {
    t.same(linkIssues(link), [], link);
    t.equal(nmeaLinkProblem(link), undefined, link);
  }
});

t.test('a serial link without a rate, or at another rate, is refused', async (t) => {
  for (const link of ['serial:/dev/ttyUSB0', 'serial:/dev/ttyUSB0?baud=9600', 'serial:/dev/ttyUSB0?baud=480']) {
    t.match(linkIssues(link), [/devices.nmeaRadars.0.link: expected \?baud=4800 .* or \?baud=38400/], link);
    t.match(nmeaLinkProblem(link), /needs \?baud=4800 \(NMEA 0183\) or \?baud=38400 \(NMEA 0183-HS\)/, link);
  }
});
