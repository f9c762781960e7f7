import path from 'node:path';
import { Router, type NextFunction, type Request, type Response } from 'express';
import { SWAGGER_INIT } from './swagger-page';

const SWAGGER_DIR = path.dirname(require.resolve('swagger-ui-dist/package.json'));
/** The only files of swagger-ui-dist that are served (not its source maps or demo page). */
const ASSETS = new Set(['swagger-ui.css', 'swagger-ui-bundle.js', 'swagger-ui-standalone-preset.js', 'favicon-32x32.png', 'favicon-16x16.png']);

function swaggerAssets(req: Request, res: Response, next: NextFunction): void {
  const name = req.path.slice(1);
  if (req.method !== 'GET' && req.method !== 'HEAD') return next();
  if (name === 'swagger-initializer.js') {
    res.type('application/javascript').send(SWAGGER_INIT);
    return;
  }
  if (!ASSETS.has(name)) return next();
  res.sendFile(path.join(SWAGGER_DIR, name), { maxAge: '1d' }, (err) => {
    if (err && !res.headersSent) next(err);
  });
}

/** The files Swagger UI at `GET /docs` loads, under /docs/ (static assets, not endpoints). */
export function docsRouter(): Router {
  const router = Router();
  router.use('/docs', swaggerAssets);
  return router;
}
