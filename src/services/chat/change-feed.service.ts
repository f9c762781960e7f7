import { Op } from 'sequelize';
import { queryPrepared } from '../../db/prepared';
import { Message } from '../../models';
import { hideBlockedAuthors } from '../moderation/block.cache';
import { toMessageView, WITH_AUTHOR, type MessageView } from './message.service';

/** The most changes one catch-up replays; `catchup:done` says `more` when there were others. */
export const CATCHUP_LIMIT = 500;

/**
 * One entry of the change feed: what a client that saw everything up to `offset` must
 * learn about a message whose `seq` is larger.
 */
export type Change =
  | { kind: 'new'; seq: number; message: MessageView }
  | { kind: 'updated'; seq: number; message: MessageView }
  | { kind: 'deleted'; seq: number; deleted: { id: number; room: string; seq: number } };

function toChange(m: Message, offset: number): Change {
  if (m.deletedAt) return { kind: 'deleted', seq: m.seq, deleted: { id: m.id, room: m.room, seq: m.seq } };
  // Created after the offset (edited since or not): the client has never seen it.
  return { kind: m.id > offset ? 'new' : 'updated', seq: m.seq, message: toMessageView(m) };
}

/**
 * The changes of these rooms with a seq above `offset`, in seq order, at most `limit`:
 * messages created, edited or deleted since. A message created and deleted since is
 * still replayed as `deleted` (the client may have seen it live), never as `new`. The
 * messages of users the viewer blocks are left out.
 */
export async function changesAfter(rooms: string[], offset: number, viewerId: number, limit = CATCHUP_LIMIT): Promise<Change[]> {
  if (rooms.length === 0) return [];
  const rows = await Message.findAll({
    where: { [Op.and]: [{ room: { [Op.in]: rooms }, seq: { [Op.gt]: offset } }, await hideBlockedAuthors(viewerId)] },
    ...WITH_AUTHOR,
    order: [['seq', 'ASC']],
    limit,
  });
  return rows.map((m) => toChange(m, offset));
}

/** Deletes tombstones older than `retentionMs`; returns how many. */
export async function purgeTombstones(retentionMs: number): Promise<number> {
  const rows = await queryPrepared<{ id: number }>(
    `DELETE FROM "Messages" WHERE "deletedAt" < now() - ($1::bigint * interval '1 millisecond') RETURNING "id"`,
    [retentionMs],
  );
  return rows.length;
}
