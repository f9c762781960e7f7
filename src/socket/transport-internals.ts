/**
 * What the server reaches under Engine.IO's websocket transport, through private fields
 * (`transport.socket` is the `ws` WebSocket, `ws._socket` its TCP socket). Each accessor
 * checks what it finds and answers `undefined` for another transport (polling) or if a
 * version of Engine.IO or ws names them otherwise.
 */

/** The `ws` WebSocket under the transport. */
function rawWebSocket(transport: unknown): object | undefined {
  const ws: unknown = typeof transport === 'object' && transport !== null ? Reflect.get(transport, 'socket') : undefined;
  return typeof ws === 'object' && ws !== null ? ws : undefined;
}

/** The WebSocket's unsent bytes and a way to drop it at once. */
export function webSocketOf(transport: unknown): { bufferedAmount: number; terminate: () => void } | undefined {
  const ws = rawWebSocket(transport);
  if (!ws) return undefined;
  const bufferedAmount: unknown = Reflect.get(ws, 'bufferedAmount');
  const terminate: unknown = Reflect.get(ws, 'terminate');
  if (typeof bufferedAmount !== 'number' || typeof terminate !== 'function') return undefined;
  return { bufferedAmount, terminate: () => void Reflect.apply(terminate, ws, []) };
}

export interface Corkable {
  cork(): void;
  uncork(): void;
}

/** The TCP socket under the WebSocket, to cork around a burst of frames. */
export function tcpSocketOf(transport: unknown): Corkable | undefined {
  const ws = rawWebSocket(transport);
  const tcp: unknown = ws ? Reflect.get(ws, '_socket') : undefined;
  if (typeof tcp !== 'object' || tcp === null) return undefined;
  const { cork, uncork } = tcp as Partial<Corkable>;
  return typeof cork === 'function' && typeof uncork === 'function' ? (tcp as Corkable) : undefined;
}
