import type { Express } from 'express';

/** The parts of Express 5's router (the `router` package, v2) that listing routes needs. */
interface LayerLike {
  rawPath?: string | string[];
  route?: { path: string | string[]; methods: Record<string, boolean> };
  handle?: { stack?: LayerLike[] };
}

export interface MountedRoute {
  method: string;
  /** Express syntax: `/users/:id/role`. */
  path: string;
}

function join(prefix: string, path: string): string {
  const joined = `${prefix}/${path}`.replace(/\/+/g, '/');
  return joined.length > 1 ? joined.replace(/\/$/, '') : joined;
}

function walk(stack: LayerLike[], prefix: string, out: MountedRoute[]): void {
  for (const layer of stack) {
    if (layer.route) {
      const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path];
      const methods = Object.keys(layer.route.methods).filter((m) => m !== '_all');
      for (const path of paths) for (const method of methods) out.push({ method: method.toUpperCase(), path: join(prefix, path) });
    } else if (layer.handle?.stack) {
      const mounts = Array.isArray(layer.rawPath) ? layer.rawPath : [layer.rawPath ?? '/'];
      for (const mount of mounts) walk(layer.handle.stack, join(prefix, mount), out);
    }
  }
}

/** Every route (method and path) mounted on the app, nested routers included. */
export function mountedRoutes(app: Express): MountedRoute[] {
  const out: MountedRoute[] = [];
  walk((app.router as unknown as { stack: LayerLike[] }).stack, '', out);
  const seen = new Set<string>();
  return out.filter((r) => {
    const key = `${r.method} ${r.path}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** `/users/:id/role` → `/users/{id}/role`. */
export function toOpenApiPath(path: string): string {
  return path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}
