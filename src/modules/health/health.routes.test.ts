import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/test-app.ts';

/** Readiness over the real storage; outages of a real PostgreSQL or Redis are in test/faults.test.ts. */
describe('/healthz and /readyz', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('ready while the database and the key-value store answer', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/readyz' });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toEqual({ status: 'ok', database: t.database.kind, kv: 'ok' });
    expect(response.headers['cache-control']).toBe('no-store');
  });

  it('once draining (SIGTERM), /readyz answers 503 at once while /healthz and the API keep answering', async () => {
    t.startDraining();
    const ready = await t.app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(503);
    expect(ready.json()).toMatchObject({ status: 'encerrando' });
    expect((await t.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'POST', url: '/clientes/auth/temp-authorization' })).statusCode).toBe(401);
  });
});
