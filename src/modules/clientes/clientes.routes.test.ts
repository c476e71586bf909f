import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCliente, loginAs } from '../../../test/support/fixtures.ts';
import { createTestApp, type TestApp } from '../../../test/support/test-app.ts';

describe('painel API: log retention per cliente', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  const put = (clienteId: string, headers: Record<string, string>, dias: unknown) =>
    t.app.inject({ method: 'PUT', url: `/painel/api/clientes/${clienteId}/retencao-logs`, headers, payload: { dias } });

  it('starts at 30 days; an admin changes it, audited, and the purge reads it', async () => {
    const cliente = await createCliente(t);
    const admin = await loginAs(t, { clienteId: cliente.id, role: 'admin' });
    const before = await t.app.inject({ url: `/painel/api/clientes/${cliente.id}`, headers: { cookie: admin.cookieHeader } });
    expect(before.json().retencaoLogsDias).toBe(30);

    const changed = await put(cliente.id, admin.headers, 90);
    expect(changed.statusCode).toBe(200);
    expect(changed.json().retencaoLogsDias).toBe(90);
    const stored = await t.database.db.selectFrom('clientes').select('log_retention_days').where('id', '=', cliente.id).executeTakeFirstOrThrow();
    expect(stored.log_retention_days).toBe(90);

    const audit = await t.app.inject({ url: `/painel/api/clientes/${cliente.id}/auditoria`, headers: { cookie: admin.cookieHeader } });
    expect(audit.json().eventos[0]).toMatchObject({ acao: 'cliente.retencao_logs_alterada', antes: { retencaoLogsDias: 30 }, depois: { retencaoLogsDias: 90 } });
  });

  it('refuses values outside 1–365, weaker roles and other clientes', async () => {
    const cliente = await createCliente(t);
    const admin = await loginAs(t, { clienteId: cliente.id, role: 'admin' });
    for (const dias of [0, 366, 1.5, '30']) {
      const response = await put(cliente.id, admin.headers, dias);
      expect(response.statusCode, String(dias)).toBe(400);
      expect(response.json().error.code).toBe('VALIDATION_FAILED');
    }
    const editor = await loginAs(t, { clienteId: cliente.id, role: 'editor' });
    expect((await put(cliente.id, editor.headers, 60)).statusCode).toBe(403);
    const outsider = await loginAs(t, { clienteId: (await createCliente(t)).id, role: 'admin' });
    expect((await put(cliente.id, outsider.headers, 60)).statusCode).toBe(404);
    expect((await put(cliente.id, { cookie: admin.cookieHeader }, 60)).statusCode).toBe(403);
  });
});
