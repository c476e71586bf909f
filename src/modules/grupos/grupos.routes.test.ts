import type { LightMyRequestResponse } from 'fastify';
import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createCliente, loginAs } from '../../../test/support/fixtures.ts';
import { startRecordingServer } from '../../../test/support/recording-server.ts';
import { createTestApp, type TestApp } from '../../../test/support/test-app.ts';
import { createOperatorSimulator, GRUPO_CLIENTE, type OperatorSimulator } from '../../simulator/simulator.ts';
import { grupoSenhaAad } from './grupo-senha.ts';

/**
 * The painel API of grupos de autorização (docs/ESPECIFICACAO.md §6 Segurança): saved only after a live call to
 * the operator's `/autorizacao` passes the contract, `senha` write-only and sealed at rest, and the
 * usual painel rules (roles, tenant isolation, session, CSRF).
 */

const USUARIO = 'grupo-ponte';
const SENHA = `senha-do-grupo-${randomBytes(4).toString('hex')}`;
const SUFFIX_MESSAGE = 'O endpoint obrigatoriamente deve terminar com "/autorizacao".';

const grupos = (clienteId: string, instancia: 1 | 2 = 1) => `/painel/api/clientes/${clienteId}/instancias/${instancia}/grupos`;
const pairsKey = (grupoId: string) => `grupo:${grupoId}:pares`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type Session = Awaited<ReturnType<typeof loginAs>>;

function expectError(response: LightMyRequestResponse, status: number, code: string): { field?: string; message: string }[] {
  expect(response.statusCode, response.body).toBe(status);
  const body = response.json();
  expect(body.error.code).toBe(code);
  expect(body.error.requestId).toBe(response.headers['x-request-id']);
  return body.error.details ?? [];
}

describe('painel API: grupos de autorização', () => {
  let t: TestApp;
  let sim: OperatorSimulator;
  let clienteId: string;
  let admin: Session;
  let autorizacaoUrl: string;

  beforeAll(async () => {
    sim = await createOperatorSimulator({ port: 0, usuario: USUARIO, senha: SENHA });
    autorizacaoUrl = `${sim.url}/operadora/autorizacao`;
    t = await createTestApp();
  });
  afterAll(async () => {
    await t?.close();
    await sim?.close();
  });
  afterEach(() => sim.setFault(null));

  /** A fresh cliente per test, so "nothing saved" is an empty list. */
  async function freshCliente() {
    clienteId = (await createCliente(t)).id;
    admin = await loginAs(t, { clienteId, role: 'admin' });
  }

  const post = (payload: object, session: Pick<Session, 'headers'> = admin, instancia: 1 | 2 = 1) =>
    t.app.inject({ method: 'POST', url: grupos(clienteId, instancia), headers: session.headers, payload });
  const list = async (session: Pick<Session, 'cookieHeader'> = admin, instancia: 1 | 2 = 1) => {
    const response = await t.app.inject({ method: 'GET', url: grupos(clienteId, instancia), headers: { cookie: session.cookieHeader } });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.body).not.toContain(SENHA);
    return response.json().grupos as Record<string, unknown>[];
  };
  const storedRows = () => t.database.db.selectFrom('grupos_autorizacao').selectAll().where('cliente_id', '=', clienteId).execute();
  const valid = () => ({ nome: 'Grupo principal', url: autorizacaoUrl, usuario: USUARIO, senha: SENHA });

  async function created(): Promise<string> {
    const response = await post(valid());
    expect(response.statusCode, response.body).toBe(201);
    return response.json().id as string;
  }

  describe('create', () => {
    it('makes one live call with usuario/senha, saves the grupo as ativo and never returns the senha', async () => {
      await freshCliente();
      const before = sim.calls().autorizacao.count;
      const response = await post(valid());
      expect(response.statusCode, response.body).toBe(201);
      expect(response.body).not.toContain(SENHA);
      const body = response.json();
      expect(body).toEqual({
        id: expect.stringMatching(/^grp_[0-9a-f]+$/),
        instancia: 1,
        nome: 'Grupo principal',
        url: autorizacaoUrl,
        usuario: USUARIO,
        senhaDefinida: true,
        ttlSegundos: 3600,
        status: 'ativo',
        ultimaRenovacaoEm: expect.any(Number),
        ultimoErro: null,
        ultimoErroEm: null,
        atualizadoEm: expect.any(Number),
      });
      expect(sim.calls().autorizacao.count).toBe(before + 1);
      expect(sim.calls().autorizacao.lastBody).toEqual({ usuario: USUARIO, senha: SENHA });
      expect(await list()).toEqual([body]);
      // Grupos belong to one instância.
      expect(await list(admin, 2)).toEqual([]);
    });

    it.each([
      { fault: 'authorization-chave', fields: ['auth[2].chave'] },
      { fault: 'missing-mandatory', fields: ['auth[0].token'] },
      { fault: 'blank-mandatory', fields: ['auth[0].token'] },
      { fault: 'null-mandatory', fields: ['auth[0].token'] },
      { fault: 'wrong-types', fields: ['auth[0].token'] },
    ])('an operator answering with $fault → 422 naming $fields, nothing saved', async ({ fault, fields }) => {
      await freshCliente();
      sim.setFault(fault, { methods: ['autorizacao'] });
      const before = sim.calls().autorizacao.count;
      const details = expectError(await post(valid()), 422, 'OPERATOR_CONTRACT_VIOLATED');
      expect(details.map((d) => d.field)).toEqual(fields);
      for (const detail of details) expect(detail.message.length).toBeGreaterThan(0);
      expect(sim.calls().autorizacao.count).toBe(before + 1);
      expect(await list()).toEqual([]);
      expect(await storedRows()).toEqual([]);
    });

    it.each([
      // Refused credentials belong to usuário/senha, not to the URL (which works).
      { case: 'wrong credentials', payload: { senha: 'senha-errada' }, fault: null, status: 'HTTP 401', field: 'usuario' },
      { case: 'an operator error', payload: {}, fault: 'status-500', status: 'HTTP 500', field: 'url' },
    ])('$case → 422 saying what the operator answered, at $field, nothing saved', async ({ payload, fault, status, field }) => {
      await freshCliente();
      if (fault) sim.setFault(fault, { methods: ['autorizacao'] });
      const response = await post({ ...valid(), ...payload });
      const details = expectError(response, 422, 'OPERATOR_CONTRACT_VIOLATED');
      expect(details).toHaveLength(1);
      expect(details[0]!.field).toBe(field);
      expect(details[0]!.message).toContain(status);
      expect(response.body).not.toContain('senha-errada');
      expect(await list()).toEqual([]);
      expect(await storedRows()).toEqual([]);
    });

    it('an operator answering 403 to /autorizacao → 422 at usuario (refused credentials, like 401), nothing saved', async () => {
      await freshCliente();
      // The simulator has no 403 mode: a loopback operator that refuses every /autorizacao with 403.
      const operator = await startRecordingServer({ mensagem: 'Acesso negado ao grupo' }, 403);
      try {
        const url = `${operator.url}/operadora/autorizacao`;
        const response = await post({ ...valid(), url });
        const details = expectError(response, 422, 'OPERATOR_CONTRACT_VIOLATED');
        expect(details).toHaveLength(1);
        expect(details[0]!.field).toBe('usuario');
        expect(details[0]!.message).toContain('HTTP 403');
        expect(details[0]!.message).toContain('Confira o usuário e a senha do grupo.');
        expect(operator.received.map((r) => `${r.method} ${r.url}`)).toEqual(['POST /operadora/autorizacao']);
        expect(response.body).not.toContain(SENHA);
        expect(await list()).toEqual([]);
        expect(await storedRows()).toEqual([]);
      } finally {
        await operator.close();
      }
    });

    it.each([`http://127.0.0.1:1/operadora/login`, `http://127.0.0.1:1/autorizacao/extra`, `http://127.0.0.1:1/autorizar`])(
      'a URL not ending in /autorizacao (%s) → 400 with the seed message, no call made',
      async (url) => {
        await freshCliente();
        const before = sim.calls().autorizacao.count;
        const details = expectError(await post({ ...valid(), url }), 400, 'VALIDATION_FAILED');
        expect(details).toEqual([{ field: 'url', message: SUFFIX_MESSAGE }]);
        expect(sim.calls().autorizacao.count).toBe(before);
        expect(await list()).toEqual([]);
      },
    );

    it('produção (instância 2) refuses http:// before calling anything', async () => {
      await freshCliente();
      const before = sim.calls().autorizacao.count;
      const details = expectError(await post(valid(), admin, 2), 400, 'VALIDATION_FAILED');
      expect(details.map((d) => d.field)).toEqual(['url']);
      expect(sim.calls().autorizacao.count).toBe(before);
      expect(await list(admin, 2)).toEqual([]);
    });

    it('requires the senha on create', async () => {
      await freshCliente();
      const { senha: _senha, ...semSenha } = valid();
      const details = expectError(await post(semSenha), 400, 'VALIDATION_FAILED');
      expect(details.map((d) => d.field)).toEqual(['senha']);
      expect(await list()).toEqual([]);
    });
  });

  describe('edit, refresh, delete', () => {
    it('PUT without senha keeps the stored one: the new live check still authenticates', async () => {
      await freshCliente();
      const id = await created();
      const before = sim.calls().autorizacao.count;
      const response = await t.app.inject({
        method: 'PUT',
        url: `${grupos(clienteId)}/${id}`,
        headers: admin.headers,
        payload: { nome: 'Grupo renomeado', url: autorizacaoUrl, usuario: USUARIO, ttlSegundos: 600 },
      });
      expect(response.statusCode, response.body).toBe(200);
      expect(response.body).not.toContain(SENHA);
      expect(response.json()).toMatchObject({ id, nome: 'Grupo renomeado', ttlSegundos: 600, status: 'ativo' });
      expect(sim.calls().autorizacao.count).toBe(before + 1);
      expect(sim.calls().autorizacao.lastBody).toEqual({ usuario: USUARIO, senha: SENHA });
    });

    it('a PUT whose live check fails changes nothing', async () => {
      await freshCliente();
      const id = await created();
      const [original] = await list();
      const response = await t.app.inject({
        method: 'PUT',
        url: `${grupos(clienteId)}/${id}`,
        headers: admin.headers,
        payload: { nome: 'Outro nome', url: autorizacaoUrl, usuario: USUARIO, senha: 'senha-errada' },
      });
      expectError(response, 422, 'OPERATOR_CONTRACT_VIOLATED');
      expect(await list()).toEqual([original]);
      // The stored senha is still the good one.
      const [row] = await storedRows();
      expect(t.services.secretBox.open(row!.senha_selada, grupoSenhaAad(id, row!.url))).toBe(SENHA);
    });

    it('PUT with a new senha replaces it (a second operator with other credentials)', async () => {
      await freshCliente();
      const id = await created();
      const outraSenha = `outra-${randomBytes(4).toString('hex')}`;
      const other = await createOperatorSimulator({ port: 0, usuario: USUARIO, senha: outraSenha });
      try {
        const payload = { nome: 'Grupo', url: `${other.url}/autorizacao`, usuario: USUARIO, senha: outraSenha };
        const response = await t.app.inject({ method: 'PUT', url: `${grupos(clienteId)}/${id}`, headers: admin.headers, payload });
        expect(response.statusCode, response.body).toBe(200);
        expect(response.body).not.toContain(outraSenha);
        expect(other.calls().autorizacao.lastBody).toEqual({ usuario: USUARIO, senha: outraSenha });
        const [row] = await storedRows();
        expect(t.services.secretBox.open(row!.senha_selada, grupoSenhaAad(id, row!.url))).toBe(outraSenha);
      } finally {
        await other.close();
      }
    });

    it('renovar calls /autorizacao once and records the refresh', async () => {
      await freshCliente();
      const id = await created();
      const before = sim.calls().autorizacao.count;
      const response = await t.app.inject({ method: 'POST', url: `${grupos(clienteId)}/${id}/renovar`, headers: admin.headers });
      expect(response.statusCode, response.body).toBe(200);
      expect(response.json()).toMatchObject({ id, status: 'ativo', ultimoErro: null, ultimaRenovacaoEm: expect.any(Number) });
      expect(sim.calls().autorizacao.count).toBe(before + 1);
    });

    it('DELETE removes the grupo and its cached pairs; a second DELETE is 404', async () => {
      await freshCliente();
      const id = await created();
      expect(await t.kv.get(pairsKey(id))).not.toBeNull();
      const response = await t.app.inject({ method: 'DELETE', url: `${grupos(clienteId)}/${id}`, headers: admin.headers });
      expect(response.statusCode, response.body).toBe(204);
      expect(await list()).toEqual([]);
      expect(await storedRows()).toEqual([]);
      expect(await t.kv.get(pairsKey(id))).toBeNull();
      expectError(await t.app.inject({ method: 'DELETE', url: `${grupos(clienteId)}/${id}`, headers: admin.headers }), 404, 'NOT_FOUND');
    });
    it('DELETE of a grupo an integração uses is 409 naming the instância; nothing is unlinked until the integração lets it go', async () => {
      await freshCliente();
      const id = await created();
      const integracao = (grupoId: string | null) =>
        t.app.inject({ method: 'PUT', url: `/painel/api/clientes/${clienteId}/instancias/1/integracao`, headers: admin.headers, payload: { baseUrl: sim.url, grupoId, metodos: {}, headers: [] } });
      expect((await integracao(id)).statusCode).toBe(200);

      const refused = await t.app.inject({ method: 'DELETE', url: `${grupos(clienteId)}/${id}`, headers: admin.headers });
      const details = expectError(refused, 409, 'CONFLICT');
      expect(refused.json().error.message).toContain('Sandbox');
      expect(details).toEqual([{ field: 'integracoes', message: 'Sandbox' }]);
      expect((await list()).map((g) => g.id)).toEqual([id]);
      expect(await t.kv.get(pairsKey(id))).not.toBeNull();

      expect((await integracao(null)).statusCode).toBe(200);
      expect((await t.app.inject({ method: 'DELETE', url: `${grupos(clienteId)}/${id}`, headers: admin.headers })).statusCode).toBe(204);
    });
  });

  describe('access control', () => {
    it('a leitor lists but cannot create, edit, refresh or delete', async () => {
      await freshCliente();
      const id = await created();
      const leitor = await loginAs(t, { clienteId, role: 'leitor' });
      expect((await list(leitor)).map((g) => g.id)).toEqual([id]);
      const before = sim.calls().autorizacao.count;
      expectError(await post(valid(), leitor), 403, 'FORBIDDEN');
      const payload = { nome: 'x', url: autorizacaoUrl, usuario: USUARIO };
      expectError(await t.app.inject({ method: 'PUT', url: `${grupos(clienteId)}/${id}`, headers: leitor.headers, payload }), 403, 'FORBIDDEN');
      expectError(await t.app.inject({ method: 'POST', url: `${grupos(clienteId)}/${id}/renovar`, headers: leitor.headers }), 403, 'FORBIDDEN');
      expectError(await t.app.inject({ method: 'DELETE', url: `${grupos(clienteId)}/${id}`, headers: leitor.headers }), 403, 'FORBIDDEN');
      expect(sim.calls().autorizacao.count).toBe(before);
      expect((await list()).map((g) => g.nome)).toEqual(['Grupo principal']);
    });

    it('an editor may create', async () => {
      await freshCliente();
      const editor = await loginAs(t, { clienteId, role: 'editor' });
      expect((await post(valid(), editor)).statusCode).toBe(201);
    });

    it("another cliente's admin gets 404 for everything, through either cliente's path", async () => {
      await freshCliente();
      const id = await created();
      const owner = clienteId;
      const otherCliente = (await createCliente(t, 'Outra Operadora')).id;
      const outsider = await loginAs(t, { clienteId: otherCliente, role: 'admin' });
      const before = sim.calls().autorizacao.count;
      const payload = { nome: 'x', url: autorizacaoUrl, usuario: USUARIO, senha: SENHA };
      for (const base of [grupos(owner), grupos(otherCliente)]) {
        expectError(await t.app.inject({ method: 'PUT', url: `${base}/${id}`, headers: outsider.headers, payload }), 404, 'NOT_FOUND');
        expectError(await t.app.inject({ method: 'POST', url: `${base}/${id}/renovar`, headers: outsider.headers }), 404, 'NOT_FOUND');
        expectError(await t.app.inject({ method: 'DELETE', url: `${base}/${id}`, headers: outsider.headers }), 404, 'NOT_FOUND');
      }
      expectError(await t.app.inject({ method: 'GET', url: grupos(owner), headers: { cookie: outsider.cookieHeader } }), 404, 'NOT_FOUND');
      expectError(await t.app.inject({ method: 'POST', url: grupos(owner), headers: outsider.headers, payload }), 404, 'NOT_FOUND');
      expect(sim.calls().autorizacao.count).toBe(before);
      expect((await list()).map((g) => g.id)).toEqual([id]);
    });

    it('no session → 401; a session without the CSRF header → 403, and nothing is called', async () => {
      await freshCliente();
      const before = sim.calls().autorizacao.count;
      expectError(await t.app.inject({ method: 'GET', url: grupos(clienteId) }), 401, 'UNAUTHENTICATED');
      expectError(await t.app.inject({ method: 'POST', url: grupos(clienteId), payload: valid() }), 401, 'UNAUTHENTICATED');
      const noCsrf = await t.app.inject({ method: 'POST', url: grupos(clienteId), headers: { cookie: admin.cookieHeader }, payload: valid() });
      expectError(noCsrf, 403, 'CSRF_REJECTED');
      const wrongCsrf = await t.app.inject({ method: 'POST', url: grupos(clienteId), headers: { cookie: admin.cookieHeader, 'x-csrf-token': 'x'.repeat(43) }, payload: valid() });
      expectError(wrongCsrf, 403, 'CSRF_REJECTED');
      expect(sim.calls().autorizacao.count).toBe(before);
      expect(await list()).toEqual([]);
    });
  });

  describe('secrets at rest', () => {
    it('the senha is sealed in the database, the cached pairs are sealed in the key-value store, audit and logs mask them', async () => {
      await freshCliente();
      const id = await created();

      const [row] = await storedRows();
      expect(row!.senha_selada).not.toContain(SENHA);
      expect(t.services.secretBox.open(row!.senha_selada, grupoSenhaAad(id, row!.url))).toBe(SENHA);

      const sealed = (await t.kv.get(pairsKey(id)))!;
      const { pairs } = JSON.parse(t.services.secretBox.open(sealed, pairsKey(id))) as { pairs: { chave: string; token: string }[] };
      expect(pairs.map((p) => p.chave).sort()).toEqual(['x-operadora-cliente', 'x-operadora-token']);
      for (const { token } of pairs) expect(sealed).not.toContain(token);
      expect(sealed).not.toContain(GRUPO_CLIENTE);

      const audit = await t.database.db.selectFrom('audit_events').select(['action', 'before_json', 'after_json']).where('target_id', '=', id).execute();
      expect(audit.map((a) => a.action)).toEqual(['grupo.criado']);
      expect(JSON.stringify(audit)).not.toContain(SENHA);

      // The live check is in the central de logs (written in batches), without the senha or the tokens.
      const deadline = Date.now() + 5_000;
      let logs: { request_body_json: string | null; response_body: string | null; request_headers_json: string }[] = [];
      while (logs.length === 0 && Date.now() < deadline) {
        logs = await t.database.db
          .selectFrom('outbound_logs')
          .select(['request_body_json', 'response_body', 'request_headers_json'])
          .where('cliente_id', '=', clienteId)
          .where('operacao', '=', 'autorizacao')
          .execute();
        if (logs.length === 0) await sleep(50);
      }
      expect(logs).toHaveLength(1);
      const logged = JSON.stringify(logs);
      expect(logged).toContain(USUARIO);
      expect(logged).not.toContain(SENHA);
      const jwt = pairs.find((p) => p.chave === 'x-operadora-token')!.token;
      expect(logged).not.toContain(jwt);
    });
  });
});
