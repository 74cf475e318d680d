/**
 * The four timestamps of one NTP-style exchange (ICD-CMN-007), plus the line time of each
 * frame when the link's baud is known.
 */
export interface SyncExchange {
  /** Host time the request's first byte started on the line. */
  readonly t1Us: number;
  /** Device time at the end of reception of the request. */
  readonly t2Us: number;
  /** Device time at the start of transmission of the response. */
  readonly t3Us: number;
  /** Host time the response's last byte arrived. */
  readonly t4Us: number;
  /** Line time of the request frame host → device (0 when unknown / unpaced). */
  readonly requestLineUs: number;
  /** Line time of the response frame device → host (0 when unknown / unpaced). */
  readonly responseLineUs: number;
}

/** One offset measurement, with the interval that provably contains the true offset. */
export interface SyncSample {
  /** Host time the offset refers to (midpoint of the exchange, line times removed). */
  readonly hostUs: number;
  /** Measured device − host offset. */
  readonly offsetUs: number;
  /** Round-trip delay with both line times and the device's turnaround removed. */
  readonly rttUs: number;
  /** |measured − true offset at hostUs| <= halfWidthUs (see `syncSampleFrom`). */
  readonly halfWidthUs: number;
}

/** Error terms of a sample beyond the delay asymmetry. */
export interface SampleErrorModel {
  /** Resolution of the device timestamps (integer microseconds: 1). */
  readonly timestampResolutionUs: number;
  /** Largest drift assumed between the clocks, in ppm, for the time spans inside one exchange. */
  readonly maxDriftPpm: number;
  /**
   * Largest difference assumed between the two one-way latencies (line times excluded), if the
   * link is known to be that symmetric; Infinity (the default) assumes nothing, and the bound
   * is then rigorous whatever the delays.
   */
  readonly maxDelayAsymmetryUs?: number;
}

/**
 * Turn an exchange into an offset sample.
 *
 * Line times are different each way (the response is longer than the request), so they are
 * removed before the classic formula, which would otherwise be biased by half their difference:
 *   t1' = t1 + requestLine   (host time the request's last byte left)
 *   t4' = t4 − responseLine  (host time the response's first byte left the device)
 *   offset = ((t2 − t1') + (t3 − t4')) / 2,  rtt = (t4' − t1') − (t3 − t2).
 * What remains of the delay (latency each way, d↑ and d↓, both ≥ 0) biases the offset by
 * (d↑ − d↓)/2, at most rtt/2 in magnitude (or maxDelayAsymmetryUs/2 when the link is known to
 * be that symmetric). Add the timestamp resolution and the drift over the exchange and the true
 * offset at `hostUs` lies within ±halfWidthUs of the measurement.
 */
export function syncSampleFrom(exchange: SyncExchange, model: SampleErrorModel): SyncSample {
  const t1End = exchange.t1Us + exchange.requestLineUs;
  const t4Start = exchange.t4Us - exchange.responseLineUs;
  const turnaroundUs = exchange.t3Us - exchange.t2Us;
  const rttUs = t4Start - t1End - turnaroundUs;
  const offsetUs = (exchange.t2Us - t1End + (exchange.t3Us - t4Start)) / 2;
  const driftUs = ((Math.abs(turnaroundUs) + Math.abs(rttUs)) * model.maxDriftPpm) / 1e6;
  const asymmetryUs = Math.min(Math.max(rttUs, 0), model.maxDelayAsymmetryUs ?? Number.POSITIVE_INFINITY);
  const halfWidthUs = asymmetryUs / 2 + 2 * model.timestampResolutionUs + driftUs;
  return { hostUs: (t1End + t4Start) / 2, offsetUs, rttUs, halfWidthUs };
}
