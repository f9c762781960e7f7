import { countChatMessage } from '../../metrics';
import { queryPrepared } from '../../db/prepared';
import { AppError } from '../../errors';
import { Message } from '../../models';
import type { Role } from '../../models/user';
import { isBlockedEitherWay } from '../moderation/block.cache';
import { assertRoomAccess, dmMembers } from './chat-room.service';
import { assertNotMuted } from '../moderation/mute.cache';
import { authorOf, toMessageView, WITH_AUTHOR, type MessageView } from './message.service';

export interface NewMessage {
  userId: number;
  text: string;
  room: string;
  clientId?: string;
}

export interface SendOutcome {
  message: MessageView;
  /** False when the clientId had been used before: the stored message is returned, nothing new exists. */
  created: boolean;
}

async function findByClientId(userId: number, clientId: string): Promise<Message | null> {
  return Message.findOne({ where: { UserId: userId, clientId }, ...WITH_AUTHOR });
}

interface MessageRow {
  id: number;
  seq: number;
  text: string;
  room: string;
  UserId: number | null;
  clientId: string | null;
  createdAt: Date;
  editedAt: Date | null;
  username: string | null;
  avatarVersion: number | null;
}

const COLUMNS = `"id", "seq", "text", "room", "UserId", "clientId", "createdAt", "editedAt"`;

/**
 * One statement: the row is stored (seq = id, by the insert trigger), a `dm:` room's two
 * members are recorded in RoomReads (what lists the room in GET /socket/rooms and catch-up)
 * in the same commit, and the row is read back with its author's username.
 */
const INSERT_MESSAGE = `
  WITH inserted AS (
    INSERT INTO "Messages" ("text", "room", "UserId", "clientId", "createdAt", "updatedAt")
    VALUES ($1, $2, $3, $4, now(), now())
    ON CONFLICT ("UserId", "clientId") DO NOTHING
    RETURNING ${COLUMNS}
  ), members AS (
    INSERT INTO "RoomReads" ("UserId", "room", "lastReadId", "updatedAt")
    SELECT m::int, i."room", 0, now() FROM inserted i, unnest(string_to_array(substr(i."room", 4), '-')) AS m
    WHERE i."room" LIKE 'dm:%'
    ON CONFLICT DO NOTHING
  )
  SELECT i.*, u."username", u."avatarVersion" FROM inserted i LEFT JOIN "Users" u ON u."id" = i."UserId"`;

function rowView(row: MessageRow): MessageView {
  const { id, seq, text, room, UserId, clientId, createdAt, editedAt, username, avatarVersion } = row;
  return { id, seq, text, room, UserId, User: authorOf(UserId, username, avatarVersion), clientId, createdAt, editedAt };
}

/** Neither member of a `dm:` room may write to the other while either blocks the other (§7). */
async function assertDmNotBlocked(room: string): Promise<void> {
  const members = dmMembers(room);
  if (members && (await isBlockedEitherWay(members[0], members[1]))) throw AppError.forbidden('You cannot message this user');
}

/**
 * Commits a chat message. A clientId already used by this user returns the first
 * message instead of storing a second one: the unique index on (UserId, clientId) makes
 * the insert do nothing (also when two sends race: the second waits for the first to
 * commit) and the stored one is read back by a second statement, which sees it.
 */
export async function sendMessage(input: NewMessage): Promise<SendOutcome> {
  await assertRoomAccess(input.room, input.userId);
  await assertDmNotBlocked(input.room);
  const clientId = input.clientId ?? null;
  const [row] = await queryPrepared<MessageRow>(INSERT_MESSAGE, [input.text, input.room, input.userId, clientId]);
  if (row) {
    countChatMessage();
    return { message: rowView(row), created: true };
  }
  const stored = clientId === null ? null : await findByClientId(input.userId, clientId);
  if (!stored) throw new Error('A message was neither stored nor found by its clientId');
  return { message: toMessageView(stored), created: false };
}

/** Every edit and delete takes the next value of the id sequence: one counter orders inserts and changes. */
const NEXT_SEQ = `nextval(pg_get_serial_sequence('"Messages"', 'id'))`;

const EDIT_MESSAGE = `
  WITH edited AS (
    UPDATE "Messages" SET "text" = $3, "editedAt" = now(), "updatedAt" = now(), "seq" = ${NEXT_SEQ}
    WHERE "id" = $1 AND "UserId" = $2 AND "deletedAt" IS NULL
    RETURNING ${COLUMNS}
  )
  SELECT e.*, u."username", u."avatarVersion" FROM edited e LEFT JOIN "Users" u ON u."id" = e."UserId"`;

/** The author edits their message; anyone else's, or a deleted one, is NOT_FOUND. */
/** The author only (else 404); a muted author is refused (FORBIDDEN, §7), over Socket.IO and REST alike. */
export async function editMessage(userId: number, id: number, text: string): Promise<MessageView> {
  await assertNotMuted(userId);
  const [row] = await queryPrepared<MessageRow>(EDIT_MESSAGE, [id, userId, text]);
  if (!row) throw AppError.notFound('No such message of yours');
  return rowView(row);
}

export interface Actor {
  userId: number;
  role: Role;
}

export interface DeletedMessage {
  id: number;
  room: string;
  seq: number;
}

/**
 * The author, or an admin/superadmin (a moderator delete), deletes a message: it becomes a
 * tombstone (text cleared, `deletedAt` set, a new seq) that catch-up replays as
 * `message:deleted` until the purge. A message the actor cannot see is NOT_FOUND; someone
 * else's that a plain user can see is FORBIDDEN.
 */
export async function deleteMessage(actor: Actor, id: number): Promise<DeletedMessage> {
  const moderator = actor.role === 'admin' || actor.role === 'superadmin';
  const [found] = await queryPrepared<{ room: string; UserId: number | null }>(
    'SELECT "room", "UserId" FROM "Messages" WHERE "id" = $1 AND "deletedAt" IS NULL',
    [id],
  );
  if (!found) throw AppError.notFound('No such message');
  if (found.UserId !== actor.userId && !moderator) {
    await assertRoomAccess(found.room, actor.userId);
    throw AppError.forbidden('Only its author or a moderator may delete a message');
  }
  const [row] = await queryPrepared<DeletedMessage>(
    `UPDATE "Messages" SET "text" = '', "deletedAt" = now(), "updatedAt" = now(), "seq" = ${NEXT_SEQ}
     WHERE "id" = $1 AND "deletedAt" IS NULL RETURNING "id", "room", "seq"`,
    [id],
  );
  if (!row) throw AppError.notFound('No such message');
  return row;
}
