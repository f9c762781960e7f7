import { logger } from '../logger';
import { CATCHUP_LIMIT, changesAfter, type Change } from '../services/chat/change-feed.service';
import { Semaphore } from '../utils/semaphore';
import type { AppSocket } from './types';
import { toChatMessage } from './wire';

/**
 * At most this many replays query the database at once; the rest wait their turn (a
 * reconnect storm queues instead of exhausting the pool).
 */
const replays = new Semaphore(4);

const CHANGE_EVENTS = new Set(['message:new', 'message:updated', 'message:deleted']);

/** The (id, seq) of an outgoing change event, to skip replaying what arrived live meanwhile. */
function liveChange(event: string, args: unknown[]): { id: number; seq: number } | undefined {
  const [first] = args;
  if (!CHANGE_EVENTS.has(event) || typeof first !== 'object' || first === null || !('id' in first) || !('seq' in first)) return undefined;
  return typeof first.id === 'number' && typeof first.seq === 'number' ? { id: first.id, seq: first.seq } : undefined;
}

function emitChange(socket: AppSocket, change: Change): void {
  if (change.kind === 'deleted') socket.emit('message:deleted', change.deleted);
  else socket.emit(change.kind === 'new' ? 'message:new' : 'message:updated', toChatMessage(change.message));
}

/**
 * Replays the changes of `rooms` with a seq above `offset` (at most CATCHUP_LIMIT), in seq
 * order: `message:new`, `message:updated` or `message:deleted`, then `catchup:done`. The
 * socket already receives live events, so a change that arrived live during the replay
 * (same message, same or newer seq) is not sent again. On a database error `catchup:done`
 * says `more: true` so the client tries again.
 */
export async function replayMissed(socket: AppSocket, rooms: string[] | (() => Promise<string[]>), offset: number): Promise<void> {
  const seenLive = new Map<number, number>();
  const watch = (event: string, ...args: unknown[]) => {
    const live = liveChange(event, args);
    if (live) seenLive.set(live.id, Math.max(live.seq, seenLive.get(live.id) ?? 0));
  };
  socket.onAnyOutgoing(watch);
  let names: string[] = [];
  try {
    const missed = await replays.run(async () => {
      names = typeof rooms === 'function' ? await rooms() : rooms;
      return changesAfter(names, offset, socket.data.userId, CATCHUP_LIMIT + 1);
    });
    const batch = missed.slice(0, CATCHUP_LIMIT);
    socket.offAnyOutgoing(watch);
    const unsent = batch.filter((c) => (seenLive.get(c.kind === 'deleted' ? c.deleted.id : c.message.id) ?? 0) < c.seq);
    for (const change of unsent) emitChange(socket, change);
    socket.emit('catchup:done', { rooms: names, count: unsent.length, lastId: batch.at(-1)?.seq ?? null, more: missed.length > CATCHUP_LIMIT });
  } catch (err) {
    socket.offAnyOutgoing(watch);
    logger.warn({ err, userId: socket.data.userId }, 'catch-up replay failed');
    socket.emit('catchup:done', { rooms: names, count: 0, lastId: null, more: true });
  }
}
