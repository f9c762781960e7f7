import { logger } from '../logger';
import { dmMembers } from '../services/chat-room.service';
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

/**
 * The one way an event reaches a room. From a socket, that socket is left out (it has the
 * ack, or it is the one typing); from the server (a REST change), every member hears it.
 * `senderId` is the user the event is about: per-recipient filters (blocks, §7) go here.
 */
export function broadcastToRoom<E extends RoomEvent>(
  from: AppServer | AppSocket,
  room: string,
  event: E,
  ...[payload, senderId]: [...Parameters<ServerToClientEvents[E]>, number | null]
): void {
  logger.trace({ room, event, senderId }, 'broadcast');
  from.to(audienceOf(room)).emit(event, ...([payload] as Parameters<ServerToClientEvents[E]>));
}
