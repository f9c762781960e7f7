import { randomUUID } from 'node:crypto';
import cors from 'cors';
import express, { type Express } from 'express';
import helmet from 'helmet';
import { pinoHttp } from 'pino-http';
import { config } from './config';
import { logger } from './logger';
import { errorHandler, notFound } from './middleware/error-handler';
import { jsonBody } from './middleware/json-body';
import { buildRoutes } from './routes';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export function corsOrigin(): cors.CorsOptions['origin'] {
  if (config.corsOrigins) return config.corsOrigins.includes('*') ? '*' : config.corsOrigins;
  return config.isProduction ? false : '*';
}

/** Builds the Express app with no side effects: no listening, no connecting. */
export function createApp(): Express {
  const app = express();
  app.disable('x-powered-by');
  if (config.TRUST_PROXY) {
    const value = config.TRUST_PROXY;
    app.set('trust proxy', /^\d+$/.test(value) ? Number(value) : value === 'true' ? true : value);
  }
  app.use(
    pinoHttp({
      logger,
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
  app.use(buildRoutes());
  app.use(notFound);
  app.use(errorHandler);
  return app;
}
