import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClientToken, createCliente, loginAs } from '../../../test/support/fixtures.ts';
import { createTestApp, type TestApp } from '../../../test/support/test-app.ts';

/**
 * Origens (Segurança → Origens) through the painel API of a real app: add, list, remove; an origin
 * is scheme, host and port only, normalised the way browsers send `Origin`; duplicates are 409;
 * audit; only an admin of the cliente writes. The CORS answer follows what is registered.
 */

type Session = Awaited<ReturnType<typeof loginAs>>;

describe('origens painel API', () => {
  let t: TestApp;
  let clienteId: string;
  let outroClienteId: string;
  let admin: Session;
  let editor: Session;
  let leitor: Session;
  let outroAdmin: Session;

  const url = (cliente = clienteId, id?: string) => `/painel/api/clientes/${cliente}/origens${id ? `/${id}` : ''}`;
  const add = (who: { headers: Record<string, string> } | undefined, origem: unknown, cliente = clienteId) =>
    t.app.inject({ method: 'POST', url: url(cliente), headers: who?.headers ?? {}, payload: { origem } });
  const remove = (who: { headers: Record<string, string> } | undefined, id: string, cliente = clienteId) =>
    t.app.inject({ method: 'DELETE', url: url(cliente, id), headers: who?.headers ?? {} });
  const list = async (who: Session = leitor, cliente = clienteId) => {
    const response = await t.app.inject({ method: 'GET', url: url(cliente), headers: { cookie: who.cookieHeader } });
    expect(response.statusCode, response.body).toBe(200);
    return response.json().origens as { id: string; origem: string; criadaEm: number }[];
  };
  const added = async (origem: string, who: Session = admin, cliente = clienteId) => {
    const response = await add(who, origem, cliente);
    expect(response.statusCode, response.body).toBe(201);
    return response.json() as { id: string; origem: string; criadaEm: number };
  };
  const expectError = (response: LightMyRequestResponse, status: number, code: string) =>
    expect({ status: response.statusCode, code: response.json().error?.code }, response.body).toEqual({ status, code });
  const preflight = (origin: string) =>
    t.app.inject({
      method: 'OPTIONS',
      url: '/clientes/chavePasse/usuario',
      headers: { origin, 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' },
    });

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

  it('adds, lists and removes an origin', async () => {
    const before = Date.now();
    const origem = await added('https://app.operadora.example');
    expect(origem).toEqual({ id: expect.any(String), origem: 'https://app.operadora.example', criadaEm: expect.any(Number) });
    expect(origem.criadaEm).toBeGreaterThanOrEqual(before);
    expect(await list()).toContainEqual(origem);
    expect((await remove(admin, origem.id)).statusCode).toBe(204);
    expect(await list()).not.toContainEqual(origem);
    expectError(await remove(admin, origem.id), 404, 'NOT_FOUND');
  });

  it('normalises to what browsers send as Origin: lower-case host, no default port, no trailing slash', async () => {
    expect((await added('  HTTPS://Portal.Operadora.Example:443/  ')).origem).toBe('https://portal.operadora.example');
    expect((await added('http://localhost:5173')).origem).toBe('http://localhost:5173');
    expect((await added('http://127.0.0.1:80')).origem).toBe('http://127.0.0.1');
  });

  it('refuses an origin with a path, query, fragment or credentials, another scheme, or no URL at all: 400 on origem', async () => {
    for (const bad of [
      'https://app.operadora.example/pagina',
      'https://app.operadora.example/webview/',
      'https://app.operadora.example?x=1',
      'https://app.operadora.example#topo',
      'https://user@app.operadora.example',
      'ftp://app.operadora.example',
      'app.operadora.example',
      '*',
      'https://*.operadora.example',
      '',
      'x'.repeat(301),
    ]) {
      const response = await add(admin, bad);
      expectError(response, 400, 'VALIDATION_FAILED');
      expect(response.json().error.details.map((d: { field?: string }) => d.field), bad).toEqual(['origem']);
    }
    expectError(await add(admin, 42), 400, 'VALIDATION_FAILED');
    // A wildcard says why it is refused, instead of being saved and never matching.
    expect((await add(admin, 'https://*.operadora.example')).json().error.details[0].message).toContain('Curingas (*) não valem');
  });

  it('a duplicate (after normalisation) is 409; another cliente may register the same origin', async () => {
    await added('https://dup.operadora.example');
    expectError(await add(admin, 'https://DUP.operadora.example/'), 409, 'CONFLICT');
    expectError(await add(admin, 'https://dup.operadora.example:443'), 409, 'CONFLICT');
    expect((await list()).filter((o) => o.origem === 'https://dup.operadora.example')).toHaveLength(1);
    await added('https://dup.operadora.example', outroAdmin, outroClienteId);
  });

  it('simultaneous registrations of one origin: exactly one 201, the others 409 (never a 500)', async () => {
    const responses = await Promise.all(Array.from({ length: 6 }, (_, i) => add(admin, `https://corrida.operadora.example${i % 2 ? '/' : ''}`)));
    expect(responses.map((r) => r.statusCode).sort()).toEqual([201, 409, 409, 409, 409, 409]);
    for (const refused of responses.filter((r) => r.statusCode === 409)) expect(refused.json().error.code).toBe('CONFLICT');
    expect((await list()).filter((o) => o.origem === 'https://corrida.operadora.example')).toHaveLength(1);
  });

  it('CORS follows the list: a registered origin passes the preflight, a removed one no longer does', async () => {
    const origin = 'https://cors.operadora.example';
    expect((await preflight(origin)).headers['access-control-allow-origin']).toBeUndefined();
    const origem = await added(origin);
    const allowed = await preflight(origin);
    expect(allowed.headers['access-control-allow-origin']).toBe(origin);
    expect(String(allowed.headers['access-control-allow-headers']).toLowerCase()).toContain('authorization');
    expect((await remove(admin, origem.id)).statusCode).toBe(204);
    expect((await preflight(origin)).headers['access-control-allow-origin']).toBeUndefined();
  });

  it('a preflight from an origin nobody registered is 403 in the /clientes envelope, naming Segurança → Origens', async () => {
    const response = await preflight('https://desconhecida.operadora.example');
    expect(response.statusCode).toBe(403);
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
    const body = response.json();
    expect(Object.keys(body).sort()).toEqual(['critical', 'data', 'message', 'status', 'statusCode', 'timestamp']);
    expect(body).toMatchObject({ status: false, data: [], statusCode: 403, critical: [] });
    expect(body.message).toContain('Segurança → Origens');
    expect(body.message).toContain('https://desconhecida.operadora.example');
  });

  it("an actual response is readable from an origin only with a token of a cliente that registered it", async () => {
    const origin = 'https://so-do-cliente.operadora.example';
    await added(origin);
    const nosso = (await createClientToken(t, clienteId, ['chavePasse'])).plaintext;
    const alheio = (await createClientToken(t, outroClienteId, ['chavePasse'])).plaintext;
    const mint = (authorization?: string) =>
      t.app.inject({ method: 'POST', url: '/clientes/auth/temp-authorization', headers: { origin, ...(authorization ? { authorization } : {}) } });

    const own = await mint(nosso);
    expect(own.statusCode).toBe(200);
    expect(own.headers['access-control-allow-origin']).toBe(origin);
    expect(String(own.headers.vary)).toContain('Origin');

    const other = await mint(alheio);
    expect(other.statusCode).toBe(200);
    expect(other.headers['access-control-allow-origin']).toBeUndefined();

    // A refused token carries no data: the page may read the error to show it.
    const invalid = await mint('token-invalido');
    expect(invalid.statusCode).toBe(401);
    expect(invalid.headers['access-control-allow-origin']).toBe(origin);
  });

  it('CORS is answered only under /clientes: the painel API has no preflight', async () => {
    const response = await t.app.inject({ method: 'OPTIONS', url: `/painel/api/clientes/${clienteId}/origens`, headers: { origin: 'https://cors.operadora.example', 'access-control-request-method': 'POST' } });
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
    expect(response.statusCode).toBe(404);
  });

  it('records additions and removals in the audit', async () => {
    const origem = await added('https://auditada.operadora.example');
    await remove(admin, origem.id);
    const response = await t.app.inject({ method: 'GET', url: `/painel/api/clientes/${clienteId}/auditoria?limite=200`, headers: { cookie: leitor.cookieHeader } });
    const events = (response.json().eventos as { acao: string; alvo: { id: string } }[]).filter((e) => e.alvo.id === origem.id).reverse();
    expect(events).toEqual([
      expect.objectContaining({ acao: 'origem.criada', ator: admin.email, alvo: { tipo: 'origem', id: origem.id, nome: origem.origem }, antes: null, depois: { origem: origem.origem } }),
      expect.objectContaining({ acao: 'origem.removida', ator: admin.email, alvo: { tipo: 'origem', id: origem.id, nome: origem.origem }, antes: { origem: origem.origem }, depois: null }),
    ]);
  });

  describe('who may do what', () => {
    it('a leitor and an editor read; only an admin writes', async () => {
      const origem = await added('https://so-admin.operadora.example');
      for (const who of [leitor, editor]) {
        expect((await list(who)).map((o) => o.id)).toContain(origem.id);
        expectError(await add(who, 'https://outra.operadora.example'), 403, 'FORBIDDEN');
        expectError(await remove(who, origem.id), 403, 'FORBIDDEN');
      }
      expect((await list()).map((o) => o.origem)).not.toContain('https://outra.operadora.example');
    });

    it('another cliente’s admin gets 404, for the cliente and for its origin through their own path', async () => {
      const origem = await added('https://alheia.operadora.example');
      expectError(await t.app.inject({ method: 'GET', url: url(), headers: { cookie: outroAdmin.cookieHeader } }), 404, 'NOT_FOUND');
      expectError(await add(outroAdmin, 'https://intrusa.operadora.example'), 404, 'NOT_FOUND');
      expectError(await remove(outroAdmin, origem.id), 404, 'NOT_FOUND');
      expectError(await remove(outroAdmin, origem.id, outroClienteId), 404, 'NOT_FOUND');
      expect((await list()).map((o) => o.id)).toContain(origem.id);
    });

    it('no session is 401; a write without the CSRF header is 403', async () => {
      expectError(await t.app.inject({ method: 'GET', url: url() }), 401, 'UNAUTHENTICATED');
      expectError(await add(undefined, 'https://x.operadora.example'), 401, 'UNAUTHENTICATED');
      const noCsrf = await t.app.inject({ method: 'POST', url: url(), headers: { cookie: admin.cookieHeader }, payload: { origem: 'https://x.operadora.example' } });
      expectError(noCsrf, 403, 'CSRF_REJECTED');
      const origem = await added('https://csrf.operadora.example');
      expectError(await t.app.inject({ method: 'DELETE', url: url(clienteId, origem.id), headers: { cookie: admin.cookieHeader } }), 403, 'CSRF_REJECTED');
    });
  });
});
