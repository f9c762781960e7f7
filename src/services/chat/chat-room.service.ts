import { AppError } from '../../errors';
import { queryPrepared } from '../../db/prepared';
import { carExists } from '../catalogue/car.service';

/**
 * Chat rooms (contract §3): `global`, `car:<carId>` (the car must exist) and `dm:<a>-<b>`,
 * the direct conversation of users a < b, which only they may read or write. Room names
 * are validated by the schemas (src/schemas/socket.schemas.ts) before they get here.
 */
export const GLOBAL_ROOM = 'global';

/** The car id of a `car:<id>` room; undefined for any other room. */
export function carIdOfRoom(room: string): number | undefined {
  return room.startsWith('car:') ? Number(room.slice('car:'.length)) : undefined;
}

/** The two user ids of a `dm:<a>-<b>` room; undefined for any other room. */
export function dmMembers(room: string): [number, number] | undefined {
  const match = /^dm:(\d+)-(\d+)$/.exec(room);
  return match ? [Number(match[1]), Number(match[2])] : undefined;
}

export function isDmRoom(room: string): boolean {
  return room.startsWith('dm:');
}

/** The direct room of two users, smaller id first. */
export function dmRoomOf(userA: number, userB: number): string {
  return `dm:${Math.min(userA, userB)}-${Math.max(userA, userB)}`;
}

async function usersExist(ids: number[]): Promise<boolean> {
  const [row] = await queryPrepared<{ n: number }>('SELECT count(*)::int AS n FROM "Users" WHERE "id" = ANY($1::int[])', [ids]);
  return row?.n === new Set(ids).size;
}

/**
 * May `userId` read and write `room`? `global` always; a car room while its car exists; a
 * `dm:` room only for its two members, while both exist. Every refusal is NOT_FOUND, so a
 * conversation of others is not told apart from one that does not exist.
 */
export async function assertRoomAccess(room: string, userId: number): Promise<void> {
  const carId = carIdOfRoom(room);
  if (carId !== undefined) {
    if (!(await carExists(carId))) throw AppError.notFound(`No such room: ${room}`);
    return;
  }
  const members = dmMembers(room);
  if (members === undefined) return;
  if (!members.includes(userId) || !(await usersExist(members))) throw AppError.notFound(`No such room: ${room}`);
}

/** May `userId` see what happens in `room`, without database work (the room was checked when it was used)? */
export function isMemberOfDm(room: string, userId: number): boolean {
  return dmMembers(room)?.includes(userId) ?? false;
}

/** The `dm:` rooms a user belongs to (has a message in, either way; recorded by the message insert). */
export async function dmRoomsOf(userId: number): Promise<string[]> {
  const rows = await queryPrepared<{ room: string }>(`SELECT "room" FROM "RoomReads" WHERE "UserId" = $1 AND "room" LIKE 'dm:%' ORDER BY "room"`, [
    userId,
  ]);
  return rows.map((r) => r.room);
}
