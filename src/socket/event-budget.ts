import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { logger } from '../logger';
import type { AckFailure } from './events';
import type { AppSocket } from './types';

/** Over budget, an event with an ack gets `RATE_LIMITED`; a fire-and-forget one (`typing`) is dropped. */
export type OverBudget = 'ack' | 'drop';

/**
 * A per-socket budget for the events named in `events`, each counted on its own:
 * `perSecond` of each per socket and second (SOCKET_EVENTS_PER_SECOND). Adding an event is
 * one entry: `eventBudget({ 'room:join': 'ack', typing: 'drop' }, 10)`. It runs as the
 * socket's first middleware, so an event over budget costs no parsing and no database work.
 */
export function eventBudget(events: Readonly<Record<string, OverBudget>>, perSecond: number) {
  const limiter = new RateLimiterMemory({ keyPrefix: 'socket-event', points: perSecond, duration: 1 });

  const refuse = (socket: AppSocket, event: string, args: unknown[], res: RateLimiterRes) => {
    // One line per socket, event and second, however hard it floods.
    if (res.consumedPoints === perSecond + 1) {
      logger.warn({ socketId: socket.id, userId: socket.data.userId, event, limit: perSecond }, 'socket event refused: over its budget');
    }
    const ack = args.at(-1);
    if (events[event] !== 'ack' || typeof ack !== 'function') return;
    const failure: AckFailure = { ok: false, error: { code: 'RATE_LIMITED', message: `At most ${perSecond} ${event} per second` } };
    (ack as (reply: AckFailure) => void)(failure);
  };

  return (socket: AppSocket): void => {
    socket.use((packet, next) => {
      const [event, ...args] = packet;
      if (typeof event !== 'string' || !Object.hasOwn(events, event)) {
        next();
        return;
      }
      limiter.consume(`${socket.id}:${event}`).then(
        () => next(),
        (res: unknown) => {
          if (res instanceof RateLimiterRes) refuse(socket, event, args, res);
          else next(res instanceof Error ? res : new Error(String(res)));
        },
      );
    });
  };
}
