import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { ZodType } from 'zod';
import { createApp } from '../src/app';
import { clientEvents, serverEvents } from '../src/socket/event-catalog';
import type { RoomName } from '../src/socket/events';
import { loginAs } from './helpers/factories';
import { connect, nextEvent, serverForThisFile, type ClientSocket } from './helpers/sockets';

const app = createApp();
const server = serverForThisFile();

interface AsyncApi {
  asyncapi: string;
  channels: { socket: { messages: Record<string, { name: string; payload: { $ref: string } }> } };
  operations: Record<string, { action: 'send' | 'receive'; messages: { $ref: string }[]; reply?: { messages: { $ref: string }[] } }>;
  components: { schemas: Record<string, unknown> };
}

async function fetchDocument(): Promise<AsyncApi> {
  const res = await request(app).get('/asyncapi.json').expect(200);
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  return res.body as AsyncApi;
}

/** Follows a local JSON pointer such as `#/channels/socket/messages/message:send`. */
function resolve(doc: unknown, pointer: string): unknown {
  return pointer
    .replace(/^#\//, '')
    .split('/')
    .reduce<unknown>((node, key) => (typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[key] : undefined), doc);
}

function refsIn(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(refsIn);
  if (typeof node !== 'object' || node === null) return [];
  return Object.entries(node).flatMap(([key, value]) => (key === '$ref' && typeof value === 'string' ? [value] : refsIn(value)));
}

describe('GET /asyncapi.json', () => {
  it('when fetched without a token, then it is an AsyncAPI 3 document whose every $ref resolves', async () => {
    const doc = await fetchDocument();
    expect(doc.asyncapi).toBe('3.0.0');
    const refs = refsIn(doc);
    expect(refs.length).toBeGreaterThan(20);
    expect(refs.filter((r) => resolve(doc, r) === undefined)).toEqual([]);
  });

  it('when compared with the events the server handles and the catalog, then every event both ways is documented, nothing more', async () => {
    const doc = await fetchDocument();
    const received = Object.entries(doc.operations)
      .filter(([, op]) => op.action === 'receive')
      .map(([, op]) => (resolve(doc, op.messages[0]?.$ref ?? '') as { name: string }).name);
    const sent = Object.entries(doc.operations)
      .filter(([, op]) => op.action === 'send')
      .map(([, op]) => (resolve(doc, op.messages[0]?.$ref ?? '') as { name: string }).name);

    // What a live server socket actually listens to.
    const login = await loginAs(app);
    await connect(server().url, { token: login.accessToken });
    const [serverSocket] = [...server().io.of('/').sockets.values()].filter((s) => s.data.userId === login.user.id);
    const handled = (serverSocket?.eventNames() ?? []).map(String).filter((e) => e !== 'disconnect' && e !== 'disconnecting' && e !== 'error');
    expect(received.sort()).toEqual([...new Set(handled)].sort());
    expect(sent.sort()).toEqual(Object.keys(serverEvents).sort());
    for (const [event, op] of Object.entries(doc.operations)) {
      if (op.action !== 'receive') continue;
      const name = event.replace(/^receive /, '') as keyof typeof clientEvents;
      expect({ event, reply: op.reply !== undefined }).toEqual({ event, reply: 'ack' in clientEvents[name] });
    }
  });

  it('when a payload is validated by a schema, then the document shows that schema', async () => {
    const doc = await fetchDocument();
    const send = resolve(doc, doc.channels.socket.messages['message:send']?.payload.$ref ?? '') as { properties: object; required: string[] };
    expect(Object.keys(send.properties).sort()).toEqual(['clientId', 'room', 'text']);
    expect(send.required).toEqual(['text']);
    const edit = resolve(doc, doc.channels.socket.messages['message:edit']?.payload.$ref ?? '') as { required: string[] };
    expect(edit.required.sort()).toEqual(['id', 'text']);
  });
});

describe('what the server sends matches the catalog', () => {
  function expectValid(schema: ZodType, value: unknown, what: string): void {
    const result = schema.safeParse(value);
    expect({ what, issues: result.success ? [] : result.error.issues }).toEqual({ what, issues: [] });
  }

  it('when a session sends, edits, deletes, types and reads, then every event and ack received fits its schema', async () => {
    const [alice, bob] = [await loginAs(app), await loginAs(app)];
    const bobSocket: ClientSocket = await connect(server().url, { token: bob.accessToken });
    const presence = nextEvent(bobSocket, 'presence', (p) => p.UserId === alice.user.id);
    const aliceSocket = await connect(server().url, { token: alice.accessToken });
    expectValid(serverEvents.presence.payload, await presence, 'presence');

    const text = `schema ${randomUUID()}`;
    const arrived = nextEvent(bobSocket, 'message:new', (m) => m.text === text);
    const sendAck = await aliceSocket.timeout(5000).emitWithAck('message:send', { text, clientId: randomUUID() });
    expectValid(clientEvents['message:send'].ack, sendAck, 'message:send ack');
    expectValid(serverEvents['message:new'].payload, await arrived, 'message:new');
    const id = sendAck.ok ? sendAck.message.id : 0;

    const updated = nextEvent(bobSocket, 'message:updated', (m) => m.id === id);
    expectValid(clientEvents['message:edit'].ack, await aliceSocket.timeout(5000).emitWithAck('message:edit', { id, text: 'edited' }), 'edit ack');
    expectValid(serverEvents['message:updated'].payload, await updated, 'message:updated');
    const failed = await bobSocket.timeout(5000).emitWithAck('message:delete', { id });
    expectValid(clientEvents['message:delete'].ack, failed, 'delete ack (failure)');
    const deleted = nextEvent(bobSocket, 'message:deleted', (d) => d.id === id);
    expectValid(clientEvents['message:delete'].ack, await aliceSocket.timeout(5000).emitWithAck('message:delete', { id }), 'delete ack');
    expectValid(serverEvents['message:deleted'].payload, await deleted, 'message:deleted');

    const room = `dm:${Math.min(alice.user.id, bob.user.id)}-${Math.max(alice.user.id, bob.user.id)}` as RoomName;
    const typing = nextEvent(bobSocket, 'typing');
    aliceSocket.emit('typing', { room, typing: true });
    expectValid(serverEvents.typing.payload, await typing, 'typing');
    expectValid(clientEvents['room:read'].ack, await bobSocket.timeout(5000).emitWithAck('room:read', { room: 'global', id }), 'room:read ack');
    const done = nextEvent(bobSocket, 'catchup:done');
    expectValid(clientEvents['room:join'].ack, await bobSocket.timeout(5000).emitWithAck('room:join', { room, offset: id }), 'room:join ack');
    expectValid(serverEvents['catchup:done'].payload, await done, 'catchup:done');
    expectValid(clientEvents['room:leave'].ack, await bobSocket.timeout(5000).emitWithAck('room:leave', { room: 'global' }), 'room:leave ack');
  });
});
