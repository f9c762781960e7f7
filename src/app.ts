import { randomUUID } from 'node:crypto';
import cors from 'cors';
import express, { type Express } from 'express';
import helmet from 'helmet';
import { pinoHttp } from 'pino-http';
import { config } from './config';
import { logger as defaultLogger, type Logger } from './logger';
import { errorHandler, notFound } from './middleware/error-handler';
import { jsonBody } from './middleware/json-body';
import { rateLimitsFromConfig, type RateLimits } from './middleware/rate-limit';
import { buildRoutes } from './routes';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export function corsOrigin(): cors.CorsOptions['origin'] {
  if (config.corsOrigins) return config.corsOrigins.includes('*') ? '*' : config.corsOrigins;
  return config.isProduction ? false : '*';
}

export interface AppOptions {
  /** Brute-force limits other than the configured ones (tests use small ones). */
  rateLimits?: Partial<RateLimits>;
  /** An Express `trust proxy` value other than TRUST_PROXY's. */
  trustProxy?: string;
  /** Where request logs go (tests read them). */
  logger?: Logger;
}

/** Builds the Express app with no side effects: no listening, no connecting. */
export function createApp(options: AppOptions = {}): Express {
  const app = express();
  app.disable('x-powered-by');
  const trustProxy = options.trustProxy ?? config.TRUST_PROXY;
  if (trustProxy) {
    app.set('trust proxy', /^\d+$/.test(trustProxy) ? Number(trustProxy) : trustProxy === 'true' ? true : trustProxy);
  }
  app.use(
    pinoHttp({
      logger: options.logger ?? defaultLogger,
      genReqId: (req, res) => {
        const incoming = req.headers['x-request-id'];
        const id = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
        res.setHeader('X-Request-Id', id);
        return id;
      },
      customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : 'info'),
      serializers: {
        req: (req: { id: unknown; method: string; url: string }) => ({ id: req.id, method: req.method, url: req.url.split('?')[0] }),
      },
    }),
  );
  app.use(helmet());
  app.use(
    cors({
      origin: corsOrigin(),
      exposedHeaders: ['X-Total-Count', 'Link', 'Retry-After', 'X-Request-Id'],
      allowedHeaders: ['Content-Type', 'Authorization', 'access_token', 'X-Request-Id'],
    }),
  );
  app.use(jsonBody);
  app.use(buildRoutes({ ...rateLimitsFromConfig(), ...options.rateLimits }));
  app.use(notFound);
  app.use(errorHandler);
  return app;
}
