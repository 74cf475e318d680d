import type { Scenario } from '../config/scenario-schema.js';
import type { OperatorCommandPath } from '../session/operator-command-path.js';
import type { CoreSnapshot } from '../session/tick-record-codec.js';
import type { Clock, TimerHandle } from '../time/clock.js';

type ScriptedCommand = Scenario['operatorCommands'][number];

/**
 * Plays a scenario's operator commands at their scenario times through the authorized command
 * path (signed per operator, verified, two operators for FREE and ARM, audited). Commands that
 * name things by position (`engage`) or by launcher (`hold-fire`) are resolved against the
 * control core's latest picture at that time, as an operator pointing at a display would.
 */
export class ScriptedOperators {
  private readonly timers: TimerHandle[] = [];
  private picture: CoreSnapshot['snapshot'] | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly path: OperatorCommandPath,
    private readonly launcherIds: readonly string[],
    private readonly log: (line: string) => void,
  ) {}

  /** The session calls this with every core snapshot. */
  onSnapshot(snapshot: CoreSnapshot['snapshot']): void {
    this.picture = snapshot;
  }

  /** Schedule every command at `startUs + atS`. */
  schedule(commands: readonly ScriptedCommand[], startUs: number): void {
    commands.forEach((command, index) => {
      this.timers.push(this.clock.setTimerAt(startUs + command.atS * 1e6, () => this.play(command, index)));
    });
  }

  cancel(): void {
    for (const timer of this.timers) timer.cancel();
  }

  private play(command: ScriptedCommand, index: number): void {
    const id = command.requestId ?? `scenario-${index}`;
    const operators = command.operators;
    switch (command.command) {
      case 'set-weapons-status':
        this.path.submit({ id, verb: 'set-weapons-control', args: { status: command.value } }, operators);
        break;
      case 'arm':
        this.path.submit({ id, verb: 'arm', args: { launcherId: command.launcher } }, operators);
        break;
      case 'safe': {
        const launchers = command.launcher === undefined ? this.launcherIds : [command.launcher];
        launchers.forEach((launcherId, i) =>
          this.path.submit(
            { id: launchers.length === 1 ? id : `${id}-${i}`, verb: 'safe', args: { launcherId } },
            operators,
          ),
        );
        break;
      }
      case 'set-radar-mode':
        this.path.submit(
          { id, verb: 'set-radar-mode', args: { radarId: command.radar, mode: command.mode } },
          operators,
        );
        break;
      case 'engage': {
        const track = this.nearestTrack(command.position, command.radiusM ?? 2000);
        if (track === undefined) {
          this.log(`scripted engage ${id}: no host track within ${command.radiusM ?? 2000} m of the position`);
          return;
        }
        const args =
          command.launcher === undefined
            ? { trackId: String(track) }
            : { trackId: String(track), launcherId: command.launcher };
        this.path.submit({ id, verb: 'engage-track', args }, operators);
        break;
      }
      case 'hold-fire': {
        const engagements = (this.picture?.engagements ?? []).filter(
          (e) =>
            (e.state === 'planned' || e.state === 'fire-sent') &&
            (command.launcher === undefined || e.launcherId === command.launcher),
        );
        engagements.forEach((e, i) =>
          this.path.submit({ id: `${id}-${i}`, verb: 'hold-fire', args: { trackId: String(e.trackId) } }, operators),
        );
        break;
      }
    }
  }

  private nearestTrack(position: { eastM: number; northM: number; upM: number }, radiusM: number): number | undefined {
    let best: number | undefined;
    let bestM = radiusM;
    for (const track of this.picture?.tracks ?? []) {
      const d = Math.hypot(track.eastM - position.eastM, track.northM - position.northM, track.upM - position.upM);
      if (d <= bestM) {
        bestM = d;
        best = track.trackId;
      }
    }
    return best;
  }
}
