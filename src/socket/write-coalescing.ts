import type { AppSocket } from './types';

interface Corkable {
  cork(): void;
  uncork(): void;
}

/** The TCP socket under the `ws` WebSocket of Engine.IO's websocket transport (private fields), if that is the transport. */
function tcpSocketOf(transport: unknown): Corkable | undefined {
  const ws: unknown = typeof transport === 'object' && transport !== null ? Reflect.get(transport, 'socket') : undefined;
  const tcp: unknown = typeof ws === 'object' && ws !== null ? Reflect.get(ws, '_socket') : undefined;
  if (typeof tcp !== 'object' || tcp === null) return undefined;
  const { cork, uncork } = tcp as Partial<Corkable>;
  return typeof cork === 'function' && typeof uncork === 'function' ? (tcp as Corkable) : undefined;
}

/**
 * Packets queued for a socket while its previous write is in flight go out together when it
 * completes: Engine.IO hands them to the transport in one call (`flush`, then `drain`), but
 * the websocket transport writes each as its own frame, one system call apiece. Corking the
 * TCP socket for that call makes it one write for all of them, which is what a fan-out
 * (presence during a reconnect storm, a busy room) spends most of its time on otherwise.
 */
export function coalesceFlushes(socket: AppSocket): void {
  const conn = socket.conn;
  let corked: Corkable | undefined;
  conn.on('flush', (packets: unknown[]) => {
    if (packets.length < 2 || corked) return;
    corked = tcpSocketOf(conn.transport);
    corked?.cork();
  });
  conn.on('drain', () => {
    const tcp = corked;
    corked = undefined;
    tcp?.uncork();
  });
}
