import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCliente, loginAs } from '../../../test/support/fixtures.ts';
import { createTestApp, type TestApp } from '../../../test/support/test-app.ts';

/**
 * Issue 13: the auditoria records the instância of each change, names what it points at
 * (funcionalidade, token prefix + description, person), filters by ação, quem, período and
 * instância, and exports CSV — scoped to the cliente.
 */

type Evento = {
  id: string;
  ator: string;
  atorId: string | null;
  acao: string;
  instancia: 1 | 2 | null;
  alvo: { tipo: string; id: string; nome: string | null };
  antes: Record<string, unknown> | null;
  depois: Record<string, unknown> | null;
  nomes: Record<string, string>;
  criadoEm: number;
};

describe('GET /painel/api/clientes/:clienteId/auditoria', () => {
  let t: TestApp;
  let clienteId: string;
  let admin: Awaited<ReturnType<typeof loginAs>>;
  let leitor: Awaited<ReturnType<typeof loginAs>>;
  let funcionalidadeId: string;
  let tokenId: string;
  let tokenStart: string;

  const list = async (query = '', session = leitor) => {
    const response = await t.app.inject({ method: 'GET', url: `/painel/api/clientes/${clienteId}/auditoria${query}`, headers: { cookie: session.cookieHeader } });
    expect(response.statusCode, response.body).toBe(200);
    return (response.json() as { eventos: Evento[] }).eventos;
  };

  beforeAll(async () => {
    t = await createTestApp();
    clienteId = (await createCliente(t)).id;
    admin = await loginAs(t, { clienteId, role: 'admin' });
    leitor = await loginAs(t, { clienteId, role: 'leitor' });

    const created = await t.app.inject({
      method: 'POST',
      url: `/painel/api/clientes/${clienteId}/instancias/2/funcionalidades`,
      headers: admin.headers,
      payload: { nome: 'Carteirinha', url: 'https://operadora.example/carteirinha' },
    });
    expect(created.statusCode, created.body).toBe(201);
    funcionalidadeId = created.json().id;
    const renamed = await t.app.inject({
      method: 'PUT',
      url: `/painel/api/clientes/${clienteId}/instancias/2/funcionalidades/${funcionalidadeId}`,
      headers: admin.headers,
      payload: { nome: 'Carteirinha digital', url: 'https://operadora.example/carteirinha' },
    });
    expect(renamed.statusCode, renamed.body).toBe(200);

    const token = await t.services.tokens.create({ clienteId, apis: ['chavePasse'], descricao: 'Portal do beneficiário', actor: { userId: admin.user.id, label: admin.email } });
    tokenId = token.token.id;
    tokenStart = token.token.tokenStart;
  });
  afterAll(async () => {
    await t?.close();
  });

  it('records the instância of each change and names its target; cliente-wide changes have none', async () => {
    const eventos = await list();
    const funcionalidade = eventos.filter((e) => e.alvo.id === funcionalidadeId);
    expect(funcionalidade.map((e) => [e.acao, e.instancia, e.alvo.nome])).toEqual([
      ['funcionalidade.alterada', 2, 'Carteirinha digital'],
      ['funcionalidade.criada', 2, 'Carteirinha digital'],
    ]);
    const token = eventos.find((e) => e.alvo.id === tokenId)!;
    expect(token).toMatchObject({ acao: 'token.criado', instancia: null, ator: admin.email, atorId: admin.user.id, alvo: { tipo: 'token', nome: `${tokenStart}… (Portal do beneficiário)` } });
  });

  it('a removed item keeps the name its last event recorded', async () => {
    const removed = await t.app.inject({ method: 'DELETE', url: `/painel/api/clientes/${clienteId}/instancias/2/funcionalidades/${funcionalidadeId}`, headers: admin.headers });
    expect(removed.statusCode, removed.body).toBe(204);
    const eventos = await list('?acao=funcionalidade.removida');
    expect(eventos.map((e) => [e.acao, e.instancia, e.alvo.nome])).toEqual([['funcionalidade.removida', 2, 'Carteirinha digital']]);
  });

  it('filters by ação (exact or family), quem, período and instância', async () => {
    expect((await list('?instancia=2')).every((e) => e.instancia === 2)).toBe(true);
    expect((await list('?instancia=2')).length).toBeGreaterThanOrEqual(3);
    expect((await list('?instancia=0')).map((e) => e.acao)).toContain('token.criado');
    expect((await list('?instancia=0')).every((e) => e.instancia === null)).toBe(true);
    expect((await list('?instancia=1')).length).toBe(0);
    expect((await list('?acao=funcionalidade.')).map((e) => e.acao).sort()).toEqual(['funcionalidade.alterada', 'funcionalidade.criada', 'funcionalidade.removida']);
    // A family with a hyphen (envio-mensagens.alterado, envio-mensagens.teste) is a valid filter too.
    expect(await list('?acao=envio-mensagens.')).toEqual([]);
    expect((await list(`?atorId=${admin.user.id}`)).every((e) => e.atorId === admin.user.id)).toBe(true);
    expect((await list(`?atorId=${leitor.user.id}`)).length).toBe(0);
    const future = Date.now() + 60_000;
    expect(await list(`?de=${future}`)).toEqual([]);
    expect((await list(`?ate=${future}`)).length).toBeGreaterThan(0);

    const bad = await t.app.inject({ method: 'GET', url: `/painel/api/clientes/${clienteId}/auditoria?instancia=3&de=5&ate=1`, headers: { cookie: leitor.cookieHeader } });
    expect(bad.statusCode).toBe(400);

    const atores = await t.app.inject({ method: 'GET', url: `/painel/api/clientes/${clienteId}/auditoria/atores`, headers: { cookie: leitor.cookieHeader } });
    expect(atores.json().atores).toEqual(expect.arrayContaining([{ atorId: admin.user.id, ator: admin.email }]));
  });

  it('exports the filtered events as CSV, names resolved, formulas neutralised', async () => {
    await t.services.audit.record({ clienteId, actor: { userId: null, label: '=HYPERLINK("http://x")' }, action: 'teste.csv', targetType: 'teste', targetId: 'alvo-csv', instancia: 1 });
    const response = await t.app.inject({ method: 'GET', url: `/painel/api/clientes/${clienteId}/auditoria/exportar?acao=funcionalidade.`, headers: { cookie: leitor.cookieHeader } });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toMatch(/^attachment; filename="auditoria-\d{4}-\d{2}-\d{2}\.csv"$/);
    expect(response.headers['x-total']).toBe('3');
    const lines = response.body.replace(/^\uFEFF/, '').trimEnd().split('\r\n');
    expect(lines[0]).toBe('quando,instancia,quem,acao,alvoTipo,alvoNome,alvoId,antes,depois,requestId');
    expect(lines).toHaveLength(4);
    expect(lines.slice(1).every((l) => l.includes(',Produção,') && l.includes('Carteirinha digital'))).toBe(true);

    const formula = await t.app.inject({ method: 'GET', url: `/painel/api/clientes/${clienteId}/auditoria/exportar?acao=teste.csv`, headers: { cookie: leitor.cookieHeader } });
    expect(formula.body).toContain(`"'=HYPERLINK(""http://x"")"`);
  });

  it('another cliente sees none of it, not even the names', async () => {
    const other = await createCliente(t, 'Outra');
    const stranger = await loginAs(t, { clienteId: other.id, role: 'admin' });
    const response = await t.app.inject({ method: 'GET', url: `/painel/api/clientes/${clienteId}/auditoria`, headers: { cookie: stranger.cookieHeader } });
    expect(response.statusCode).toBe(404);
    const own = await t.app.inject({ method: 'GET', url: `/painel/api/clientes/${other.id}/auditoria/exportar`, headers: { cookie: stranger.cookieHeader } });
    expect(own.statusCode).toBe(200);
    expect(own.body).not.toContain('Carteirinha');
  });
});
