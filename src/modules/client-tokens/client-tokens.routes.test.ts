import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCliente, createClientToken, loginAs } from '../../../test/support/fixtures.ts';
import { createTestApp, type TestApp } from '../../../test/support/test-app.ts';

/**
 * The painel's list of tokens do cliente (`GET /painel/api/clientes/:clienteId/tokens`): each
 * token's id is `tok_` and 96 random bits in lowercase hex, the same id the creation returned.
 */

const TOKEN_ID = /^tok_[0-9a-f]{24}$/;

describe('painel API: token ids in the list of tokens do cliente', () => {
  let t: TestApp;
  let clienteId: string;
  let admin: Awaited<ReturnType<typeof loginAs>>;

  beforeAll(async () => {
    t = await createTestApp();
    clienteId = (await createCliente(t)).id;
    admin = await loginAs(t, { clienteId, role: 'admin' });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('lists every token with an id "tok_" + 24 lowercase hex, the one the creation returned', async () => {
    const url = `/painel/api/clientes/${clienteId}/tokens`;
    const created = await t.app.inject({ method: 'POST', url, headers: admin.headers, payload: { apis: ['chavePasse'], descricao: 'pelo painel' } });
    expect(created.statusCode, created.body).toBe(201);
    const viaPainel = created.json().id as string;
    expect(viaPainel).toMatch(TOKEN_ID);
    const viaServico = (await createClientToken(t, clienteId, ['seguranca'])).token.id;

    const list = await t.app.inject({ method: 'GET', url, headers: { cookie: admin.cookieHeader } });
    expect(list.statusCode, list.body).toBe(200);
    const ids = (list.json().tokens as { id: string }[]).map((token) => token.id);
    expect(ids.sort()).toEqual([viaPainel, viaServico].sort());
    for (const id of ids) expect(id).toMatch(TOKEN_ID);
  });
});
