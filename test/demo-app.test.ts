import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './support/test-app.ts';

/**
 * How Ponte serves the beneficiary demo app at /demo: the second page of the painel's build
 * (`painel/demo.html`), its assets under /painel/assets/ — or, before a build, the page saying how
 * to build it.
 */

const DIST = fileURLToPath(new URL('../painel/dist/', import.meta.url));
const built = existsSync(`${DIST}demo.html`);

describe('beneficiary demo app at /demo', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it.runIf(built)('serves demo.html at /demo and /demo/ (with the app id in the query), never cached', async () => {
    const page = readFileSync(`${DIST}demo.html`, 'utf8');
    expect(page).toContain('App do beneficiário — demo');
    for (const url of ['/demo', '/demo/', '/demo?app=app_sbx_qualquer']) {
      const response = await t.app.inject({ method: 'GET', url });
      expect(response.statusCode, url).toBe(200);
      expect(response.headers['content-type']).toContain('text/html');
      expect(response.headers['cache-control']).toBe('no-cache');
      expect(response.body).toBe(page);
    }
  });

  it.runIf(built)('its script is a hashed asset under /painel/assets/, served as JavaScript', async () => {
    const page = readFileSync(`${DIST}demo.html`, 'utf8');
    const asset = /<script type="module" crossorigin src="(\/painel\/assets\/[^"]+\.js)"/.exec(page)?.[1];
    expect(asset).toBeDefined();
    const response = await t.app.inject({ method: 'GET', url: asset! });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('javascript');
    expect(response.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  });

  it('other paths under /demo/ are not the app', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/demo/outra-coisa' });
    expect(response.statusCode).toBe(404);
  });

  it.runIf(!built)('without a build, answers a page that says how to build it', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/demo' });
    expect(response.statusCode).toBe(503);
    expect(response.body).toContain('npm run build:painel');
  });
});
