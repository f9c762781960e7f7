import { performance } from 'node:perf_hooks';
import { logger } from '../logger';
import {
  beatInstance,
  markOffline,
  markOnlineMany,
  reapStaleInstances,
  releaseHolder,
  retireInstance,
  type PresenceChange,
} from '../services/presence/presence.service';
import { Batcher } from '../utils/batcher';
import type { PresenceEvent } from './events';
import type { AppServer } from './types';
import { toPresenceEvent, userRoom } from './wire';

/** How long presence announcements may hold the event loop before handshakes get a turn. */
const ANNOUNCE_SLICE_MS = 20;

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
  private readonly announcements: { event: PresenceEvent; sent: () => void }[] = [];
  private readonly queues = new Map<number, Promise<void>>();
  private beatTimer: NodeJS.Timeout | undefined;
  private stopping = false;
  /** A markOnline failed (database down): the next heartbeat marks this instance's users again. */
  private remarkOnBeat = false;
  /** Users who connected in the same moment are marked `on` by one transaction. */
  private readonly onlineBatch: Batcher<number, PresenceChange | null>;

  constructor(
    private readonly io: AppServer,
    private readonly options: PresenceOptions,
  ) {
    this.onlineBatch = new Batcher(
      async (userIds) => {
        const changes = await markOnlineMany(userIds, options.instanceId);
        return new Map(changes.map((c) => [c.UserId, c]));
      },
      null,
      { maxBatch: 1000, concurrency: 2 },
    );
  }

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
        // Waits for the announcement to be written: only then may the socket's messages go out.
        await this.announce(await this.onlineBatch.get(userId));
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
      for (const change of await retireInstance(this.options.instanceId)) void this.announce(change);
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
      else await this.announce(await markOffline(userId, this.options.instanceId));
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
      for (const change of await reapStaleInstances(this.options.staleMs)) void this.announce(change);
    } catch (err) {
      logger.warn({ err }, 'presence: heartbeat failed');
    }
  }

  /**
   * Every announcement goes to every socket of the cluster, so a storm of n users coming
   * on costs n × n deliveries. They are sent in order, at most ANNOUNCE_SLICE_MS of them at a
   * time before yielding, so handshakes keep being served while a backlog drains. Resolves
   * once this announcement has been emitted.
   */
  private announce(change: PresenceChange | null): Promise<void> {
    if (!change) return Promise.resolve();
    logger.debug({ userId: change.UserId, status: change.status }, 'presence changed');
    return new Promise((sent) => {
      this.announcements.push({ event: toPresenceEvent(change), sent });
      if (this.announcements.length === 1) this.drainAnnouncements();
    });
  }

  private drainAnnouncements(): void {
    const started = performance.now();
    // What queues for a socket behind its first write leaves in one write (write-coalescing.ts).
    while (this.announcements.length > 0 && performance.now() - started < ANNOUNCE_SLICE_MS) {
      const next = this.announcements.shift();
      if (!next) break;
      this.io.emit('presence', next.event);
      next.sent();
    }
    if (this.announcements.length > 0) setImmediate(() => this.drainAnnouncements());
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
