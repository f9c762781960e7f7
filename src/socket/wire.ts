import type { MessageView } from '../services/chat/message.service';
import type { PresenceChange } from '../services/presence/presence.service';
import type { ChatMessage, PresenceEvent } from './events';

export { GLOBAL_ROOM } from '../services/chat/chat-room.service';

export function userRoom(userId: number): string {
  return `user:${userId}`;
}

export function sessionRoom(sessionId: string): string {
  return `session:${sessionId}`;
}

export function toChatMessage(view: MessageView): ChatMessage {
  return { ...view, createdAt: new Date(view.createdAt).toISOString(), editedAt: view.editedAt ? new Date(view.editedAt).toISOString() : null };
}

export function toPresenceEvent(change: PresenceChange): PresenceEvent {
  return { UserId: change.UserId, username: change.username, status: change.status, at: new Date(change.at).toISOString() };
}
