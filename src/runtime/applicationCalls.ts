/**
 * How each network application of a step draws random numbers (dropout masks) and updates
 * running statistics (batch norm). A node's value is computed once per step, but a later
 * optimizer's gradient tape may need it computed again: the recomputation must then be the same
 * call, not a new one, for the step to be the reference's.
 */
import type { Random } from './data/random';
import type { NetworkCall } from './networks';

export class ApplicationCalls {
  /** Updates applied to each network so far, to tell a replayed application from a new call. */
  private readonly networkVersions = new Map<string, number>();
  /** The first computation of each network application node since `forgetCalls`. */
  private readonly applications = new Map<string, { version: number; seeds: number[] }>();

  constructor(private readonly random: () => Random) {}

  /** A call of its own: fresh random numbers, running statistics updated. */
  fresh(): NetworkCall {
    return { seed: () => this.random().int(2 ** 31), updatesState: true };
  }

  /**
   * The call of a network application node. Recomputed only for a later optimizer's gradient
   * tape, with its network's weights unchanged since, it replays its first computation (the same
   * dropout masks, running statistics updated once): the reference computes it once per step.
   * After its network was updated it is a new call, as the reference calls D again on the same
   * fakes after D's step.
   */
  of(nodeId: string, network: string): NetworkCall {
    const version = this.networkVersions.get(network) ?? 0;
    const first = this.applications.get(nodeId);
    if (first && first.version === version) {
      let next = 0;
      return {
        seed: () => first.seeds[next++] ?? this.random().int(2 ** 31),
        updatesState: false,
      };
    }
    const seeds: number[] = [];
    this.applications.set(nodeId, { version, seeds });
    return {
      seed: () => {
        const seed = this.random().int(2 ** 31);
        seeds.push(seed);
        return seed;
      },
      updatesState: true,
    };
  }

  /** The networks' weights changed: their applications from now on are new calls. */
  updated(networks: readonly string[]): void {
    for (const net of networks) {
      this.networkVersions.set(net, (this.networkVersions.get(net) ?? 0) + 1);
    }
  }

  /** A new batch (a new step, or an n_critic repeat): nothing computed so far is replayed. */
  forgetCalls(): void {
    this.applications.clear();
  }
}
