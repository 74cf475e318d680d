/**
 * The line rates of NMEA 0183: 4800 baud (NMEA 0183) and 38400 baud (NMEA 0183-HS, what ARPA
 * radars use for target data). A serial link left at the transport's default (921,600 baud)
 * would read only garbage from an NMEA talker, so a serial link to one must name its rate.
 */

/** The baud rates an NMEA 0183 talker sends at. */
export const NMEA_BAUDS: readonly number[] = [4800, 38400];

/**
 * Why `link` is not usable for an NMEA 0183 talker, or undefined when it is: a `serial:` link
 * must carry `?baud=4800` or `?baud=38400`; other links (tcp, memory) have no line rate.
 */
export function nmeaLinkProblem(link: string): string | undefined {
  if (!link.startsWith('serial:')) return undefined;
  const query = link.includes('?') ? link.slice(link.indexOf('?') + 1) : '';
  const baud = new URLSearchParams(query).get('baud');
  if (baud !== null && NMEA_BAUDS.includes(Number(baud))) return undefined;
  return `${link}: an NMEA 0183 serial link needs ?baud=4800 (NMEA 0183) or ?baud=38400 (NMEA 0183-HS)${
    baud === null ? '' : `, not ${baud}`
  }`;
}
