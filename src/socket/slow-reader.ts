import { logger } from '../logger';
import { webSocketOf } from './transport-internals';
import type { AppSocket } from './types';

interface Packet {
  data?: unknown;
}

function byteSize(data: unknown): number {
  if (typeof data === 'string') return Buffer.byteLength(data);
  if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) return data.byteLength;
  return 0;
}

/** A burst sent in one go (a catch-up replay) may pass the bound until the kernel takes it: look again after this. */
const SETTLE_MS = 250;
/** Past this many times the bound, the socket is cut at once, without waiting to settle. */
const HARD_FACTOR = 8;

/**
 * Disconnects a socket whose client does not read what it is sent, once the output waiting
 * for it stays over `maxBytes`: the packets Engine.IO holds for it (its write buffer, counted
 * as they are queued) plus what the WebSocket has not handed to the kernel yet
 * (`bufferedAmount`). Checked as each packet is queued; a burst over the bound gets
 * SETTLE_MS to drain (a reading client takes it in far less), so only a client that is not
 * reading is cut. The connection is dropped without waiting for the buffer to drain,
 * which it never would.
 */
export function disconnectSlowReader(socket: AppSocket, maxBytes: number): void {
  const conn = socket.conn;
  let queued = 0;
  let settling: NodeJS.Timeout | undefined;
  let cut = false;
  const unread = () => queued + (webSocketOf(conn.transport)?.bufferedAmount ?? 0);
  const disconnect = (bytes: number) => {
    cut = true;
    clearTimeout(settling);
    logger.warn({ socketId: socket.id, userId: socket.data.userId, unreadBytes: bytes, limit: maxBytes }, 'slow reader: socket disconnected');
    const ws = webSocketOf(conn.transport);
    // Discard what is queued and close now; then drop the TCP connection with its kernel buffer.
    conn.close(true);
    ws?.terminate();
  };
  conn.on('flush', () => {
    queued = 0;
  });
  conn.on('packetCreate', (packet: Packet) => {
    if (cut) return;
    queued += byteSize(packet.data);
    const bytes = unread();
    if (bytes > HARD_FACTOR * maxBytes) return disconnect(bytes);
    if (bytes <= maxBytes || settling) return;
    settling = setTimeout(() => {
      settling = undefined;
      const left = unread();
      if (!cut && conn.readyState === 'open' && left > maxBytes) disconnect(left);
    }, SETTLE_MS);
  });
  conn.once('close', () => clearTimeout(settling));
}
