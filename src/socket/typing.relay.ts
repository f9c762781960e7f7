import { isDmRoom, isMemberOfDm } from '../services/chat/chat-room.service';
import { broadcastToRoom } from './broadcast';
import { typing as typingSchema } from './payload.schemas';
import type { AppSocket } from './types';

/** At most one `typing` relayed per user, room and this many milliseconds. */
export const TYPING_INTERVAL_MS = 1000;

interface Slot {
  /** When the last relay went out. */
  sentAt: number;
  sent: boolean;
  /** The newest state that arrived inside the interval, sent when it ends. */
  pending?: { socket: AppSocket; typing: boolean };
  timer?: NodeJS.Timeout;
}

/**
 * `typing { room, typing }` (no ack) relayed to the room's other sockets as
 * `typing { room, UserId, username, typing }`; never stored. Inside the interval a repeat
 * is dropped, but a change of state is kept and relayed when the interval ends, so a
 * "stopped typing" is never lost. Bad payloads and rooms the socket is not in are dropped.
 */
export class TypingRelay {
  private readonly slots = new Map<string, Slot>();

  handle(socket: AppSocket, raw: unknown): void {
    const parsed = typingSchema.safeParse(raw);
    if (!parsed.success) return;
    const { room, typing } = parsed.data;
    const { userId } = socket.data;
    if (isDmRoom(room) ? !isMemberOfDm(room, userId) : !socket.rooms.has(room)) return;
    const key = `${userId} ${room}`;
    const slot = this.slots.get(key);
    const now = Date.now();
    if (!slot || now - slot.sentAt >= TYPING_INTERVAL_MS) {
      if (slot?.timer) clearTimeout(slot.timer);
      this.relay(key, socket, room, typing);
      return;
    }
    if (slot.sent === typing && !slot.pending) return;
    slot.pending = { socket, typing };
    slot.timer ??= setTimeout(() => this.flush(key, room), TYPING_INTERVAL_MS - (now - slot.sentAt));
  }

  /** Timers stop with the server. */
  stop(): void {
    for (const slot of this.slots.values()) clearTimeout(slot.timer);
    this.slots.clear();
  }

  private relay(key: string, socket: AppSocket, room: string, typing: boolean): void {
    const { userId, username } = socket.data;
    this.slots.set(key, { sentAt: Date.now(), sent: typing });
    void broadcastToRoom(socket, room, 'typing', { room, UserId: userId, username, typing }, userId);
    // Forget the slot once it can no longer throttle anything.
    setTimeout(() => {
      const slot = this.slots.get(key);
      if (slot && !slot.timer && Date.now() - slot.sentAt >= TYPING_INTERVAL_MS) this.slots.delete(key);
    }, TYPING_INTERVAL_MS).unref();
  }

  private flush(key: string, room: string): void {
    const slot = this.slots.get(key);
    if (!slot?.pending) return;
    const { socket, typing } = slot.pending;
    if (typing === slot.sent || !socket.connected) {
      this.slots.delete(key);
      return;
    }
    this.relay(key, socket, room, typing);
  }
}
