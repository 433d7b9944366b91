import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GAME_CONFIG } from '../../game/engine/index.js';
import { REPO_ROOT } from '../../platform/repo-root.js';

/** The built client: `web/dist` at the repository root. */
export const WEB_ROOT = join(REPO_ROOT, 'web', 'dist');

/**
 * Content-Security-Policy of the client pages: scripts only from this origin,
 * no inline script, sockets (SSE, WebSocket) to this origin only.
 */
export const CLIENT_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Paths that belong to the API and its streams: never answered with the page. */
const NOT_PAGES = ['/api/', '/sse/', '/ws/', '/assets/profile_pictures/'];

function wantsPage(request: FastifyRequest): boolean {
  if (request.method !== 'GET' && request.method !== 'HEAD') return false;
  const path = request.url.split('?')[0];
  if (NOT_PAGES.some((prefix) => path.startsWith(prefix))) return false;
  return String(request.headers.accept ?? '').includes('text/html');
}

export interface WebOptions {
  /** Directory of the built client; default `web/dist`. */
  root?: string;
}

/**
 * Serves the single-page client on the API's origin: the built files,
 * `GET /gameConfig.json` (the game's constants), and the page itself
 * for every other browser navigation (history-API routing). Registered at
 * the root so that its fallback sees requests no route matched.
 */
export function webRoutes(options: WebOptions = {}) {
  const root = options.root ?? WEB_ROOT;
  const indexPath = join(root, 'index.html');
  const built = existsSync(indexPath);
  const indexHtml = built ? readFileSync(indexPath) : null;

  async function plugin(app: FastifyInstance) {
    if (indexHtml) {
      app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
        if (!request.is404 || !wantsPage(request)) return;
        return reply
          .header('content-security-policy', CLIENT_CSP)
          .header('cache-control', 'no-cache')
          .type('text/html; charset=utf-8')
          .send(indexHtml);
      });
    }
    await app.register(async (files) => {
      files.get('/gameConfig.json', { schema: { hide: true } }, async (_request, reply) => {
        return reply.header('cache-control', 'no-cache').send(GAME_CONFIG);
      });
      if (!built) return;
      await files.register(fastifyStatic, {
        root,
        wildcard: false,
        cacheControl: false,
        // scripts/build-web.mjs writes .br and .gz copies of the assets.
        preCompressed: true,
        // This @fastify/static version passes the Fastify reply (older ones the raw response).
        setHeaders(res: any, path: string) {
          const set = (name: string, value: string) => (typeof res.header === 'function' ? res.header(name, value) : res.setHeader(name, value));
          if (path.endsWith('.html')) {
            set('content-security-policy', CLIENT_CSP);
            set('cache-control', 'no-cache');
          } else if (path.includes('/assets/')) {
            set('cache-control', 'public, max-age=31536000, immutable');
          }
        },
      });
    });
  }
  // Not encapsulated (what fastify-plugin does): the fallback hook must see the root's 404s.
  (plugin as any)[Symbol.for('skip-override')] = true;
  return plugin;
}
