import { AppError } from '../errors';
import { logger } from '../logger';
import { assertRoomExists } from '../services/message.service';
import { failure, parsePayload, splitArgs } from './ack';
import { replayMissed } from './catchup';
import type { Ack, RoomName } from './events';
import { joinRoom, leaveRoom } from './payload.schemas';
import type { AppSocket } from './types';

type RoomReply = (r: Ack<{ room: RoomName }>) => void;

/** The rooms a socket joined itself: not its own id, `global`, its user or session room. */
function joinedRoomCount(socket: AppSocket): number {
  let count = 0;
  for (const room of socket.rooms) if (room.startsWith('car:') || room.startsWith('dm:')) count += 1;
  return count;
}

async function join(socket: AppSocket, maxRooms: number, raw: unknown, reply: RoomReply): Promise<void> {
  try {
    const { room, offset } = parsePayload(joinRoom, raw);
    // Before any database work: a socket at the cap costs nothing more however often it asks.
    if (!socket.rooms.has(room) && room !== 'global' && joinedRoomCount(socket) >= maxRooms) {
      logger.info({ socketId: socket.id, userId: socket.data.userId, limit: maxRooms }, 'room:join refused: SOCKET_MAX_ROOMS reached');
      throw AppError.forbidden(`At most ${maxRooms} rooms at once: leave one first`);
    }
    await assertRoomExists(room);
    await socket.join(room);
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

/** `room:join` / `room:leave` `{ room }` with an ack; a car room needs its car to exist; at most `maxRooms` joined. */
export function registerRoomHandlers(socket: AppSocket, maxRooms: number): void {
  socket.on('room:join', (payload: unknown, ack: unknown) => {
    const args = splitArgs(payload, ack);
    void join(socket, maxRooms, args.payload, args.reply);
  });
  socket.on('room:leave', (payload: unknown, ack: unknown) => {
    const args = splitArgs(payload, ack);
    void leave(socket, args.payload, args.reply);
  });
}
