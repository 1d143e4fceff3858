// The single-page app for the Node front door, served by `sirv` with the same rules as nginx.conf:
// hashed files under /assets/ cached for a year (immutable), everything else revalidated, unknown
// paths without a file extension fall back to index.html (client-side routes), missing assets 404.
import { existsSync } from 'node:fs';
import path from 'node:path';
import sirv from 'sirv';

const ASSETS = /^\/assets\//;

/** A request handler `(req, res)` serving `webDist`. */
export function createStaticHandler(webDist) {
  // dev: look files up on each request, so a rebuild of apps/web/dist is served at once.
  const serve = sirv(webDist, {
    dev: true,
    etag: true,
    single: true,
    ignores: ['^/assets/'],
    setHeaders(res, pathname) {
      res.setHeader('Cache-Control', ASSETS.test(pathname) ? 'public, max-age=31536000, immutable' : 'no-cache');
      res.setHeader('X-Content-Type-Options', 'nosniff');
    },
  });
  const notFound = (res) => res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found\n');

  return (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    if (!existsSync(path.join(webDist, 'index.html'))) {
      res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' }).end('The web app is not built (apps/web/dist is missing).\n');
      return;
    }
    serve(req, res, () => notFound(res));
  };
}
