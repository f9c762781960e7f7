import { Op, UniqueConstraintError } from 'sequelize';
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

/**
 * Commits a chat message. A clientId already used by this user returns the first
 * message instead of storing a second one: the unique index on (UserId, clientId)
 * refuses the insert (also when two sends race) and the stored one is read back.
 */
export async function sendMessage(input: NewMessage): Promise<SendOutcome> {
  await assertRoomExists(input.room);
  let row: Message;
  try {
    row = await Message.create({ text: input.text, room: input.room, UserId: input.userId, clientId: input.clientId ?? null });
  } catch (err) {
    const raced = err instanceof UniqueConstraintError && input.clientId !== undefined ? await findByClientId(input.userId, input.clientId) : null;
    if (raced) return { message: toMessageView(raced), created: false };
    throw err;
  }
  const stored = await Message.findByPk(row.id, WITH_USER);
  return { message: toMessageView(stored ?? row), created: true };
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
