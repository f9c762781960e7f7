/**
 * One client process of the socket benchmarks (bench/socket-bench.ts): it receives a URL
 * and tokens over IPC, opens every socket at once (websocket only), reports when each
 * handshake ended, and closes them all on "close". Several run side by side so that the
 * load generator is less of a limit than the server (they still share the machine).
 */
import { io, type Socket } from 'socket.io-client';

export interface OpenReport {
  connected: number;
  failures: Record<string, number>;
  /** Milliseconds from "open" until the last handshake ended. */
  lastMs: number;
}

const sockets: Socket[] = [];

function open(url: string, token: string): Promise<string | undefined> {
  const socket = io(url, { auth: { token }, transports: ['websocket'], reconnection: false, forceNew: true, timeout: 120_000 });
  sockets.push(socket);
  return new Promise((resolve) => {
    socket.once('connect', () => resolve(undefined));
    socket.once('connect_error', (err: Error & { description?: { message?: string } }) =>
      resolve(err.description?.message ? `${err.message}: ${err.description.message}` : err.message),
    );
    socket.io.once('close', (reason: string) => resolve(`closed before connect: ${reason}`));
  });
}

async function openAll(url: string, tokens: string[]): Promise<OpenReport> {
  const started = Date.now();
  const outcomes = await Promise.all(tokens.map((t) => open(url, t)));
  const failures: Record<string, number> = {};
  for (const o of outcomes) if (o !== undefined) failures[o] = (failures[o] ?? 0) + 1;
  return { connected: outcomes.filter((o) => o === undefined).length, failures, lastMs: Date.now() - started };
}

process.on('message', (message: { type: string; url?: string; tokens?: string[] }) => {
  if (message.type === 'open') {
    void openAll(String(message.url), message.tokens ?? []).then((report) => process.send?.({ type: 'opened', report }));
  } else if (message.type === 'close') {
    for (const s of sockets) s.disconnect();
    process.send?.({ type: 'closed' });
    setTimeout(() => process.exit(0), 200);
  }
});
process.send?.({ type: 'ready' });
