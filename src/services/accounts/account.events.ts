import { logger } from '../../logger';

/** An account that was just deleted; `wasOn` when its presence was `on` at that moment. */
export interface DeletedAccount {
  userId: number;
  username: string;
  wasOn: boolean;
}

type Listener = (account: DeletedAccount) => void;
const listeners = new Set<Listener>();

/** Lets the socket layer announce a deleted account `off` (the Log row goes with the account). */
export function onAccountDeleted(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Call once the deletion is committed. */
export function announceAccountDeleted(account: DeletedAccount): void {
  for (const listener of listeners) {
    try {
      listener(account);
    } catch (err) {
      logger.error({ err, userId: account.userId }, 'an account-deletion listener failed');
    }
  }
}
