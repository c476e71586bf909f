import { randomUUID } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClientToken, createCliente, loginAs } from '../../../test/support/fixtures.ts';
import { createTestApp, type TestApp } from '../../../test/support/test-app.ts';
import { seedPeople } from '../../simulator/seed-data.ts';
import { createOperatorSimulator, type OperatorSimulator } from '../../simulator/simulator.ts';

/**
 * Funcionalidades customizadas through the painel API of a real app: CRUD, the generated
 * chaveFuncionalidade, validation (https in Produção, validity 1–10 minutes), audit, and who may
 * do what.
 */

type Session = Awaited<ReturnType<typeof loginAs>>;
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('funcionalidades painel API', () => {
  let t: TestApp;
  let clienteId: string;
  let admin: Session;
  let editor: Session;
  let leitor: Session;
  let outroAdmin: Session;
  let outroClienteId: string;

  const url = (instancia: number | string = 1, id?: string, cliente = clienteId) =>
    `/painel/api/clientes/${cliente}/instancias/${instancia}/funcionalidades${id ? `/${id}` : ''}`;
  const send = (who: { headers: Record<string, string> } | undefined, method: 'POST' | 'PUT' | 'DELETE', path: string, payload?: object) =>
    t.app.inject({ method, url: path, headers: who?.headers ?? {}, ...(payload ? { payload } : {}) });
  const list = async (who: Session = leitor, instancia: 1 | 2 = 1) => {
    const response = await t.app.inject({ method: 'GET', url: url(instancia), headers: { cookie: who.cookieHeader } });
    expect(response.statusCode, response.body).toBe(200);
    return response.json().funcionalidades as Record<string, unknown>[];
  };
  const expectError = (response: LightMyRequestResponse, status: number, code: string) =>
    expect({ status: response.statusCode, code: response.json().error?.code }, response.body).toEqual({ status, code });
  const invalidFields = (response: LightMyRequestResponse) => {
    expectError(response, 400, 'VALIDATION_FAILED');
    return (response.json().error.details as { field?: string }[]).map((d) => d.field);
  };
  const create = async (payload: object, instancia: 1 | 2 = 1, who: Session = editor) => {
    const response = await send(who, 'POST', url(instancia), payload);
    expect(response.statusCode, response.body).toBe(201);
    return response.json();
  };

  beforeAll(async () => {
    t = await createTestApp();
    clienteId = (await createCliente(t)).id;
    outroClienteId = (await createCliente(t, 'Outra Operadora')).id;
    admin = await loginAs(t, { clienteId, role: 'admin' });
    editor = await loginAs(t, { clienteId, role: 'editor' });
    leitor = await loginAs(t, { clienteId, role: 'leitor' });
    outroAdmin = await loginAs(t, { clienteId: outroClienteId, role: 'admin' });
  });
  afterAll(async () => {
    await t?.close();
  });

  describe('CRUD', () => {
    it('creates with a generated UUID chaveFuncionalidade and the defaults (10 minutes, active, codigo = chave)', async () => {
      const before = Date.now();
      const created = await create({ nome: '  Carteirinha  ', url: 'https://webview.operadora.example/carteirinha?tema=azul' });
      expect(created).toEqual({
        id: expect.any(String),
        instancia: 1,
        nome: 'Carteirinha',
        url: 'https://webview.operadora.example/carteirinha?tema=azul',
        chaveFuncionalidade: expect.stringMatching(UUID_V4),
        codigo: created.chaveFuncionalidade,
        validadeMinutos: 10,
        ativa: true,
        criadaEm: expect.any(Number),
        atualizadaEm: created.criadaEm,
      });
      expect(created.criadaEm).toBeGreaterThanOrEqual(before);
      expect(await list()).toContainEqual(created);
      // Another one gets another key.
      const second = await create({ nome: 'Boleto', url: 'https://webview.operadora.example/boleto' });
      expect(second.chaveFuncionalidade).toMatch(UUID_V4);
      expect(second.chaveFuncionalidade).not.toBe(created.chaveFuncionalidade);
    });

    it('PUT changes every field but the chaveFuncionalidade, even when the body names one', async () => {
      const created = await create({ nome: 'Reembolso', url: 'https://webview.operadora.example/reembolso', codigo: 'reembolso', validadeMinutos: 5 });
      expect(created).toMatchObject({ codigo: 'reembolso', validadeMinutos: 5 });
      const response = await send(editor, 'PUT', url(1, created.id), {
        nome: 'Reembolso online',
        url: 'https://outra.operadora.example/reembolso?v=2',
        codigo: 'reembolso-online',
        validadeMinutos: 1,
        ativa: false,
        chaveFuncionalidade: randomUUID(),
      });
      expect(response.statusCode, response.body).toBe(200);
      const updated = response.json();
      expect(updated).toEqual({
        ...created,
        nome: 'Reembolso online',
        url: 'https://outra.operadora.example/reembolso?v=2',
        codigo: 'reembolso-online',
        validadeMinutos: 1,
        ativa: false,
        atualizadaEm: expect.any(Number),
      });
      expect(await list()).toContainEqual(updated);
      // Leaving the optional fields out keeps them.
      const kept = await send(editor, 'PUT', url(1, created.id), { nome: 'Reembolso', url: 'https://outra.operadora.example/reembolso' });
      expect(kept.json()).toMatchObject({ chaveFuncionalidade: created.chaveFuncionalidade, codigo: 'reembolso-online', validadeMinutos: 1, ativa: false });
    });

    it('DELETE removes it; it is then 404 for PUT and DELETE', async () => {
      const created = await create({ nome: 'Temporária', url: 'https://webview.operadora.example/tmp' });
      expect((await send(editor, 'DELETE', url(1, created.id))).statusCode).toBe(204);
      expect((await list()).map((f) => f.id)).not.toContain(created.id);
      expectError(await send(editor, 'DELETE', url(1, created.id)), 404, 'NOT_FOUND');
      expectError(await send(editor, 'PUT', url(1, created.id), { nome: 'x', url: 'https://x.example' }), 404, 'NOT_FOUND');
    });

    it('each instância has its own list; a funcionalidade is not reachable through the other instância', async () => {
      const producao = await create({ nome: 'Só em Produção', url: 'https://webview.operadora.example/prod' }, 2);
      expect(producao.instancia).toBe(2);
      expect((await list(leitor, 2)).map((f) => f.id)).toContain(producao.id);
      expect((await list(leitor, 1)).map((f) => f.id)).not.toContain(producao.id);
      expectError(await send(editor, 'PUT', url(1, producao.id), { nome: 'x', url: 'https://x.example' }), 404, 'NOT_FOUND');
      expectError(await send(editor, 'DELETE', url(1, producao.id)), 404, 'NOT_FOUND');
    });
  });

  describe('validation', () => {
    it('Produção (instância 2) requires https; Sandbox accepts http', async () => {
      expect(invalidFields(await send(editor, 'POST', url(2), { nome: 'Http', url: 'http://webview.operadora.example/x' }))).toEqual(['url']);
      const sandbox = await create({ nome: 'Http no Sandbox', url: 'http://localhost:8080/x' }, 1);
      expect(sandbox.url).toBe('http://localhost:8080/x');
      const producao = await create({ nome: 'Https', url: 'https://webview.operadora.example/x' }, 2);
      // Also on update.
      expect(invalidFields(await send(editor, 'PUT', url(2, producao.id), { nome: 'Https', url: 'http://webview.operadora.example/x' }))).toEqual(['url']);
    });

    it('refuses a URL that is not absolute http(s), carries credentials, or already has chavePasse', async () => {
      for (const bad of ['webview.operadora.example/x', '/relativa', 'ftp://webview.operadora.example/x', 'javascript:alert(1)', 'https://user:pass@webview.operadora.example/', 'https://webview.operadora.example/?chavePasse=abc', '']) {
        expect(invalidFields(await send(editor, 'POST', url(1), { nome: 'Ruim', url: bad })), bad).toEqual(['url']);
      }
    });

    it('validadeMinutos goes from 1 to 10 whole minutes', async () => {
      for (const validadeMinutos of [0, 11, -1, 1.5, 600]) {
        expect(invalidFields(await send(editor, 'POST', url(1), { nome: 'V', url: 'https://x.example', validadeMinutos })), String(validadeMinutos)).toEqual(['validadeMinutos']);
      }
      for (const validadeMinutos of [1, 10]) expect((await create({ nome: 'V', url: 'https://x.example', validadeMinutos })).validadeMinutos).toBe(validadeMinutos);
    });

    it('nome is required and bounded; the instância is 1 or 2', async () => {
      expect(invalidFields(await send(editor, 'POST', url(1), { url: 'https://x.example' }))).toEqual(['nome']);
      expect(invalidFields(await send(editor, 'POST', url(1), { nome: '   ', url: 'https://x.example' }))).toEqual(['nome']);
      expect(invalidFields(await send(editor, 'POST', url(1), { nome: 'n'.repeat(121), url: 'https://x.example' }))).toEqual(['nome']);
      expectError(await send(editor, 'POST', url(3), { nome: 'x', url: 'https://x.example' }), 400, 'VALIDATION_FAILED');
    });
  });

  it('records who created, changed and removed what in the audit', async () => {
    const created = await create({ nome: 'Auditada', url: 'https://webview.operadora.example/a' });
    await send(editor, 'PUT', url(1, created.id), { nome: 'Auditada 2', url: 'https://webview.operadora.example/a', ativa: false });
    await send(editor, 'DELETE', url(1, created.id));
    const response = await t.app.inject({ method: 'GET', url: `/painel/api/clientes/${clienteId}/auditoria?limite=200`, headers: { cookie: leitor.cookieHeader } });
    const events = (response.json().eventos as { acao: string; alvo: { id: string } }[]).filter((e) => e.alvo.id === created.id).reverse();
    const describe = { nome: 'Auditada', url: 'https://webview.operadora.example/a', codigo: created.codigo, validadeMinutos: 10, ativa: true };
    expect(events).toEqual([
      expect.objectContaining({ acao: 'funcionalidade.criada', ator: editor.email, alvo: expect.objectContaining({ tipo: 'funcionalidade', id: created.id, nome: expect.any(String) }), antes: null, depois: describe }),
      expect.objectContaining({ acao: 'funcionalidade.alterada', ator: editor.email, antes: describe, depois: { ...describe, nome: 'Auditada 2', ativa: false } }),
      expect.objectContaining({ acao: 'funcionalidade.removida', ator: editor.email, antes: { ...describe, nome: 'Auditada 2', ativa: false }, depois: null }),
    ]);
  });

  describe('who may do what', () => {
    it('a leitor reads but cannot write', async () => {
      const created = await create({ nome: 'Do editor', url: 'https://x.example' });
      expect((await list(leitor)).map((f) => f.id)).toContain(created.id);
      expectError(await send(leitor, 'POST', url(1), { nome: 'x', url: 'https://x.example' }), 403, 'FORBIDDEN');
      expectError(await send(leitor, 'PUT', url(1, created.id), { nome: 'x', url: 'https://x.example' }), 403, 'FORBIDDEN');
      expectError(await send(leitor, 'DELETE', url(1, created.id)), 403, 'FORBIDDEN');
    });

    it('an editor and an admin write', async () => {
      const byAdmin = await create({ nome: 'Do admin', url: 'https://x.example' }, 1, admin);
      expect((await send(editor, 'PUT', url(1, byAdmin.id), { nome: 'Editada', url: 'https://x.example' })).statusCode).toBe(200);
      expect((await send(admin, 'DELETE', url(1, byAdmin.id))).statusCode).toBe(204);
    });

    it('another cliente’s user gets 404, both for the cliente and through its own cliente’s path', async () => {
      const created = await create({ nome: 'Alheia', url: 'https://x.example' });
      const other = await t.app.inject({ method: 'GET', url: url(1), headers: { cookie: outroAdmin.cookieHeader } });
      expectError(other, 404, 'NOT_FOUND');
      expectError(await send(outroAdmin, 'POST', url(1), { nome: 'x', url: 'https://x.example' }), 404, 'NOT_FOUND');
      expectError(await send(outroAdmin, 'PUT', url(1, created.id), { nome: 'x', url: 'https://x.example' }), 404, 'NOT_FOUND');
      expectError(await send(outroAdmin, 'PUT', url(1, created.id, outroClienteId), { nome: 'x', url: 'https://x.example' }), 404, 'NOT_FOUND');
      expectError(await send(outroAdmin, 'DELETE', url(1, created.id, outroClienteId)), 404, 'NOT_FOUND');
      expect((await list()).find((f) => f.id === created.id)).toMatchObject({ nome: 'Alheia' });
    });

    it('no session is 401; a write without the CSRF header is 403', async () => {
      expectError(await t.app.inject({ method: 'GET', url: url(1) }), 401, 'UNAUTHENTICATED');
      expectError(await send(undefined, 'POST', url(1), { nome: 'x', url: 'https://x.example' }), 401, 'UNAUTHENTICATED');
      const noCsrf = await t.app.inject({ method: 'POST', url: url(1), headers: { cookie: editor.cookieHeader }, payload: { nome: 'x', url: 'https://x.example' } });
      expectError(noCsrf, 403, 'CSRF_REJECTED');
      const wrongCsrf = await t.app.inject({ method: 'POST', url: url(1), headers: { cookie: editor.cookieHeader, 'x-csrf-token': admin.csrfToken }, payload: { nome: 'x', url: 'https://x.example' } });
      expectError(wrongCsrf, 403, 'CSRF_REJECTED');
    });
  });
});

describe('removing a funcionalidade that has issued chaves passe', () => {
  let t: TestApp;
  let sim: OperatorSimulator;
  beforeAll(async () => {
    t = await createTestApp();
    sim = await createOperatorSimulator({ port: 0 });
  });
  afterAll(async () => {
    await sim?.close();
    await t?.close();
  });

  it('is 204 and its keys stop answering', async () => {
    const cliente = await createCliente(t);
    const { headers } = await loginAs(t, { clienteId: cliente.id, role: 'editor' });
    const base = `/painel/api/clientes/${cliente.id}/instancias/1`;
    const admin = (await loginAs(t, { clienteId: cliente.id, role: 'admin' })).headers;
    const grupo = await t.app.inject({ method: 'POST', url: `${base}/grupos`, headers: admin, payload: { nome: 'G', url: `${sim.url}/autorizacao`, usuario: 'demo', senha: 'demo' } });
    expect(grupo.statusCode, grupo.body).toBe(201);
    const integracao = await t.app.inject({ method: 'PUT', url: `${base}/integracao`, headers: admin, payload: { baseUrl: sim.url, grupoId: grupo.json().id, metodos: {}, headers: [] } });
    expect(integracao.statusCode, integracao.body).toBe(200);
    const f = (await t.app.inject({ method: 'POST', url: `${base}/funcionalidades`, headers, payload: { nome: 'F', url: 'https://x.example/f' } })).json();
    const appId = cliente.instancias[0]!.appId;
    const ana = seedPeople[0]!;
    const login = await t.app.inject({ method: 'POST', url: '/app/v1/sessoes', headers: { 'x-app-id': appId }, payload: { campos: { login: ana.cpf, senha: ana.senha } } });
    expect(login.statusCode, login.body).toBe(201);
    const opened = await t.app.inject({
      method: 'POST',
      url: `/app/v1/funcionalidades/${f.chaveFuncionalidade}/abrir`,
      headers: { 'x-app-id': appId, authorization: `Bearer ${login.json().token}` },
      payload: { sistema: { plataforma: 'web', versaoApp: '1' } },
    });
    expect(opened.statusCode, opened.body).toBe(200);
    const { plaintext } = await createClientToken(t, cliente.id);
    const query = new URLSearchParams({ instanciaApp: '1', chavePasse: new URL(opened.json().url).searchParams.get('chavePasse')!, chaveFuncionalidade: f.chaveFuncionalidade });
    const dados = () => t.app.inject({ method: 'GET', url: `/clientes/chavePasse/usuario?${query}`, headers: { authorization: plaintext } });
    expect((await dados()).statusCode).toBe(200);

    expect((await t.app.inject({ method: 'DELETE', url: `${base}/funcionalidades/${f.id}`, headers })).statusCode).toBe(204);
    expect((await dados()).statusCode).toBe(403);
  });
});
