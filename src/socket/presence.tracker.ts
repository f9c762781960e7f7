import { logger } from '../logger';
import {
  beatInstance,
  markOffline,
  markOnline,
  reapStaleInstances,
  releaseHolder,
  retireInstance,
  type PresenceChange,
} from '../services/presence.service';
import type { AppServer } from './types';
import { toPresenceEvent, userRoom } from './wire';

export interface PresenceOptions {
  /** This instance's id in SocketInstances / PresenceHolders. */
  instanceId: string;
  /** How long after a user's last socket closes they go `off`. */
  graceMs: number;
  /** How often this instance refreshes its heartbeat and reaps crashed instances. */
  heartbeatMs: number;
  /** An instance whose heartbeat is older than this is considered crashed. */
  staleMs: number;
}

/**
 * Presence as seen from one instance. Database work for one user runs one job at a time
 * (a per-user queue) so a connect and a grace-period expiry never interleave here; across
 * instances the row locks in presence.service do the same. Announcements are broadcast to
 * every client of the cluster and only made by the statement that flipped the row.
 */
export class PresenceTracker {
  private readonly offTimers = new Map<number, NodeJS.Timeout>();
  private readonly queues = new Map<number, Promise<void>>();
  private beatTimer: NodeJS.Timeout | undefined;
  private stopping = false;
  /** A markOnline failed (database down): the next heartbeat marks this instance's users again. */
  private remarkOnBeat = false;

  constructor(
    private readonly io: AppServer,
    private readonly options: PresenceOptions,
  ) {}

  /** Registers the instance and reaps crashed ones, now and every heartbeat. */
  async start(): Promise<void> {
    await this.beat();
    this.beatTimer = setInterval(() => void this.beat(), this.options.heartbeatMs);
  }

  /**
   * A socket of the user is ready on this instance. Resolves (never rejects) once their
   * status is settled and, if this made them `on`, announced.
   */
  connected(userId: number): Promise<void> {
    if (this.stopping) return Promise.resolve();
    this.cancelOff(userId);
    return this.enqueue(userId, async () => {
      if (this.stopping) return;
      if (!this.hasLocal(userId)) return this.scheduleOff(userId);
      try {
        this.announce(await markOnline(userId, this.options.instanceId));
      } catch (err) {
        this.remarkOnBeat = true;
        throw err;
      }
    });
  }

  /** A socket of the user closed; if it was their last one here, decide after the grace period. */
  disconnected(userId: number): void {
    if (this.stopping || this.hasLocal(userId)) return;
    this.scheduleOff(userId);
  }

  /** Stops timers and hands this instance's users over: `off` now unless another instance has them. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearInterval(this.beatTimer);
    for (const timer of this.offTimers.values()) clearTimeout(timer);
    this.offTimers.clear();
    await Promise.allSettled([...this.queues.values()]);
    try {
      for (const change of await retireInstance(this.options.instanceId)) this.announce(change);
    } catch (err) {
      logger.warn({ err }, 'presence: could not retire this instance; the reaper of another one will');
    }
  }

  private hasLocal(userId: number): boolean {
    return (this.io.of('/').adapter.rooms.get(userRoom(userId))?.size ?? 0) > 0;
  }

  private localUsers(): Set<number> {
    return new Set([...this.io.of('/').sockets.values()].map((s) => s.data.userId));
  }

  private cancelOff(userId: number): void {
    clearTimeout(this.offTimers.get(userId));
    this.offTimers.delete(userId);
  }

  private scheduleOff(userId: number): void {
    this.cancelOff(userId);
    const timer = setTimeout(() => {
      this.offTimers.delete(userId);
      void this.enqueue(userId, () => this.settle(userId));
    }, this.options.graceMs);
    this.offTimers.set(userId, timer);
  }

  /** The grace period is over: is the user still connected anywhere in the cluster? */
  private async settle(userId: number): Promise<void> {
    if (this.stopping || this.hasLocal(userId)) return;
    let elsewhere = false;
    try {
      elsewhere = (await this.io.in(userRoom(userId)).fetchSockets()).length > 0;
    } catch (err) {
      // An instance did not answer in time: the holders in the database still decide.
      logger.warn({ err, userId }, 'presence: cluster-wide socket check failed');
    }
    if (this.stopping || this.hasLocal(userId)) return;
    try {
      if (elsewhere) await releaseHolder(userId, this.options.instanceId);
      else this.announce(await markOffline(userId, this.options.instanceId));
    } catch (err) {
      this.scheduleOff(userId);
      throw err;
    }
  }

  private async beat(): Promise<void> {
    try {
      const rejoined = await beatInstance(this.options.instanceId);
      if (rejoined || this.remarkOnBeat) {
        this.remarkOnBeat = false;
        for (const userId of this.localUsers()) void this.connected(userId);
      }
      for (const change of await reapStaleInstances(this.options.staleMs)) this.announce(change);
    } catch (err) {
      logger.warn({ err }, 'presence: heartbeat failed');
    }
  }

  private announce(change: PresenceChange | null): void {
    if (!change) return;
    logger.debug({ userId: change.UserId, status: change.status }, 'presence changed');
    this.io.emit('presence', toPresenceEvent(change));
  }

  private enqueue(userId: number, job: () => Promise<void>): Promise<void> {
    const previous = this.queues.get(userId) ?? Promise.resolve();
    const next = previous.then(job).catch((err: unknown) => logger.error({ err, userId }, 'presence: update failed'));
    this.queues.set(userId, next);
    void next.then(() => {
      if (this.queues.get(userId) === next) this.queues.delete(userId);
    });
    return next;
  }
}
