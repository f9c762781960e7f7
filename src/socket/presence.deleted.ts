import { logger } from '../logger';
import { onAccountDeleted } from '../services/accounts/account.events';
import type { AppServer } from './types';

/**
 * A deleted account that was `on` is announced `presence: off` to everyone (every instance,
 * through the adapter) by the instance that deleted it: its Log row went with the account,
 * so the grace-period path that usually says `off` finds nothing to flip. Returns the unsubscribe.
 */
export function announceDeletedAccounts(io: AppServer): () => void {
  return onAccountDeleted(({ userId, username, wasOn }) => {
    if (!wasOn) return;
    logger.debug({ userId }, 'presence: deleted account announced off');
    io.emit('presence', { UserId: userId, username, status: 'off', at: new Date().toISOString() });
  });
}
