import { Op, type WhereOptions } from 'sequelize';
import { AppError } from '../errors';
import { Log, Message, User } from '../models';
import type { PresenceStatus } from '../models/log';
import type { ChatMessage } from '../socket/events';
import { hideBlockedAuthors } from './block.cache';
import { carExists } from './car.service';

/** A message as the API returns it: the wire type of `src/socket/events.ts`, before JSON turns the date into a string. */
export type MessageView = Omit<ChatMessage, 'createdAt'> & { createdAt: Date };

export function toMessageView(m: Message): MessageView {
  const user = m.User ?? null;
  return {
    id: m.id,
    text: m.text,
    room: m.room,
    UserId: m.UserId ?? null,
    User: user ? { id: user.id, username: user.username } : null,
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

/** Room history, always returned oldest first, without the messages of users the viewer blocks. */
export async function history(q: HistoryQuery, viewerId: number): Promise<MessageView[]> {
  await assertRoomExists(q.room);
  const where: WhereOptions<Message> = { room: q.room };
  if (q.before !== undefined) Object.assign(where, { id: { [Op.lt]: q.before } });
  if (q.after !== undefined) Object.assign(where, { id: { [Op.gt]: q.after } });
  const rows = await Message.findAll({
    where: { [Op.and]: [where, await hideBlockedAuthors(viewerId)] },
    include: [{ model: User, attributes: ['id', 'username'] }],
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
  User: { id: number; username: string };
}

export async function presence(status?: PresenceStatus): Promise<PresenceView[]> {
  const rows = await Log.findAll({
    where: status ? { status } : {},
    include: [{ model: User, attributes: ['id', 'username'], required: true }],
    order: [['UserId', 'ASC']],
  });
  return rows.flatMap((r) =>
    r.User ? [{ UserId: r.UserId, status: r.status, updatedAt: r.updatedAt, User: { id: r.User.id, username: r.User.username } }] : [],
  );
}
