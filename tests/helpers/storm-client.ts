/**
 * One client process of a connection storm (tests/socket.storm.test.ts): it receives a URL
 * and tokens over IPC, opens every socket at once on "go", reports how each handshake
 * ended, and closes them all on "close". Several run side by side so that the client side
 * is not the bottleneck.
 */
import { io, type Socket } from 'socket.io-client';

interface Start {
  url: string;
  tokens: string[];
}

export interface StormReport {
  connected: number;
  failures: Record<string, number>;
  /** Milliseconds from "go" until the last handshake ended. */
  ms: number;
}

const sockets: Socket[] = [];

function open(url: string, token: string): Promise<string | undefined> {
  // A handshake that never ends is reported (the client's timeout), not waited for for ever.
  const socket = io(url, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true, timeout: 120_000 });
  sockets.push(socket);
  return new Promise((resolve) => {
    socket.once('connect', () => resolve(undefined));
    socket.io.once('close', (reason: string) => resolve(`closed before connect: ${reason}`));
    socket.once('connect_error', (err: Error & { description?: { message?: string } }) =>
      resolve(err.description?.message ? `${err.message}: ${err.description.message}` : err.message),
    );
  });
}

async function storm({ url, tokens }: Start): Promise<StormReport> {
  const started = Date.now();
  const outcomes = await Promise.all(tokens.map((t) => open(url, t)));
  const failures: Record<string, number> = {};
  for (const o of outcomes) if (o !== undefined) failures[o] = (failures[o] ?? 0) + 1;
  return { connected: outcomes.filter((o) => o === undefined).length, failures, ms: Date.now() - started };
}

let start: Start | undefined;
process.on('message', (message: { type: string } & Partial<Start>) => {
  if (message.type === 'start') {
    start = { url: String(message.url), tokens: message.tokens ?? [] };
    process.send?.({ type: 'ready' });
  } else if (message.type === 'go' && start) {
    void storm(start).then((report) => process.send?.({ type: 'report', report }));
  } else if (message.type === 'close') {
    for (const s of sockets) s.disconnect();
    process.send?.({ type: 'closed' });
    setTimeout(() => process.exit(0), 200);
  }
});
