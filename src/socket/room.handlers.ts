import { AppError } from '../errors';
import { logger } from '../logger';
import { assertRoomAccess, isDmRoom } from '../services/chat/chat-room.service';
import { markRead } from '../services/chat/read-marker.service';
import { failure, parsePayload, splitArgs } from './ack';
import { replayMissed } from './catchup';
import type { Ack, RoomName } from './events';
import { joinRoom, leaveRoom, readRoom } from './payload.schemas';
import type { AppSocket } from './types';

type RoomReply = (r: Ack<{ room: RoomName }>) => void;

/** The rooms a socket joined itself: not its own id, `global`, its user or session room. */
function joinedRoomCount(socket: AppSocket): number {
  let count = 0;
  for (const room of socket.rooms) if (room.startsWith('car:') || room.startsWith('dm:')) count += 1;
  return count;
}

/**
 * A car room needs its car; a `dm:` room is only checked (its members hear it on every
 * socket without joining), so joining one serves to replay it with an offset.
 */
async function join(socket: AppSocket, maxRooms: number, raw: unknown, reply: RoomReply): Promise<void> {
  try {
    const { room, offset } = parsePayload(joinRoom, raw);
    // Before any database work: a socket at the cap costs nothing more however often it asks.
    if (!socket.rooms.has(room) && room !== 'global' && joinedRoomCount(socket) >= maxRooms) {
      logger.info({ socketId: socket.id, userId: socket.data.userId, limit: maxRooms }, 'room:join refused: SOCKET_MAX_ROOMS reached');
      throw AppError.forbidden(`At most ${maxRooms} rooms at once: leave one first`);
    }
    await assertRoomAccess(room, socket.data.userId);
    if (!isDmRoom(room)) await socket.join(room);
    reply({ ok: true, room });
    if (offset !== undefined) await replayMissed(socket, [room], offset);
  } catch (err) {
    reply(failure(err, { event: 'room:join', userId: socket.data.userId }));
  }
}

async function leave(socket: AppSocket, raw: unknown, reply: RoomReply): Promise<void> {
  try {
    const { room } = parsePayload(leaveRoom, raw);
    await socket.leave(room);
    reply({ ok: true, room });
  } catch (err) {
    reply(failure(err, { event: 'room:leave', userId: socket.data.userId }));
  }
}

/** `room:read { room, id }`: moves the user's stored marker forward; acks the unread count after it. */
async function read(socket: AppSocket, raw: unknown, reply: (r: Ack<{ room: RoomName; unread: number }>) => void): Promise<void> {
  try {
    const { room, id } = parsePayload(readRoom, raw);
    reply({ ok: true, room, unread: await markRead(socket.data.userId, room, id) });
  } catch (err) {
    reply(failure(err, { event: 'room:read', userId: socket.data.userId }));
  }
}

/** `room:join` / `room:leave` / `room:read` with an ack; at most `maxRooms` joined. */
export function registerRoomHandlers(socket: AppSocket, maxRooms: number): void {
  socket.on('room:join', (payload: unknown, ack: unknown) => {
    const args = splitArgs(payload, ack);
    void join(socket, maxRooms, args.payload, args.reply);
  });
  socket.on('room:leave', (payload: unknown, ack: unknown) => {
    const args = splitArgs(payload, ack);
    void leave(socket, args.payload, args.reply);
  });
  socket.on('room:read', (payload: unknown, ack: unknown) => {
    const args = splitArgs(payload, ack);
    void read(socket, args.payload, args.reply);
  });
}
