import cors from 'cors';
import express, { type Express } from 'express';
import helmet from 'helmet';
import { config } from './config';
import { docsRouter } from './docs/docs.routes';
import { logger as defaultLogger, type Logger } from './logger';
import { errorHandler, notFound } from './middleware/error-handler';
import { jsonBody } from './middleware/json-body';
import { rateLimitsFromConfig, type RateLimits } from './middleware/rate-limit';
import { requestLogger } from './middleware/request-logger';
import { staticHeaders } from './middleware/static-headers';
import { AppMetrics, metricsRouter } from './metrics';
import { buildRoutes } from './routes';

/** `*` outside production when unset; in production only the listed origins (none when unset). */
export function corsOrigin(): cors.CorsOptions['origin'] {
  if (config.corsOrigins) return config.corsOrigins.includes('*') ? '*' : config.corsOrigins;
  return config.isProduction ? false : '*';
}

export interface AppOptions {
  /** Brute-force limits other than the configured ones (tests use small ones). */
  rateLimits?: Partial<RateLimits>;
  /** An Express `trust proxy` value other than TRUST_PROXY's. */
  trustProxy?: string;
  /** Where request and error logs go (tests pass a logger writing to a stream they read). */
  logger?: Logger;
  /** Where this app's Prometheus series go; defaults to a registry of its own when METRICS_TOKEN is set. */
  metrics?: AppMetrics;
}

function trustProxySetting(value: string): boolean | number | string {
  if (/^\d+$/.test(value)) return Number(value);
  if (value === 'true' || value === 'false') return value === 'true';
  return value;
}

/** Builds the Express app with no side effects: no listening, no connecting. */
export function createApp(options: AppOptions = {}): Express {
  const app = express();
  const metrics = options.metrics ?? (config.METRICS_TOKEN ? new AppMetrics(config.METRICS_TOKEN) : undefined);
  if (metrics) app.use(metrics.timeRequests);
  app.disable('x-powered-by');
  // API bodies change with every write and no client revalidates them: a SHA-1 of every
  // JSON body would cost CPU for nothing (static Swagger assets keep their own ETags).
  app.set('etag', false);
  const trustProxy = options.trustProxy ?? config.TRUST_PROXY;
  if (trustProxy) app.set('trust proxy', trustProxySetting(trustProxy));
  app.use(requestLogger(options.logger ?? defaultLogger));
  // No `upgrade-insecure-requests`: over plain HTTP on a LAN address it made browsers fetch
  // the Swagger UI assets (and its "Try it out" calls) over https, which fails. HSTS still
  // tells browsers to use https once the API is served over it.
  app.use(
    staticHeaders(
      helmet({ contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } } }),
      cors({
        origin: corsOrigin(),
        exposedHeaders: ['X-Total-Count', 'Link', 'Retry-After', 'X-Request-Id', 'ETag'],
        allowedHeaders: ['Content-Type', 'Authorization', 'access_token', 'X-Request-Id'],
      }),
    ),
  );
  app.use(jsonBody);
  // The API first: its requests are not matched against the metrics and docs routes on the
  // way (no path is shared, and nothing of the API's catches unknown paths).
  app.use(buildRoutes({ ...rateLimitsFromConfig(), ...options.rateLimits }));
  app.use(metricsRouter(metrics));
  app.use(docsRouter());
  app.use(notFound);
  app.use(errorHandler);
  return app;
}
