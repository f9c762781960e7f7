import { logger } from '../logger';
import { CATCHUP_LIMIT, messagesAfter } from '../services/chat.service';
import type { AppSocket } from './types';
import { toChatMessage } from './wire';

function liveMessageId(event: string, args: unknown[]): number | undefined {
  const [first] = args;
  if (event !== 'message:new' || typeof first !== 'object' || first === null || !('id' in first)) return undefined;
  return typeof first.id === 'number' ? first.id : undefined;
}

/**
 * Replays, as `message:new` in id order, the messages of `rooms` with an id above `offset`
 * (at most CATCHUP_LIMIT), then `catchup:done`. The socket is already in the rooms, so a
 * message committed during the replay arrives live; those are not sent a second time.
 * On a database error `catchup:done` says `more: true` so the client pages over REST.
 */
export async function replayMissed(socket: AppSocket, rooms: string[], offset: number): Promise<void> {
  const sentLive = new Set<number>();
  const watch = (event: string, ...args: unknown[]) => {
    const id = liveMessageId(event, args);
    if (id !== undefined) sentLive.add(id);
  };
  socket.onAnyOutgoing(watch);
  try {
    const missed = await messagesAfter(rooms, offset, socket.data.userId, CATCHUP_LIMIT + 1);
    const batch = missed.slice(0, CATCHUP_LIMIT);
    socket.offAnyOutgoing(watch);
    const unsent = batch.filter((m) => !sentLive.has(m.id));
    for (const message of unsent) socket.emit('message:new', toChatMessage(message));
    socket.emit('catchup:done', { rooms, count: unsent.length, lastId: batch.at(-1)?.id ?? null, more: missed.length > CATCHUP_LIMIT });
  } catch (err) {
    socket.offAnyOutgoing(watch);
    logger.warn({ err, userId: socket.data.userId }, 'catch-up replay failed');
    socket.emit('catchup:done', { rooms, count: 0, lastId: null, more: true });
  }
}
