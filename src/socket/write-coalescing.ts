import { tcpSocketOf, type Corkable } from './transport-internals';
import type { AppSocket } from './types';

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
