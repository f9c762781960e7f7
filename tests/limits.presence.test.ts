import { io as ioClient } from 'socket.io-client';
import { createApp } from '../src/app';
import { Log } from '../src/models';
import type { PresenceEvent } from '../src/socket/events';
import { loginAs } from './helpers/factories';
import { as } from './helpers/http';
import { connect, nextEvent, record, serverForThisFile, type ClientSocket } from './helpers/sockets';

const app = createApp();
// A long grace period: an `off` seen within it can only come from the deletion itself.
const server = serverForThisFile({ presenceGraceMs: 4000 });

describe('presence of a deleted account', () => {
  it('when an account that is on is deleted, then the others get presence off for it at once, exactly once', async () => {
    const observer = await connect(server().url, { token: (await loginAs(app)).accessToken });
    const leaving = await loginAs(app);
    const seen = record(observer, 'presence');
    const on = nextEvent(observer, 'presence', (e) => e.UserId === leaving.user.id && e.status === 'on');
    await connect(server().url, { token: leaving.accessToken });
    await on;

    const off = nextEvent(observer, 'presence', (e) => e.UserId === leaving.user.id && e.status === 'off', 2000);
    await as(app, leaving.accessToken).delete(`/user/${leaving.user.id}`).expect(200);
    expect(await off).toEqual({ UserId: leaving.user.id, username: leaving.user.username, status: 'off', at: expect.any(String) });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(seen.filter((e: PresenceEvent) => e.UserId === leaving.user.id).map((e) => e.status)).toEqual(['on', 'off']);
    expect(await Log.count({ where: { UserId: leaving.user.id } })).toBe(0);
  });
});

describe('presence before messages', () => {
  it('when users connect and send at once, then everyone gets their presence on before their first message', async () => {
    const observer = await connect(server().url, { token: (await loginAs(app)).accessToken });
    const order: string[] = [];
    observer.onAny((event: string, payload: { UserId?: number; status?: string }) => {
      if (event === 'presence' && payload.status === 'on') order.push(`on:${payload.UserId}`);
      if (event === 'message:new') order.push(`message:${payload.UserId}`);
    });
    const users = await Promise.all([1, 2, 3, 4, 5].map(() => loginAs(app)));
    const sent: Promise<unknown>[] = [];
    const sockets: ClientSocket[] = users.map((u) => {
      // Emitted before the connection is even open: the client sends it right after connecting.
      const socket: ClientSocket = ioClient(server().url, {
        auth: { token: u.accessToken },
        transports: ['websocket'],
        reconnection: false,
        forceNew: true,
      });
      sent.push(socket.timeout(5000).emitWithAck('message:send', { text: `hello from ${u.user.id}` }));
      return socket;
    });
    try {
      expect(await Promise.all(sent)).toEqual(users.map(() => expect.objectContaining({ ok: true })));
      await new Promise((resolve) => setTimeout(resolve, 300));
      for (const u of users) {
        const on = order.indexOf(`on:${u.user.id}`);
        expect(on).toBeGreaterThanOrEqual(0);
        expect(on).toBeLessThan(order.indexOf(`message:${u.user.id}`));
      }
    } finally {
      for (const socket of sockets) socket.disconnect();
    }
  });
});
