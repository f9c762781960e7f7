import { timingSafeEqual } from 'node:crypto';
import { Router, type Request, type RequestHandler } from 'express';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { getSequelize } from './db/sequelize';
import { AppError } from './errors';
import { hasherQueueDepth } from './services/auth/password-hash.pool';
import type { AppServer } from './socket/types';

/** The label of a request that matched no route: raw URLs would make one series per URL. */
export const UNMATCHED_ROUTE = '(unmatched)';

/** Committed chat messages in this process (read by every registry's `chat_messages_total`). */
let chatMessages = 0;

export function countChatMessage(): void {
  chatMessages += 1;
}

interface PoolCounts {
  size: number;
  available: number;
  using: number;
  waiting: number;
}

/** sequelize-pool's counters (not in Sequelize's types); absent before the first connect. */
function poolCounts(): PoolCounts | undefined {
  try {
    const manager = getSequelize().connectionManager as unknown as { pool?: Partial<PoolCounts> };
    const pool = manager.pool;
    if (!pool || typeof pool.using !== 'number') return undefined;
    return { size: pool.size ?? 0, available: pool.available ?? 0, using: pool.using, waiting: pool.waiting ?? 0 };
  } catch {
    return undefined; // not connected
  }
}

/**
 * The Prometheus series of one app/server (contract §8), on a registry of its own so several
 * servers in one process (tests, the bench) never register a metric twice. Disabled (no
 * registry, no per-request work) unless a token is given.
 */
export class AppMetrics {
  readonly registry = new Registry();
  readonly token: string;
  private readonly httpDuration: Histogram<'method' | 'route' | 'status'>;
  private io?: AppServer;

  constructor(token: string) {
    this.token = token;
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    this.httpDuration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request duration, by method, route pattern and status',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    const sockets = () => this.io?.of('/').sockets.size ?? 0;
    new Gauge({
      name: 'socketio_connected_sockets',
      help: 'Socket.IO sockets connected to this server',
      registers,
      collect() {
        this.set(sockets());
      },
    });
    new Counter({
      name: 'chat_messages_total',
      help: 'Chat messages committed by this process',
      registers,
      collect() {
        this.reset();
        this.inc(chatMessages);
      },
    });
    new Gauge({
      name: 'db_pool_connections',
      help: 'Database pool connections by state (idle, used, waiting = requests waiting for one)',
      labelNames: ['state'],
      registers,
      collect() {
        const counts = poolCounts() ?? { size: 0, available: 0, using: 0, waiting: 0 };
        this.set({ state: 'idle' }, counts.available);
        this.set({ state: 'used' }, counts.using);
        this.set({ state: 'waiting' }, counts.waiting);
      },
    });
    new Gauge({
      name: 'password_hash_queue_depth',
      help: 'Password hash/compare tasks waiting for a hashing thread',
      registers,
      collect() {
        this.set(hasherQueueDepth());
      },
    });
  }

  watchSockets(io: AppServer): void {
    this.io = io;
  }

  /** The histogram's child per `method route status` (prom-client hashes a label object on every observe). */
  private readonly durations = new Map<string, { observe(seconds: number): void }>();

  private observe(method: string, route: string, status: number, seconds: number): void {
    const key = `${method} ${route} ${status}`;
    let child = this.durations.get(key);
    if (!child) {
      child = this.httpDuration.labels(method, route, String(status));
      this.durations.set(key, child);
    }
    child.observe(seconds);
  }

  /** Times every request; the route label is the matched pattern (`/cars/:id`), read once it finished. */
  readonly timeRequests: RequestHandler = (req, res, next) => {
    const started = performance.now();
    res.once('finish', () => this.observe(req.method, routeOf(req), res.statusCode, (performance.now() - started) / 1000));
    next();
  };
}

function routeOf(req: Request): string {
  const route: unknown = req.route;
  const path = typeof route === 'object' && route !== null && 'path' in route ? route.path : undefined;
  return typeof path === 'string' ? `${req.baseUrl}${path}` : UNMATCHED_ROUTE;
}

function bearerMatches(header: string | undefined, token: string): boolean {
  const match = /^Bearer (.+)$/.exec(header ?? '');
  if (!match?.[1]) return false;
  const given = Buffer.from(match[1]);
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** `GET /metrics`: 404 when disabled, 401 without the bearer token, else the Prometheus text. */
export function metricsRouter(metrics: AppMetrics | undefined): Router {
  const router = Router();
  router.get('/metrics', async (req, res) => {
    if (!metrics) throw AppError.notFound();
    if (!bearerMatches(req.headers.authorization, metrics.token)) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="metrics"');
      throw AppError.unauthenticated('A valid metrics bearer token is required');
    }
    res.setHeader('Content-Type', metrics.registry.contentType);
    res.setHeader('Cache-Control', 'no-store');
    res.send(await metrics.registry.metrics());
  });
  return router;
}
