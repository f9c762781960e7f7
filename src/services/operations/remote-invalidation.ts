import { onRemoteInvalidation } from '../auth/revocation.bus';
import { sessionStateChangedElsewhere } from '../auth/session-state.cache';
import { sessionsRevokedElsewhere } from '../auth/session.service';
import { blocksChangedElsewhere } from '../moderation/block.cache';
import { mutesChangedElsewhere } from '../moderation/mute.cache';

/**
 * What this instance forgets when another one announces a change over the invalidation bus.
 * Subscribed by `startServer` (the bus only hears anything once its LISTEN connection runs);
 * the returned function unsubscribes on stop.
 */
export function subscribeRemoteInvalidation(): () => void {
  const handlers = [sessionsRevokedElsewhere, sessionStateChangedElsewhere, blocksChangedElsewhere, mutesChangedElsewhere];
  const unsubscribes = handlers.map((handler) => onRemoteInvalidation(handler));
  return () => unsubscribes.forEach((unsubscribe) => unsubscribe());
}
