import http from 'node:http';
import jwt from 'jsonwebtoken';
import { key, pool, verifyOptions } from './reference-env';
import { Server } from 'socket.io';

/**
 * The reference for E: what a typical Socket.IO chat does, with nothing else — the access
 * token verified once at the handshake (HS256, issuer, audience, type), every socket in one
 * room, and `message:send` stored with one prepared INSERT … RETURNING, broadcast to the
 * room and acknowledged. No validation, limits, presence, sessions or idempotency: the
 * ceiling our server is compared with. Run by the bench as its own process.
 */

const INSERT = {
  name: 'ref_message_insert',
  text: `INSERT INTO "Messages" ("text", "room", "UserId", "clientId", "createdAt", "updatedAt")
         VALUES ($1, 'global', $2, $3, now(), now())
         RETURNING "id", "seq", "text", "room", "UserId", "clientId", "createdAt"`,
};

type Ack = (response: unknown) => void;

function userIdOf(token: unknown): number | undefined {
  try {
    const payload = typeof token === 'string' ? jwt.verify(token, key, verifyOptions) : undefined;
    return typeof payload === 'object' && payload.typ === 'access' && typeof payload.sub === 'string' ? Number(payload.sub) : undefined;
  } catch {
    return undefined;
  }
}

const httpServer = http.createServer((req, res) => {
  res.writeHead(req.url === '/healthz' ? 200 : 404, { 'Content-Type': 'application/json' });
  res.end('{}');
});
const io = new Server(httpServer, { serveClient: false, maxHttpBufferSize: 100_000 });

io.use((socket, next) => {
  const userId = userIdOf((socket.handshake.auth as { token?: unknown }).token);
  if (userId === undefined) return next(new Error('INVALID_TOKEN'));
  socket.data.userId = userId;
  next();
});

io.on('connection', (socket) => {
  void socket.join('global');
  socket.on('message:send', (payload: { text?: unknown; clientId?: unknown }, ack: Ack) => {
    pool.query({ ...INSERT, values: [String(payload.text), socket.data.userId, payload.clientId ?? null] }).then(
      ({ rows: [message] }) => {
        io.to('global').emit('message:new', message);
        ack({ ok: true, message });
      },
      () => ack({ ok: false, error: { code: 'INTERNAL', message: 'not stored' } }),
    );
  });
});

httpServer.listen(Number(process.env.PORT ?? 0), '127.0.0.1');

process.on('SIGTERM', () => {
  void io.close(() => void pool.end().then(() => process.exit(0)));
});
