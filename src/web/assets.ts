import { createReadStream, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';

const NHSUK = join(
  dirname(fileURLToPath(import.meta.resolve('nhsuk-frontend/package.json'))),
  'dist',
  'nhsuk',
);
const HTMX = fileURLToPath(import.meta.resolve('htmx.org/dist/htmx.min.js'));
const OWN = join(import.meta.dirname, 'static');

/** Where the NHS.UK frontend's Nunjucks templates live (`nhsuk/components/…`). */
export const NHSUK_TEMPLATES = dirname(NHSUK);

const VERSION = '10.6.1';

/** The files the pages load, by public name: the NHS.UK frontend, htmx, and the app's own few lines. */
const FILES: Readonly<Record<string, { path: string; type: string }>> = {
  'nhsuk.min.css': {
    path: join(NHSUK, `nhsuk-frontend-${VERSION}.min.css`),
    type: 'text/css; charset=utf-8',
  },
  'nhsuk.min.js': {
    path: join(NHSUK, `nhsuk-frontend-${VERSION}.min.js`),
    type: 'text/javascript; charset=utf-8',
  },
  'htmx.min.js': { path: HTMX, type: 'text/javascript; charset=utf-8' },
  'app.js': { path: join(OWN, 'app.js'), type: 'text/javascript; charset=utf-8' },
  'app.css': { path: join(OWN, 'app.css'), type: 'text/css; charset=utf-8' },
  'manifest.json': { path: join(NHSUK, 'assets', 'manifest.json'), type: 'application/manifest+json' },
};

const IMAGE_TYPES: Readonly<Record<string, string>> = {
  ico: 'image/x-icon',
  svg: 'image/svg+xml',
  png: 'image/png',
};

/**
 * Serves the static assets under `/assets/`: a fixed list of files (no path from the URL ever reaches the file
 * system but an image name checked against a pattern), cached for a day.
 */
export function registerAssets(app: FastifyInstance): void {
  app.get<{ Params: { name: string } }>('/assets/:name', (req, reply) => {
    const file = FILES[req.params.name];
    if (!file) return reply.code(404).type('text/plain').send('not found');
    return send(reply, file.path, file.type);
  });
  app.get<{ Params: { name: string } }>('/assets/images/:name', (req, reply) => {
    const m = /^[a-z0-9-]+\.(ico|svg|png)$/.exec(req.params.name);
    if (!m) return reply.code(404).type('text/plain').send('not found');
    return send(reply, join(NHSUK, 'assets', 'images', req.params.name), IMAGE_TYPES[m[1]!]!);
  });
}

function send(reply: import('fastify').FastifyReply, path: string, type: string) {
  try {
    const size = statSync(path).size;
    return reply
      .header('cache-control', 'public, max-age=86400')
      .header('content-length', size)
      .type(type)
      .send(createReadStream(path));
  } catch {
    return reply.code(404).type('text/plain').send('not found');
  }
}
