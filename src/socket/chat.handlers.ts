import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { config } from '../config';
import { AppError } from '../errors';
import { sendMessage } from '../services/chat.service';
import { assertRoomExists } from '../services/message.service';
import { assertNotMuted } from '../services/mute.cache';
import { failure, parsePayload, splitArgs } from './ack';
import { blockerRooms } from './block-filter';
import type { Ack, ChatMessage } from './events';
import { sendMessage as sendSchema } from './payload.schemas';
import type { AppSocket } from './types';
import { toChatMessage } from './wire';

/** Per user, per instance: CHAT_RATE_LIMIT messages every CHAT_RATE_WINDOW_SECONDS. */
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

/** A room the socket has not joined: NOT_FOUND when its car does not exist, else FORBIDDEN. */
async function assertJoined(socket: AppSocket, room: string): Promise<void> {
  if (socket.rooms.has(room)) return;
  await assertRoomExists(room);
  throw AppError.forbidden(`Join ${room} before sending to it`);
}

/**
 * `message:send`: validate, rate-limit, commit, ack `{ ok: true, message }`, and only then
 * broadcast `message:new` to the room's other sockets (the sender's other tabs included;
 * the sending socket has the message in its ack) except the users who block the sender.
 * A clientId seen before acks the stored message and broadcasts nothing. A muted user is
 * refused with FORBIDDEN before anything else happens.
 */
async function send(socket: AppSocket, limiter: RateLimiterMemory, raw: unknown, reply: (r: Ack<{ message: ChatMessage }>) => void): Promise<void> {
  const { userId } = socket.data;
  try {
    const input = parsePayload(sendSchema, raw);
    await assertNotMuted(userId);
    await consume(limiter, userId);
    await assertJoined(socket, input.room);
    // Users who block the sender get nothing from it, on every instance (§7).
    const skip = await blockerRooms(userId);
    const { message, created } = await sendMessage({ userId, text: input.text, room: input.room, clientId: input.clientId });
    const wire = toChatMessage(message);
    reply({ ok: true, message: wire });
    if (created) socket.to(input.room).except(skip).emit('message:new', wire);
  } catch (err) {
    reply(failure(err, { event: 'message:send', userId }));
  }
}

export function registerChatHandlers(socket: AppSocket, limiter: RateLimiterMemory): void {
  socket.on('message:send', (payload: unknown, ack: unknown) => {
    const args = splitArgs(payload, ack);
    void send(socket, limiter, args.payload, args.reply);
  });
}
