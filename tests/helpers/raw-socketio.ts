import { randomBytes } from 'node:crypto';
import { rawConnect, type RawConnection } from './raw-http';

/** One masked WebSocket text frame, as a client must send it. */
function clientFrame(text: string): Buffer {
  const payload = Buffer.from(text, 'utf8');
  const mask = randomBytes(4);
  const length = payload.length < 126 ? Buffer.from([0x80 | payload.length]) : Buffer.from([0x80 | 126, payload.length >> 8, payload.length & 0xff]);
  const masked = Buffer.from(payload.map((byte, i) => byte ^ (mask[i % 4] ?? 0)));
  return Buffer.concat([Buffer.from([0x81]), length, mask, masked]);
}

export interface RawSocketIo extends RawConnection {
  /** The Socket.IO socket id the server gave it. */
  sid: string;
  /** Stops reading: from now on what the server sends piles up in the kernel's buffers, then the server's. */
  stopReading(): void;
}

async function until(connection: RawConnection, pattern: RegExp, what: string): Promise<RegExpExecArray> {
  const deadline = Date.now() + 5000;
  let match: RegExpExecArray | null;
  while (!(match = pattern.exec(connection.received()))) {
    if (Date.now() > deadline) throw new Error(`no ${what}: ${connection.received()}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return match;
}

/**
 * An Engine.IO WebSocket session opened by hand, so the test controls the TCP connection;
 * `connectWith(auth)` sends Socket.IO's CONNECT packet and waits for the server's answer.
 */
export async function rawEngineSession(port: number) {
  const connection = await rawConnect(port);
  const key = randomBytes(16).toString('base64');
  connection.socket.write(
    `GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
      `Sec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
  );
  await until(connection, /0\{"sid"/, 'Engine.IO open packet');
  const connectWith = async (auth: object): Promise<string> => {
    connection.socket.write(clientFrame(`40${JSON.stringify(auth)}`));
    return (await until(connection, /4[04]\{[^}]*\}/, 'Socket.IO connect answer'))[0];
  };
  return { ...connection, connectWith };
}

/** A Socket.IO client over a raw WebSocket, authenticated with `token`, that can stop reading altogether. */
export async function rawSocketIo(port: number, token: string): Promise<RawSocketIo> {
  const session = await rawEngineSession(port);
  const answer = await session.connectWith({ token });
  const sid = /^40\{"sid":"([^"]+)"\}$/.exec(answer)?.[1];
  if (!sid) throw new Error(`the connect was refused: ${answer}`);
  return { ...session, sid, stopReading: () => session.socket.pause() };
}
