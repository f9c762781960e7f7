import { loginAs } from './helpers/factories';
import { createApp } from '../src/app';
import { connect, eventually, record, sendOk, serverForThisFile } from './helpers/sockets';

const app = createApp();
const server = serverForThisFile();

describe('a burst of events to one socket (writes coalesced while one is in flight)', () => {
  it('when 500 events are broadcast at once, then the socket gets all of them, in order, and keeps working afterwards', async () => {
    const watcher = await loginAs(app);
    const socket = await connect(server().url, { token: watcher.accessToken });
    const seen = record(socket, 'presence');
    const at = new Date().toISOString();
    // Emitted in one go: the first goes out at once, the other 499 wait in Engine.IO's buffer
    // for that write and leave together.
    for (let i = 1; i <= 500; i += 1) server().io.emit('presence', { UserId: i, username: `burst_${i}`, status: 'on', at });
    await eventually(() => seen.filter((e) => e.username.startsWith('burst_')).length === 500, 10_000, '500 presence events');
    expect(seen.filter((e) => e.username.startsWith('burst_')).map((e) => e.UserId)).toEqual(Array.from({ length: 500 }, (_, i) => i + 1));
    // Nothing was left corked: an ordinary round trip still completes.
    const message = await sendOk(socket, { text: 'after the burst' });
    expect(message.text).toBe('after the burst');
  });
});
