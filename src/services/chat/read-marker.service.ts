import { Op } from 'sequelize';
import { queryPrepared } from '../../db/prepared';
import { Favorite, Message } from '../../models';
import { assertRoomAccess, dmRoomsOf, GLOBAL_ROOM } from './chat-room.service';
import { toMessageView, WITH_AUTHOR, type MessageView } from './message.service';

/** Unread counts stop here: "999+" is all a badge shows, and the count stays bounded. */
export const MAX_UNREAD = 999;

/**
 * Messages of the room after the marker not written by the user, counted up to 1,000 by
 * an index-only scan of messages_room_live_id (room, id) INCLUDE (UserId) WHERE live.
 */
const unread = (r: string) => `(SELECT count(*)::int FROM (
    SELECT 1 FROM "Messages" m
     WHERE m."room" = ${r}."room" AND m."id" > ${r}."marker" AND m."deletedAt" IS NULL AND m."UserId" IS DISTINCT FROM $1
     LIMIT ${MAX_UNREAD + 1}) s)`;

/** The newest live message id of the room `r` names. */
const lastId = (r: string) => `(SELECT max(m."id") FROM "Messages" m WHERE m."room" = ${r}."room" AND m."deletedAt" IS NULL)`;

/**
 * Moves the user's read marker in `room` forward to `id` (never back, and never past the
 * room's newest message, so a made-up id cannot hide messages still to come); returns the
 * unread count after it. Stored, so every device of the user agrees.
 */
export async function markRead(userId: number, room: string, id: number): Promise<number> {
  await assertRoomAccess(room, userId);
  const [row] = await queryPrepared<{ unread: number }>(
    `WITH r AS (SELECT $2::varchar AS "room"),
     stored AS (
       INSERT INTO "RoomReads" ("UserId", "room", "lastReadId", "updatedAt")
       SELECT $1, r."room", LEAST($3::int, COALESCE(${lastId('r')}, 0)), now() FROM r
       ON CONFLICT ("UserId", "room") DO UPDATE
         SET "lastReadId" = GREATEST("RoomReads"."lastReadId", EXCLUDED."lastReadId"), "updatedAt" = now()
       RETURNING "room", "lastReadId" AS "marker")
     SELECT ${unread('stored')} AS "unread" FROM stored`,
    [userId, room, id],
  );
  return Math.min(row?.unread ?? 0, MAX_UNREAD);
}

export interface RoomSummary {
  room: string;
  unread: number;
  lastMessage: MessageView | null;
}

async function carRoomsOf(userId: number): Promise<string[]> {
  const favorites = await Favorite.findAll({ where: { UserId: userId }, attributes: ['CarId'], order: [['CarId', 'ASC']] });
  return favorites.map((f) => `car:${f.CarId}`);
}

/**
 * GET /socket/rooms: `global`, the car room of each favorite car, and each `dm:` room the
 * user belongs to, each with its unread count and newest message. One statement computes
 * every count and last id; one more reads those messages.
 */
export async function roomsOf(userId: number): Promise<RoomSummary[]> {
  const rooms = [GLOBAL_ROOM, ...(await carRoomsOf(userId)), ...(await dmRoomsOf(userId))];
  const stats = await queryPrepared<{ room: string; unread: number; lastId: number | null }>(
    `SELECT r."room", ${unread('r')} AS "unread", ${lastId('r')} AS "lastId"
       FROM (SELECT q."room", COALESCE(rr."lastReadId", 0) AS "marker"
               FROM unnest($2::varchar[]) AS q("room")
               LEFT JOIN "RoomReads" rr ON rr."UserId" = $1 AND rr."room" = q."room") r`,
    [userId, rooms],
  );
  const lastIds = stats.flatMap((s) => (s.lastId === null ? [] : [s.lastId]));
  const messages = await Message.findAll({ where: { id: { [Op.in]: lastIds } }, ...WITH_AUTHOR });
  const byId = new Map(messages.map((m) => [m.id, toMessageView(m)]));
  const byRoom = new Map(stats.map((s) => [s.room, s]));
  return rooms.map((room) => {
    const s = byRoom.get(room);
    return { room, unread: Math.min(s?.unread ?? 0, MAX_UNREAD), lastMessage: s?.lastId ? (byId.get(s.lastId) ?? null) : null };
  });
}
