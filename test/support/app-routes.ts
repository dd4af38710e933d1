import type { Express } from 'express';
import { actionOf } from '../../src/policy/principal-of-request.js';
import type { Action } from '../../src/policy/policy-table.js';

/** One endpoint of the app and the policy action its allow() middleware or openRoute() handler names (undefined: none). */
export type AppRoute = { method: string; path: string; action: Action | undefined };

/**
 * The shape of Express 5's router stack (package `router` 2.x), which @types/express
 * does not describe: a layer is a route, a mounted router (its handle has a stack) or
 * plain middleware, mounted at `rawPath`.
 */
type Layer = {
  name: string;
  rawPath?: string | string[];
  handle: { stack?: Layer[] };
  route?: { path: string | string[]; methods: Record<string, boolean>; stack: { handle: unknown }[] };
};

/** Middleware mounted under a path that answers no request itself (it only refuses some: a body, a flood). */
const PLUMBING = new Set(['jsonParser', 'apiRateLimit', 'pageRateLimit', 'accountSession', 'accountPages']);

/**
 * Every endpoint of the app, found by walking the router stack of the app that runs:
 * routes, and middleware mounted under a path that answers requests (static files).
 */
export function appRoutes(app: Express): AppRoute[] {
  const root = (app as unknown as { router: { stack: Layer[] } }).router;
  return walk(root.stack, '');
}

function walk(stack: Layer[], prefix: string): AppRoute[] {
  const found: AppRoute[] = [];
  for (const layer of stack) {
    const paths = [layer.route?.path ?? layer.rawPath ?? '/'].flat();
    if (layer.route) {
      const action = layer.route.stack.map((s) => actionOf(s.handle)).find((a) => a !== undefined);
      const methods = Object.keys(layer.route.methods).filter((m) => m !== '_all');
      for (const p of paths) for (const m of methods) found.push({ method: m.toUpperCase(), path: prefix + p, action });
      continue;
    }
    for (const p of paths) {
      const mount = p === '/' ? '' : p;
      if (layer.handle.stack) {
        found.push(...walk(layer.handle.stack, prefix + mount));
        continue;
      }
      if (!mount) continue; // app-wide middleware: helmet, the request log, the error handlers
      // Mounted middleware that answers requests itself (static files) carries its action.
      const action = actionOf(layer.handle);
      if (action) found.push({ method: 'GET', path: `${prefix}${mount}/*file`, action });
      else if (!PLUMBING.has(layer.name)) found.push({ method: 'USE', path: `${prefix}${mount}/*`, action: undefined });
    }
  }
  return found;
}

export const routeName = (r: Pick<AppRoute, 'method' | 'path'>) => `${r.method} ${r.path}`;
