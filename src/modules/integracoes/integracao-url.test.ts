import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCliente, loginAs } from '../../../test/support/fixtures.ts';
import { startRecordingServer } from '../../../test/support/recording-server.ts';
import { createTestApp, type TestApp } from '../../../test/support/test-app.ts';
import { createOperatorSimulator, type OperatorSimulator } from '../../simulator/simulator.ts';
import { joinSuffix, queryOrFragmentProblem } from './integracao-url.ts';

/**
 * Operator URLs are parsed, not concatenated: a query string or fragment is refused when an
 * integração (base or per-method URL) or a grupo is saved, with a Portuguese message at the field;
 * a method's suffix is joined to the base URL's path; and a row stored before the rule is refused
 * before the call (the validador says why) instead of being called. Calls are proved at the operator
 * side: a real loopback server records the path each one arrived on.
 */

type Detail = { field?: string; message: string };

describe('joinSuffix', () => {
  it.each([
    ['https://h.example/op', 'https://h.example/op/login'],
    ['https://h.example/op/', 'https://h.example/op/login'],
    ['https://h.example/op//', 'https://h.example/op/login'],
    ['https://h.example', 'https://h.example/login'],
    ['https://h.example/', 'https://h.example/login'],
    // Never swallowed by a query or fragment: the suffix goes to the path, what follows stays after it.
    ['https://h.example/op?token=abc', 'https://h.example/op/login?token=abc'],
    ['https://h.example/op#frag', 'https://h.example/op/login#frag'],
  ])('%s + /login = %s', (base, joined) => {
    expect(joinSuffix(base, '/login')).toBe(joined);
  });

  it('says what is wrong with a query string or a fragment, in Portuguese', () => {
    expect(queryOrFragmentProblem('https://h.example/op?token=abc')).toMatch(/não pode ter query string/);
    expect(queryOrFragmentProblem('https://h.example/op#x')).toMatch(/não pode ter fragmento/);
    expect(queryOrFragmentProblem('https://h.example/op')).toBeUndefined();
  });
});

describe('operator URLs at save and at call time', () => {
  let t: TestApp;
  let sim: OperatorSimulator;
  let operadora: Awaited<ReturnType<typeof startRecordingServer>>;
  let headers: Record<string, string>;
  let editorHeaders: Record<string, string>;
  let clienteId: string;

  const base = () => `/painel/api/clientes/${clienteId}/instancias/1`;
  const putIntegracao = (payload: object) => t.app.inject({ method: 'PUT', url: `${base()}/integracao`, headers, payload: { baseUrl: null, grupoId: null, metodos: {}, headers: [], ...payload } });
  const postGrupo = (payload: object) => t.app.inject({ method: 'POST', url: `${base()}/grupos`, headers, payload: { nome: 'Grupo', usuario: 'demo', senha: 'demo', ...payload } });
  const validar = (payload: object) => t.app.inject({ method: 'POST', url: `${base()}/validador`, headers, payload });
  const refused = (response: LightMyRequestResponse): Detail[] => {
    expect({ status: response.statusCode, code: response.json().error?.code }, response.body).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
    return response.json().error.details as Detail[];
  };
  /** Changes a stored row behind the service's back, as a row saved before the rule would be. */
  const storeBaseUrl = (baseUrl: string) => t.database.db.updateTable('integracoes').set({ base_url: baseUrl }).where('cliente_id', '=', clienteId).where('instancia', '=', 1).execute();

  beforeAll(async () => {
    t = await createTestApp();
    sim = await createOperatorSimulator({ port: 0, host: '127.0.0.1' });
    operadora = await startRecordingServer({ mensagem: 'gravado' });
    clienteId = (await createCliente(t)).id;
    headers = (await loginAs(t, { clienteId, role: 'admin' })).headers;
    editorHeaders = (await loginAs(t, { clienteId, role: 'editor' })).headers;
  });
  afterAll(async () => {
    await operadora?.close();
    await sim?.close();
    await t?.close();
  });

  describe('at save: refused at the field, in Portuguese', () => {
    it.each([
      ['a query string', '/op?token=abc', /query string/],
      ['an empty query string', '/op?', /query string/],
      ['a fragment', '/op#frag', /fragmento/],
    ])('integração base URL with %s', async (_label, suffix, message) => {
      const details = refused(await putIntegracao({ baseUrl: `${operadora.url}${suffix}` }));
      expect(details).toEqual([{ field: 'baseUrl', message: expect.stringMatching(message) }]);
      expect(details[0]!.message).toMatch(/^URL recusada: a URL não pode ter/);
    });

    it('a method URL with a query string, at that method, even when the path ends with the suffix', async () => {
      const details = refused(await putIntegracao({ baseUrl: null, metodos: { login: { url: `${operadora.url}/login?token=abc` } } }));
      expect(details).toEqual([{ field: 'metodos.login.url', message: expect.stringMatching(/query string/) }]);
    });

    it('the suffix is checked on the path: a suffix that only appears in the query is no suffix', async () => {
      // Refused for the query first; without it, the path does not end with /login.
      refused(await putIntegracao({ metodos: { login: { url: `${operadora.url}/api?x=/login` } } }));
      const details = refused(await putIntegracao({ metodos: { login: { url: `${operadora.url}/api` } } }));
      expect(details).toEqual([{ field: 'metodos.login.url', message: 'O endpoint obrigatoriamente deve terminar com "/login".' }]);
    });

    it('a grupo URL with a query string or a fragment, before any live call', async () => {
      const before = sim.calls().autorizacao.count;
      for (const url of [`${sim.url}/autorizacao?token=abc`, `${sim.url}/autorizacao#x`]) {
        const details = refused(await postGrupo({ url }));
        expect(details).toEqual([{ field: 'url', message: expect.stringMatching(/^URL recusada: a URL não pode ter (query string|fragmento)/) }]);
      }
      expect(sim.calls().autorizacao.count).toBe(before);
    });

    it('a grupo senha of only spaces is refused like a blank usuário, at its field', async () => {
      expect(refused(await postGrupo({ url: `${sim.url}/autorizacao`, usuario: '   ' }))).toEqual([{ field: 'usuario', message: 'Informe o usuário.' }]);
      expect(refused(await postGrupo({ url: `${sim.url}/autorizacao`, senha: '   ' }))).toEqual([{ field: 'senha', message: 'Informe a senha.' }]);
      expect(refused(await postGrupo({ url: `${sim.url}/autorizacao`, senha: '' }))).toEqual([{ field: 'senha', message: 'Informe a senha.' }]);
      // On an edit, leaving senha out keeps it; sending one of only spaces is refused.
      const created = await postGrupo({ url: `${sim.url}/autorizacao` });
      expect(created.statusCode, created.body).toBe(201);
      const put = (senha: string | undefined) =>
        t.app.inject({ method: 'PUT', url: `${base()}/grupos/${created.json().id}`, headers, payload: { nome: 'Grupo', url: `${sim.url}/autorizacao`, usuario: 'demo', ...(senha === undefined ? {} : { senha }) } });
      expect(refused(await put(' \t '))).toEqual([{ field: 'senha', message: 'Informe a senha.' }]);
      expect((await put(undefined)).statusCode).toBe(200);
      // Spaces around a real senha are part of it: the simulator's senha is "demo", so " demo " is another one.
      expect((await put(' demo ')).statusCode).toBe(422);
    });

    it('a grupo senha of only spaces is refused by the service too (CLI, demo), at its field', async () => {
      const actor = { userId: null, label: 'teste' };
      await expect(t.services.grupos.create({ clienteId, instancia: 1, nome: 'G', url: `${sim.url}/autorizacao`, usuario: 'demo', senha: '  ', actor })).rejects.toMatchObject({
        code: 'VALIDATION_FAILED',
        options: { details: [{ field: 'senha', message: 'Informe a senha.' }] },
      });
    });
  });

  describe('at call time: the path the call arrived on', () => {
    it('joins the suffix to the base URL path (trailing slash or not)', async () => {
      for (const [baseUrl, path] of [
        [`${operadora.url}/op/`, '/op/login'],
        [`${operadora.url}/mobile/v2`, '/mobile/v2/login'],
        [operadora.url, '/login'],
      ] as const) {
        expect((await putIntegracao({ baseUrl })).statusCode).toBe(200);
        const before = operadora.received.length;
        const report = await validar({ metodo: 'login', entrada: { login: '10020030169', senha: 'x' } });
        expect(report.statusCode, report.body).toBe(200);
        expect(operadora.received.slice(before).map((r) => `${r.method} ${r.url}`)).toEqual([`POST ${path}`]);
      }
    });

    it('a method URL of its own is called at its own path', async () => {
      expect((await putIntegracao({ baseUrl: operadora.url, metodos: { login: { url: `${operadora.url}/api/v1/login` } } })).statusCode).toBe(200);
      const before = operadora.received.length;
      await validar({ metodo: 'login', entrada: { login: '10020030169', senha: 'x' } });
      expect(operadora.received.slice(before).map((r) => r.url)).toEqual(['/api/v1/login']);
    });

    it.each([
      ['a query string', '/op?token=abc', /query string/],
      ['a fragment', '/op#frag', /fragmento/],
    ])('a stored base URL with %s is reported by the validador and not called', async (_label, suffix, message) => {
      expect((await putIntegracao({ baseUrl: `${operadora.url}/op` })).statusCode).toBe(200);
      await storeBaseUrl(`${operadora.url}${suffix}`);
      const before = operadora.received.length;
      const response = await validar({ metodo: 'login', entrada: { login: '10020030169', senha: 'x' } });
      expect(response.statusCode, response.body).toBe(200);
      const report = response.json();
      expect(report).toMatchObject({ aprovado: false, resultado: 'bloqueado', resposta: null });
      expect(report.mensagem).toMatch(/A chamada foi bloqueada antes de sair\. URL recusada: a URL não pode ter/);
      expect(report.mensagem).toMatch(message);
      // Nothing reached the operator; and whoever is not a cliente admin never sees the query's token.
      expect(operadora.received.length).toBe(before);
      const masked = await t.app.inject({ method: 'POST', url: `${base()}/validador`, headers: editorHeaders, payload: { metodo: 'login', entrada: { login: '10020030169', senha: 'x' } } });
      expect(masked.json()).toMatchObject({ mascarado: true, resultado: 'bloqueado' });
      expect(masked.body).not.toContain('token=abc');
      expect(operadora.received.length).toBe(before);
    });

    it('a stored grupo URL with a query string is reported by the validador and not called', async () => {
      const created = await postGrupo({ url: `${sim.url}/autorizacao` });
      expect(created.statusCode, created.body).toBe(201);
      // Same origin, so the senha (bound to the origin) still opens: only the query is wrong.
      await t.database.db.updateTable('grupos_autorizacao').set({ url: `${sim.url}/autorizacao?token=abc` }).where('id', '=', created.json().id).execute();
      const before = sim.calls().autorizacao.count;
      const report = (await validar({ metodo: 'autorizacao', grupoId: created.json().id })).json();
      expect(report).toMatchObject({ metodo: 'autorizacao', aprovado: false, resultado: 'bloqueado' });
      expect(report.mensagem).toMatch(/query string/);
      expect(sim.calls().autorizacao.count).toBe(before);
    });
  });
});
