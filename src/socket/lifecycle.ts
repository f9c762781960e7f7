import { onRevocation } from '../services/auth/session.service';
import type { AppServer, AppSocket } from './types';
import { sessionRoom } from './wire';

/** setTimeout's ceiling (about 24.8 days); a longer token lifetime re-arms the timer. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Disconnects the socket when its access token expires; the client reconnects with a fresh one. */
export function disconnectAtExpiry(socket: AppSocket): void {
  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    const remaining = socket.data.tokenExpiresAt * 1000 - Date.now();
    if (remaining <= 0) {
      socket.disconnect(true);
      return;
    }
    timer = setTimeout(arm, Math.min(remaining, MAX_TIMER_MS));
  };
  arm();
  socket.on('disconnect', () => clearTimeout(timer));
}

/**
 * Logout, a password change, account deletion or refresh-token theft revoke sessions;
 * their sockets are disconnected on every instance (through the adapter). Returns the unsubscribe.
 */
export function disconnectRevokedSessions(io: AppServer): () => void {
  return onRevocation((sessionIds) => {
    if (sessionIds.length > 0) io.in(sessionIds.map(sessionRoom)).disconnectSockets(true);
  });
}
