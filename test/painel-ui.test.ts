import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './support/test-app.ts';

/**
 * How Ponte serves the painel's web UI at /painel/: the built single-page app with a fallback for
 * its client-side routes, never swallowing /painel/api/… — or, before `npm run build:painel`, a
 * Portuguese page saying to run it.
 */

const DIST = fileURLToPath(new URL('../painel/dist/', import.meta.url));
const built = existsSync(`${DIST}index.html`);

describe('painel web UI at /painel', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('redirects /painel to /painel/', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/painel' });
    expect(response.statusCode).toBe(302);
    expect(response.headers.location).toBe('/painel/');
  });

  it('keeps unknown /painel/api/… paths the API’s JSON 404', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/painel/api/nao-existe' });
    expect(response.statusCode).toBe(404);
    expect(response.json().error.code).toBe('ROUTE_NOT_FOUND');
  });

  it.runIf(built)('serves index.html for the app and its client-side routes, never cached', async () => {
    const index = readFileSync(`${DIST}index.html`, 'utf8');
    for (const url of ['/painel/', '/painel/seguranca/grupos', '/painel/logs?pagina=2']) {
      const response = await t.app.inject({ method: 'GET', url });
      expect(response.statusCode, url).toBe(200);
      expect(response.headers['content-type']).toContain('text/html');
      expect(response.headers['cache-control']).toBe('no-cache');
      expect(response.body).toBe(index);
    }
  });

  it.runIf(built)('serves the hashed assets the page names, cached for good', async () => {
    const index = readFileSync(`${DIST}index.html`, 'utf8');
    const asset = /src="(\/painel\/assets\/[^"]+\.js)"/.exec(index)?.[1];
    expect(asset).toBeDefined();
    const response = await t.app.inject({ method: 'GET', url: asset! });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('javascript');
    expect(response.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  });

  it.runIf(!built)('without a build, answers a page that says how to build it', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/painel/' });
    expect(response.statusCode).toBe(503);
    expect(response.headers['content-type']).toContain('text/html');
    expect(response.body).toContain('npm run build:painel');
  });
});
