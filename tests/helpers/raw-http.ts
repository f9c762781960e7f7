import http from 'node:http';
import net from 'node:net';

/** A TCP connection to the server whose every received byte and whose closing the test can await. */
export interface RawConnection {
  socket: net.Socket;
  /** Everything received so far, as text. */
  received(): string;
  /** Resolves when the server closed the connection (with what it had sent), or rejects after `ms`. */
  closed(ms?: number): Promise<string>;
}

export function rawConnect(port: number, options: { localAddress?: string } = {}): Promise<RawConnection> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ port, host: '127.0.0.1', localAddress: options.localAddress });
    const chunks: Buffer[] = [];
    let ended = false;
    const ends: (() => void)[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      ended = true;
      for (const end of ends.splice(0)) end();
    });
    const received = () => Buffer.concat(chunks).toString('utf8');
    const closed = (ms = 5000) =>
      new Promise<string>((done, fail) => {
        if (ended) return done(received());
        const timer = setTimeout(() => fail(new Error(`the server did not close the connection within ${ms} ms; got ${received()}`)), ms);
        ends.push(() => {
          clearTimeout(timer);
          done(received());
        });
      });
    socket.once('connect', () => resolve({ socket, received, closed }));
    socket.once('error', reject);
  });
}

/** GET `path` through `agent` (a keep-alive agent reuses its open connection); resolves with status and body. */
export function get(port: number, path: string, agent?: http.Agent): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path, agent }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.setTimeout(5000, () => req.destroy(new Error('GET timed out')));
  });
}
