import { Op, type WhereOptions } from 'sequelize';
import { Message, User } from '../../models';
import type { ChatMessage } from '../../socket/events';
import { hideBlockedAuthors } from '../moderation/block.cache';
import { assertRoomAccess } from './chat-room.service';
import { avatarUrlOf } from '../users/user.view';

/** A message as the API returns it: the wire type of `src/socket/events.ts`, before JSON turns dates into strings. */
export type MessageView = Omit<ChatMessage, 'createdAt' | 'editedAt'> & { createdAt: Date; editedAt: Date | null };

export type MessageAuthor = NonNullable<ChatMessage['User']>;

/** The author as a message carries it, with the versioned avatar URL (contract §6). */
export function authorOf(id: number | null, username: string | null | undefined, avatarVersion?: number | null): MessageAuthor | null {
  return id !== null && username !== null && username !== undefined ? { id, username, avatarUrl: avatarUrlOf(id, avatarVersion ?? null) } : null;
}

/** The associations a message is read with. */
export const WITH_AUTHOR = { include: [{ model: User, attributes: ['id', 'username', 'avatarVersion'] }] };

export function toMessageView(m: Message): MessageView {
  return {
    id: m.id,
    seq: m.seq,
    text: m.text,
    room: m.room,
    UserId: m.UserId ?? null,
    User: authorOf(m.User?.id ?? null, m.User?.username, m.User?.avatarVersion),
    clientId: m.clientId,
    createdAt: m.createdAt,
    editedAt: m.editedAt ?? null,
  };
}

export interface HistoryQuery {
  room: string;
  before?: number;
  after?: number;
  limit: number;
}

/**
 * Room history without deleted messages and without those of users the viewer blocks,
 * always returned oldest first; a `dm:` room for its members only (404).
 */
export async function history(q: HistoryQuery, userId: number): Promise<MessageView[]> {
  await assertRoomAccess(q.room, userId);
  const where: WhereOptions<Message> = { room: q.room, deletedAt: null };
  if (q.before !== undefined) Object.assign(where, { id: { [Op.lt]: q.before } });
  if (q.after !== undefined) Object.assign(where, { id: { [Op.gt]: q.after } });
  const rows = await Message.findAll({
    where: { [Op.and]: [where, await hideBlockedAuthors(userId)] },
    ...WITH_AUTHOR,
    order: [['id', q.after !== undefined ? 'ASC' : 'DESC']],
    limit: q.limit,
  });
  if (q.after === undefined) rows.reverse();
  return rows.map(toMessageView);
}
