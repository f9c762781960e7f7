import { logger } from '../logger';
import type { AppSocket } from './types';

interface Packet {
  data?: unknown;
}

function byteSize(data: unknown): number {
  if (typeof data === 'string') return Buffer.byteLength(data);
  if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) return data.byteLength;
  return 0;
}

/** The `ws` WebSocket under Engine.IO's websocket transport (a private field), if that is the transport. */
function webSocketOf(transport: unknown): { bufferedAmount: number; terminate: () => void } | undefined {
  const ws: unknown = typeof transport === 'object' && transport !== null ? Reflect.get(transport, 'socket') : undefined;
  if (typeof ws !== 'object' || ws === null) return undefined;
  const bufferedAmount: unknown = Reflect.get(ws, 'bufferedAmount');
  const terminate: unknown = Reflect.get(ws, 'terminate');
  if (typeof bufferedAmount !== 'number' || typeof terminate !== 'function') return undefined;
  return { bufferedAmount, terminate: () => void Reflect.apply(terminate, ws, []) };
}

/**
 * Disconnects a socket whose client does not read what it is sent, once the output waiting
 * for it passes `maxBytes`: the packets Engine.IO holds for it (its write buffer, counted as
 * they are queued) plus what the WebSocket has handed to the kernel but not yet sent
 * (`bufferedAmount`). The check runs as each packet is queued, so the buffer never grows
 * much past the bound. The connection is cut without waiting for the buffer to drain,
 * which it never would.
 */
export function disconnectSlowReader(socket: AppSocket, maxBytes: number): void {
  const conn = socket.conn;
  let queued = 0;
  let cut = false;
  conn.on('flush', () => {
    queued = 0;
  });
  conn.on('packetCreate', (packet: Packet) => {
    if (cut) return;
    queued += byteSize(packet.data);
    const ws = webSocketOf(conn.transport);
    const unread = queued + (ws?.bufferedAmount ?? 0);
    if (unread <= maxBytes) return;
    cut = true;
    logger.warn({ socketId: socket.id, userId: socket.data.userId, unreadBytes: unread, limit: maxBytes }, 'slow reader: socket disconnected');
    // Discard what is queued and close now; then drop the TCP connection with its kernel buffer.
    conn.close(true);
    ws?.terminate();
  });
}
