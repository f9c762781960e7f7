import { AppError } from '../errors';
import { assertRoomExists } from '../services/message.service';
import { failure, parsePayload, splitArgs } from './ack';
import { replayMissed } from './catchup';
import type { Ack, RoomName } from './events';
import { joinRoom, leaveRoom } from './payload.schemas';
import type { AppSocket } from './types';

/** How many car rooms one socket may be in at once. */
export const MAX_CAR_ROOMS = 50;

type RoomReply = (r: Ack<{ room: RoomName }>) => void;

function carRoomCount(socket: AppSocket): number {
  return [...socket.rooms].filter((r) => r.startsWith('car:')).length;
}

async function join(socket: AppSocket, raw: unknown, reply: RoomReply): Promise<void> {
  try {
    const { room, offset } = parsePayload(joinRoom, raw);
    await assertRoomExists(room);
    if (!socket.rooms.has(room) && room !== 'global' && carRoomCount(socket) >= MAX_CAR_ROOMS) {
      throw AppError.validation([{ path: 'room', message: `At most ${MAX_CAR_ROOMS} car rooms at once`, location: 'body' }], 'Too many rooms');
    }
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

/** `room:join` / `room:leave` `{ room }` with an ack; a car room needs its car to exist. */
export function registerRoomHandlers(socket: AppSocket): void {
  socket.on('room:join', (payload: unknown, ack: unknown) => {
    const args = splitArgs(payload, ack);
    void join(socket, args.payload, args.reply);
  });
  socket.on('room:leave', (payload: unknown, ack: unknown) => {
    const args = splitArgs(payload, ack);
    void leave(socket, args.payload, args.reply);
  });
}
