import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/test-app.ts';

describe('security headers on the painel and the demo app', () => {
  let t: TestApp;
  let production: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
    production = await createTestApp({ env: { NODE_ENV: 'production', PONTE_OUTBOUND_ALLOWLIST: 'none' } });
  });
  afterAll(async () => {
    await t?.close();
    await production?.close();
  });

  it.each(['/painel/', '/painel/integracao', '/demo', '/painel/api/sessao'])('%s: CSP without inline scripts, never framed, nosniff, no referrer', async (url) => {
    const response = await t.app.inject({ method: 'GET', url });
    const csp = String(response.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(response.headers['x-frame-options']).toBe('DENY');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['referrer-policy']).toBe('no-referrer');
    expect(response.headers['strict-transport-security']).toBeUndefined();
  });

  it('HSTS in production', async () => {
    const response = await production.app.inject({ method: 'GET', url: '/painel/' });
    expect(response.headers['strict-transport-security']).toMatch(/max-age=\d+/);
  });

  it('the public client API gets nosniff but no CSP (its callers are servers and WebView pages)', async () => {
    const response = await t.app.inject({ method: 'POST', url: '/clientes/auth/temp-authorization' });
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['content-security-policy']).toBeUndefined();
  });
});
