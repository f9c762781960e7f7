import type { Application } from 'express';
import type { DeletedMessage } from '../services/chat/chat.service';
import type { MessageView } from '../services/chat/message.service';
import { broadcastToRoom } from './broadcast';
import type { AppServer } from './types';
import { toChatMessage } from './wire';

/** What a REST change tells live clients; a no-op where no Socket.IO server runs (an app without a server). */
export interface ChatEvents {
  updated(message: MessageView, by: number): void;
  deleted(deleted: DeletedMessage, by: number): void;
}

const NONE: ChatEvents = { updated: () => undefined, deleted: () => undefined };

const KEY = 'chatEvents';

export function chatEventsFor(io: AppServer): ChatEvents {
  return {
    updated: (message, by) => void broadcastToRoom(io, message.room, 'message:updated', toChatMessage(message), by),
    deleted: (deleted, by) => void broadcastToRoom(io, deleted.room, 'message:deleted', deleted, by),
  };
}

/** Lets this app's REST handlers broadcast through the Socket.IO server attached next to it. */
export function provideChatEvents(app: Application, events: ChatEvents): void {
  app.locals[KEY] = events;
}

function isChatEvents(value: unknown): value is ChatEvents {
  return typeof value === 'object' && value !== null && 'updated' in value && 'deleted' in value;
}

export function chatEventsOf(app: Application): ChatEvents {
  const value: unknown = app.locals[KEY];
  return isChatEvents(value) ? value : NONE;
}
