import { type Scenario, launcherModelOf } from '../config/scenario-schema.js';

/** Where a device stands, ENU metres from the node's reference point. */
export interface DisplayPosition {
  readonly eastM: number;
  readonly northM: number;
  readonly upM: number;
}

/**
 * The static picture of a bench that the MQTT topics do not carry: radar and launcher positions
 * and launcher envelopes. Served as `/layout.json` by the display server; the page draws the
 * plan view from it (and falls back to fitting the tracks when there is none).
 */
export interface DisplayLayout {
  readonly v: 1;
  readonly scenario: string | null;
  readonly radars: readonly { readonly id: string; readonly position: DisplayPosition; readonly maxRangeM: number }[];
  readonly launchers: readonly {
    readonly id: string;
    readonly position: DisplayPosition;
    readonly rounds: number;
    readonly envelope: { readonly minRangeM: number; readonly maxRangeM: number; readonly maxAltitudeM: number };
    readonly speedMps: number;
  }[];
}

/** The layout of a scenario's devices, with the launcher model the host's control core uses. */
export function layoutOfScenario(scenario: Scenario): DisplayLayout {
  return {
    v: 1,
    scenario: scenario.name ?? null,
    radars: scenario.radars.map((r) => ({ id: r.id, position: r.position, maxRangeM: r.maxRangeM })),
    launchers: scenario.launchers.map((l) => {
      const model = launcherModelOf(l);
      return {
        id: l.id,
        position: model.position,
        rounds: l.rounds,
        envelope: model.envelope,
        speedMps: model.flyout.speedMps,
      };
    }),
  };
}
