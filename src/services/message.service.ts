import { Op, type WhereOptions } from 'sequelize';
import { AppError } from '../errors';
import { Log, Message, User } from '../models';
import type { PresenceStatus } from '../models/log';
import type { ChatMessage } from '../socket/events';
import { carExists } from './car.service';
import { avatarUrlOf } from './user.view';

/** The author's columns a message or presence entry shows. */
export const AUTHOR_ATTRIBUTES = ['id', 'username', 'avatarVersion'];

/** A message as the API returns it: the wire type of `src/socket/events.ts`, before JSON turns the date into a string. */
export type MessageView = Omit<ChatMessage, 'createdAt'> & { createdAt: Date };

export function toMessageView(m: Message): MessageView {
  const user = m.User ?? null;
  return {
    id: m.id,
    text: m.text,
    room: m.room,
    UserId: m.UserId ?? null,
    User: user ? { id: user.id, username: user.username, avatarUrl: avatarUrlOf(user.id, user.avatarVersion) } : null,
    clientId: m.clientId,
    createdAt: m.createdAt,
  };
}

export interface HistoryQuery {
  room: string;
  before?: number;
  after?: number;
  limit: number;
}

/** The car id of a `car:<id>` room; undefined for `global`. */
export function carIdOfRoom(room: string): number | undefined {
  return room.startsWith('car:') ? Number(room.slice('car:'.length)) : undefined;
}

/** `global` always exists; a `car:<id>` room exists while its car does (404 otherwise). */
export async function assertRoomExists(room: string): Promise<void> {
  const carId = carIdOfRoom(room);
  if (carId !== undefined && !(await carExists(carId))) throw AppError.notFound(`No such room: ${room}`);
}

/** Room history, always returned oldest first. */
export async function history(q: HistoryQuery): Promise<MessageView[]> {
  await assertRoomExists(q.room);
  const where: WhereOptions<Message> = { room: q.room };
  if (q.before !== undefined) Object.assign(where, { id: { [Op.lt]: q.before } });
  if (q.after !== undefined) Object.assign(where, { id: { [Op.gt]: q.after } });
  const rows = await Message.findAll({
    where,
    include: [{ model: User, attributes: AUTHOR_ATTRIBUTES }],
    order: [['id', q.after !== undefined ? 'ASC' : 'DESC']],
    limit: q.limit,
  });
  if (q.after === undefined) rows.reverse();
  return rows.map(toMessageView);
}

export interface PresenceView {
  UserId: number;
  status: PresenceStatus;
  updatedAt: Date;
  User: { id: number; username: string; avatarUrl: string | null };
}

export async function presence(status?: PresenceStatus): Promise<PresenceView[]> {
  const rows = await Log.findAll({
    where: status ? { status } : {},
    include: [{ model: User, attributes: AUTHOR_ATTRIBUTES, required: true }],
    order: [['UserId', 'ASC']],
  });
  return rows.flatMap((r) =>
    r.User
      ? [
          {
            UserId: r.UserId,
            status: r.status,
            updatedAt: r.updatedAt,
            User: { id: r.User.id, username: r.User.username, avatarUrl: avatarUrlOf(r.User.id, r.User.avatarVersion) },
          },
        ]
      : [],
  );
}
