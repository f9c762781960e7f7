import { z, type ZodType } from 'zod';
import { ChatMessageSchema } from './components';
import { clientEvents, handshakeAuthSchema, serverEvents } from '../socket/event-catalog';

type JsonObject = Record<string, unknown>;

const ref = (path: string) => ({ $ref: path });

const DESCRIPTION = [
  'Live chat and presence over Socket.IO on the API port (path `/socket.io`).',
  'Connect with `io(url, { auth: { token, offset? } })` (or the `access_token` header). A refused handshake is a `connect_error` whose message is the code: UNAUTHENTICATED, INVALID_TOKEN or TOKEN_EXPIRED.',
  "Every socket is in `global` and its user's private room; `dm:<a>-<b>` messages reach both members on every socket without joining.",
  'Acknowledged events answer `{ ok: true, … }` or `{ ok: false, error: { code, message } }`. See docs/chat.md.',
].join('\n\n');

/** The name each schema is published under (a shared one, such as ChatMessage, once). */
const names = new Map<ZodType, string>([[ChatMessageSchema, 'ChatMessage']]);

const schemaRef = (schema: ZodType, name: string) => ref(`#/components/schemas/${names.get(schema) ?? name}`);

/** The schemas as JSON Schema (draft 7, what AsyncAPI's default format extends), shared ones by $ref. */
function schemas(entries: [string, ZodType][], io: 'input' | 'output'): Record<string, JsonObject> {
  const registry = z.registry<{ id: string }>();
  registry.add(ChatMessageSchema, { id: 'ChatMessage' });
  for (const [name, schema] of entries) {
    if (registry.has(schema)) continue;
    registry.add(schema, { id: name });
    names.set(schema, name);
  }
  const out = z.toJSONSchema(registry, { target: 'draft-7', io, uri: (name) => `#/components/schemas/${name}`, unrepresentable: 'any' });
  return Object.fromEntries(
    Object.entries(out.schemas).map(([name, schema]) => {
      const { $schema: _s, $id: _i, ...rest } = schema as JsonObject;
      return [name, rest];
    }),
  );
}

const pascal = (event: string) =>
  event
    .split(/[:-]/)
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');

let cached: JsonObject | undefined;

/** The AsyncAPI 3.0 document of every Socket.IO event, both directions, from the event catalog. */
export function asyncApiDocument(): JsonObject {
  if (cached) return cached;
  const incoming = Object.entries(clientEvents).map(([event, doc]) => ({ event, doc, name: `${pascal(event)}Payload` }));
  const outgoing = Object.entries(serverEvents).map(([event, doc]) => ({ event, doc, name: `${pascal(event)}Event` }));
  const inputSchemas = schemas(
    [...incoming.map(({ name, doc }): [string, ZodType] => [name, doc.payload]), ['HandshakeAuth', handshakeAuthSchema]],
    'input',
  );
  const outputSchemas = schemas(
    [
      ...incoming.flatMap(({ event, doc }): [string, ZodType][] => ('ack' in doc ? [[`${pascal(event)}Ack`, doc.ack]] : [])),
      ...outgoing.map(({ name, doc }): [string, ZodType] => [name, doc.payload]),
    ],
    'output',
  );
  const messages: JsonObject = {};
  const operations: JsonObject = {};
  const channel = ref('#/channels/socket');
  for (const { event, doc, name } of incoming) {
    messages[event] = { name: event, summary: doc.summary, payload: schemaRef(doc.payload, name) };
    const operation: JsonObject = { action: 'receive', channel, summary: doc.summary, messages: [ref(`#/channels/socket/messages/${event}`)] };
    if ('ack' in doc) {
      messages[`${event}:ack`] = { name: `${event} ack`, payload: schemaRef(doc.ack, `${pascal(event)}Ack`) };
      operation.reply = { channel, messages: [ref(`#/channels/socket/messages/${event}:ack`)] };
    }
    operations[`receive ${event}`] = operation;
  }
  for (const { event, doc, name } of outgoing) {
    messages[`${event} (server)`] = { name: event, summary: doc.summary, payload: schemaRef(doc.payload, name) };
    operations[`send ${event}`] = { action: 'send', channel, summary: doc.summary, messages: [ref(`#/channels/socket/messages/${event} (server)`)] };
  }
  cached = {
    asyncapi: '3.0.0',
    info: { title: 'Car Community API: Socket.IO events', version: '1.0.0', description: DESCRIPTION },
    defaultContentType: 'application/json',
    servers: { api: { host: 'localhost:3000', protocol: 'ws', pathname: '/socket.io', description: 'Socket.IO v4 (Engine.IO 4) on the API port.' } },
    channels: { socket: { address: '/socket.io', title: 'The default namespace', messages } },
    operations,
    components: { schemas: { ...inputSchemas, ...outputSchemas } },
  };
  return cached;
}
