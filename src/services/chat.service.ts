import { Op } from 'sequelize';
import { countChatMessage } from '../metrics';
import { queryPrepared } from '../db/prepared';
import { Message, User } from '../models';
import { assertRoomExists, toMessageView, type MessageView } from './message.service';

/** The most messages one catch-up replays; the rest is paged with GET /socket/message?after=. */
export const CATCHUP_LIMIT = 500;

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

const WITH_USER = { include: [{ model: User, attributes: ['id', 'username'] }] };

async function findByClientId(userId: number, clientId: string): Promise<Message | null> {
  return Message.findOne({ where: { UserId: userId, clientId }, ...WITH_USER });
}

interface InsertedRow {
  id: number;
  text: string;
  room: string;
  UserId: number | null;
  clientId: string | null;
  createdAt: Date;
  username: string | null;
}

/** One round trip: the row is stored and read back with its author's current username. */
const INSERT_MESSAGE = `
  WITH inserted AS (
    INSERT INTO "Messages" ("text", "room", "UserId", "clientId", "createdAt", "updatedAt")
    VALUES ($1, $2, $3, $4, now(), now())
    ON CONFLICT ("UserId", "clientId") DO NOTHING
    RETURNING "id", "text", "room", "UserId", "clientId", "createdAt"
  )
  SELECT i.*, u."username" FROM inserted i LEFT JOIN "Users" u ON u."id" = i."UserId"`;

function insertedView(row: InsertedRow): MessageView {
  const { id, text, room, UserId, clientId, createdAt, username } = row;
  return { id, text, room, UserId, User: UserId !== null && username !== null ? { id: UserId, username } : null, clientId, createdAt };
}

/**
 * Commits a chat message. A clientId already used by this user returns the first
 * message instead of storing a second one: the unique index on (UserId, clientId) makes
 * the insert do nothing (also when two sends race: the second waits for the first to
 * commit) and the stored one is read back by a second statement, which sees it.
 */
export async function sendMessage(input: NewMessage): Promise<SendOutcome> {
  await assertRoomExists(input.room);
  const clientId = input.clientId ?? null;
  const [row] = await queryPrepared<InsertedRow>(INSERT_MESSAGE, [input.text, input.room, input.userId, clientId]);
  if (row) {
    countChatMessage();
    return { message: insertedView(row), created: true };
  }
  const stored = clientId === null ? null : await findByClientId(input.userId, clientId);
  if (!stored) throw new Error('A message was neither stored nor found by its clientId');
  return { message: toMessageView(stored), created: false };
}

/** Messages of these rooms with an id above `offset`, oldest first, at most `limit`. */
export async function messagesAfter(rooms: string[], offset: number, limit = CATCHUP_LIMIT): Promise<MessageView[]> {
  if (rooms.length === 0) return [];
  const rows = await Message.findAll({
    where: { room: { [Op.in]: rooms }, id: { [Op.gt]: offset } },
    ...WITH_USER,
    order: [['id', 'ASC']],
    limit,
  });
  return rows.map(toMessageView);
}
