import { logger } from '../logger';
import { dmMembers } from '../services/chat/chat-room.service';
import { blockerRooms } from './block-filter';
import type { ServerToClientEvents } from './events';
import type { AppServer, AppSocket } from './types';
import { userRoom } from './wire';

/** The events that go to a room's audience; each passes through `broadcastToRoom`. */
export type RoomEvent = 'message:new' | 'message:updated' | 'message:deleted' | 'typing';

/**
 * Who hears a room: a `dm:` room's two members on every socket of theirs, on every
 * instance, without joining (their private user rooms); any other room its members.
 */
export function audienceOf(room: string): string[] {
  const members = dmMembers(room);
  return members ? members.map(userRoom) : [room];
}

/** What a user who blocks the sender does not receive (§7); a delete still reaches everyone. */
const BLOCKABLE: ReadonlySet<RoomEvent> = new Set(['message:new', 'message:updated', 'typing']);

/**
 * The one way an event reaches a room. From a socket, that socket is left out (it has the
 * ack, or it is the one typing); from the server (a REST change), every member hears it.
 * `senderId` is the user the event is about: the users who block them are left out, on
 * every instance (the adapter carries the `except` rooms), at one cached look-up a broadcast.
 * The event is already committed: if the block look-up fails, it is not sent live and the
 * clients get it through catch-up.
 */
export async function broadcastToRoom<E extends RoomEvent>(
  from: AppServer | AppSocket,
  room: string,
  event: E,
  payload: Parameters<ServerToClientEvents[E]>[0],
  senderId: number | null,
): Promise<void> {
  logger.trace({ room, event, senderId }, 'broadcast');
  try {
    const skip = BLOCKABLE.has(event) && senderId !== null ? await blockerRooms(senderId) : [];
    from
      .to(audienceOf(room))
      .except(skip)
      .emit(event, ...([payload] as Parameters<ServerToClientEvents[E]>));
  } catch (err) {
    logger.warn({ err, room, event }, 'broadcast skipped: block list unavailable');
  }
}
