import type { IncomingMessage } from 'node:http';
import type { Express } from 'express';
import { ipKeyGenerator } from 'express-rate-limit';

export type ClientAddressOf = (req: IncomingMessage) => string;

/**
 * The client address of a request that Express never sees (the Socket.IO transport
 * handshake), read exactly as Express reads `req.ip`: the socket's address, or the
 * X-Forwarded-For hop that `TRUST_PROXY` trusts. An IPv6 client counts as its /56 network,
 * as the REST limits do, so one host cannot dodge a per-IP limit by rotating addresses.
 */
export function clientAddressOf(app: Express): ClientAddressOf {
  return (req) => {
    const view = Object.create(app.request, {
      headers: { value: req.headers },
      socket: { value: req.socket },
      connection: { value: req.socket },
    }) as { ip?: string };
    return ipKeyGenerator(view.ip ?? req.socket.remoteAddress ?? 'unknown');
  };
}
