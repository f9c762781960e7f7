import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { config } from '../config';
import { AppError } from '../errors';
import { assertRoomAccess, isDmRoom } from '../services/chat/chat-room.service';
import { deleteMessage, editMessage, sendMessage } from '../services/chat/chat.service';
import { assertNotMuted } from '../services/moderation/mute.cache';
import { assertSessionVerified } from '../services/accounts/verified-email.guard';
import { failure, parsePayload, splitArgs } from './ack';
import { broadcastToRoom } from './broadcast';
import type { Ack, ChatMessage } from './events';
import * as payloads from './payload.schemas';
import type { AppSocket } from './types';
import { toChatMessage } from './wire';

/** Per user, per instance: CHAT_RATE_LIMIT messages (sends and edits) every CHAT_RATE_WINDOW_SECONDS. */
export function chatRateLimiter(): RateLimiterMemory {
  return new RateLimiterMemory({ points: config.CHAT_RATE_LIMIT, duration: config.CHAT_RATE_WINDOW_SECONDS, keyPrefix: 'chat' });
}

async function consume(limiter: RateLimiterMemory, userId: number): Promise<void> {
  try {
    await limiter.consume(userId);
  } catch (err) {
    if (err instanceof RateLimiterRes) throw AppError.rateLimited(err.msBeforeNext / 1000, 'Too many messages, slow down');
    throw err;
  }
}

/**
 * A room the socket may send to: a `dm:` room of its user (no join needed), else a joined
 * room. Not joined: NOT_FOUND when its car does not exist, else FORBIDDEN.
 */
async function assertCanSend(socket: AppSocket, room: string): Promise<void> {
  if (isDmRoom(room) || socket.rooms.has(room)) return;
  await assertRoomAccess(room, socket.data.userId);
  throw AppError.forbidden(`Join ${room} before sending to it`);
}

type MessageReply = (r: Ack<{ message: ChatMessage }>) => void;

/**
 * `message:send`: validate, rate-limit, commit, ack `{ ok: true, message }`, and only then
 * broadcast `message:new` to the room's other sockets (the sender's other tabs included;
 * the sending socket has the message in its ack) except the users who block the sender.
 * A clientId seen before acks the stored message and broadcasts nothing. A muted user is
 * refused with FORBIDDEN before anything else happens.
 */
async function send(socket: AppSocket, limiter: RateLimiterMemory, raw: unknown, reply: MessageReply): Promise<void> {
  const { userId } = socket.data;
  try {
    const input = parsePayload(payloads.sendMessage, raw);
    await assertNotMuted(userId);
    await assertSessionVerified(socket.data.sessionId);
    await consume(limiter, userId);
    await assertCanSend(socket, input.room);
    const { message, created } = await sendMessage({ userId, text: input.text, room: input.room, clientId: input.clientId });
    const wire = toChatMessage(message);
    reply({ ok: true, message: wire });
    if (created) void broadcastToRoom(socket, input.room, 'message:new', wire, userId);
  } catch (err) {
    reply(failure(err, { event: 'message:send', userId }));
  }
}

/** `message:edit { id, text }`: the author only (anyone else's: NOT_FOUND); the room gets `message:updated`. */
async function edit(socket: AppSocket, limiter: RateLimiterMemory, raw: unknown, reply: MessageReply): Promise<void> {
  const { userId } = socket.data;
  try {
    const input = parsePayload(payloads.editMessage, raw);
    await consume(limiter, userId);
    const wire = toChatMessage(await editMessage(userId, input.id, input.text));
    reply({ ok: true, message: wire });
    void broadcastToRoom(socket, wire.room, 'message:updated', wire, userId);
  } catch (err) {
    reply(failure(err, { event: 'message:edit', userId }));
  }
}

/** `message:delete { id }`: the author or a moderator (a plain user on another's: FORBIDDEN); the room gets `message:deleted`. */
async function remove(socket: AppSocket, raw: unknown, reply: (r: Ack<object>) => void): Promise<void> {
  const { userId, role } = socket.data;
  try {
    const input = parsePayload(payloads.deleteMessage, raw);
    const deleted = await deleteMessage({ userId, role }, input.id);
    reply({ ok: true });
    void broadcastToRoom(socket, deleted.room, 'message:deleted', deleted, userId);
  } catch (err) {
    reply(failure(err, { event: 'message:delete', userId }));
  }
}

export function registerChatHandlers(socket: AppSocket, limiter: RateLimiterMemory): void {
  socket.on('message:send', (payload: unknown, ack: unknown) => {
    const args = splitArgs(payload, ack);
    void send(socket, limiter, args.payload, args.reply);
  });
  socket.on('message:edit', (payload: unknown, ack: unknown) => {
    const args = splitArgs(payload, ack);
    void edit(socket, limiter, args.payload, args.reply);
  });
  socket.on('message:delete', (payload: unknown, ack: unknown) => {
    const args = splitArgs(payload, ack);
    void remove(socket, args.payload, args.reply);
  });
}
