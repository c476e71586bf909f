import type { LightMyRequestResponse } from 'fastify';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { DatabaseKind } from '../src/platform/db/database.ts';
import type { KeyValueStore } from '../src/platform/kv/kv.ts';
import { seedPeople, type SeedPerson } from '../src/simulator/seed-data.ts';
import { createOperatorSimulator, type OperatorSimulator } from '../src/simulator/simulator.ts';
import { createClientToken, createCliente, loginAs } from './support/fixtures.ts';
import { databaseKinds, kvKinds, openTestDatabase, openTestKv, type KvKind, type TestDatabase } from './support/infrastructure.ts';
import { createTestApp, type TestApp } from './support/test-app.ts';

/**
 * Known-beneficiary sessions end to end (issue 15), on every storage this run covers: activating
 * elegibilidade (refused while the live check fails), chaveAuth's exact answer and every refusal,
 * the chaveAuth token as an ordinary app session (funcionalidade, chave passe, data API, logout),
 * and relogin (a changed permissão applied, an operator refusal ending the session, an outage
 * keeping it and landing in the central de logs).
 */

const CHAVE_AUTH = '/clientes/utilitarios/seguranca/chaveAuth';
const ENVELOPE_KEYS = ['status', 'data', 'message', 'critical', 'statusCode', 'timestamp'];
const CLAIM_KEYS = ['idSessao', 'expiracao', 'aud', 'versao', 'iat'];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const HOUR = 3_600_000;

const [ana, bruno, carla] = seedPeople as [SeedPerson, SeedPerson, SeedPerson];
const sistema = { plataforma: 'android', versaoApp: '3.2.1' };
const storages: { db: DatabaseKind; kv: KvKind }[] = databaseKinds().map((db, i) => ({ db, kv: kvKinds()[Math.min(i, kvKinds().length - 1)]! }));

let octet = 0;
const freshIp = () => `127.0.15.${++octet % 250}`;

/** A `/clientes` failure: exactly the six envelope attributes, `status: false`, `data: []`. */
function expectFailure(response: LightMyRequestResponse, status: number): { message: string; critical: { campo?: string; mensagem: string }[] } {
  expect(response.statusCode, response.body).toBe(status);
  const body = response.json() as Record<string, unknown>;
  expect(Object.keys(body)).toEqual(ENVELOPE_KEYS);
  expect(body.status).toBe(false);
  expect(body.data).toEqual([]);
  expect(body.statusCode).toBe(status);
  expect(typeof body.message).toBe('string');
  return body as { message: string; critical: { campo?: string; mensagem: string }[] };
}

describe.each(storages)('known-beneficiary sessions on $db + $kv', ({ db, kv: kvKind }) => {
  let database: TestDatabase;
  let kv: KeyValueStore;
  let t: TestApp;
  let sim: OperatorSimulator;
  let clienteId: string;
  let appId: string;
  let seguranca: string;
  let chavePasseOnly: string;
  let chaveFuncionalidade: string;
  let codigoFuncionalidade: string;
  let admin: Awaited<ReturnType<typeof loginAs>>;
  let offset = 0;
  const clock = { now: () => Date.now() + offset };

  beforeAll(async () => {
    database = await openTestDatabase(db);
    kv = openTestKv(kvKind);
    t = await createTestApp({ database, kv, clock });
    sim = await createOperatorSimulator({ port: 0, host: '127.0.0.1' });
    const cliente = await createCliente(t, 'Operadora Conhecida');
    clienteId = cliente.id;
    appId = cliente.instancias.find((i) => i.numero === 1)!.appId;
    seguranca = (await createClientToken(t, clienteId, ['seguranca'])).plaintext;
    chavePasseOnly = (await createClientToken(t, clienteId, ['chavePasse'])).plaintext;
    const actor = { userId: null, label: 'teste' };
    const grupo = await t.services.grupos.create({ clienteId, instancia: 1, nome: 'Grupo', url: `${sim.url}/autorizacao`, usuario: 'demo', senha: 'demo', actor });
    await t.services.integracoes.save({ clienteId, instancia: 1, baseUrl: sim.url, grupoId: grupo.id, metodos: {}, headers: [], actor });
    const pagina = await t.services.funcionalidades.create({ clienteId, instancia: 1, nome: 'Boas-vindas', url: `${sim.url}/webview/boas-vindas`, codigo: 'boasVindas', actor });
    chaveFuncionalidade = pagina.chave;
    codigoFuncionalidade = pagina.codigo;
    admin = await loginAs(t, { clienteId, role: 'admin' });
  });
  afterAll(async () => {
    await sim?.close();
    await t?.close();
    await kv?.close();
    await database?.dispose();
  });

  const chaveAuth = (authorization: string | undefined, payload: unknown, query = '?instanciaApp=1') =>
    t.app.inject({
      method: 'POST',
      url: `${CHAVE_AUTH}${query}`,
      headers: { ...(authorization !== undefined ? { authorization } : {}), 'content-type': 'application/json' },
      payload: payload === undefined ? '' : JSON.stringify(payload),
      remoteAddress: freshIp(),
    });
  const elegibilidade = (payload: Record<string, unknown>) =>
    t.app.inject({ method: 'PUT', url: `/painel/api/clientes/${clienteId}/instancias/1/integracao/elegibilidade`, headers: admin.headers, payload });
  const atual = (token: string) => t.app.inject({ method: 'GET', url: '/app/v1/sessoes/atual', headers: { 'x-app-id': appId, authorization: `Bearer ${token}` } });
  const login = async (person: SeedPerson) => {
    const response = await t.app.inject({ method: 'POST', url: '/app/v1/sessoes', headers: { 'x-app-id': appId }, payload: { campos: { login: person.cpf, senha: person.senha } }, remoteAddress: freshIp() });
    expect(response.statusCode, response.body).toBe(201);
    return response.json().token as string;
  };

  describe('activating elegibilidade (Integração → Elegibilidade)', () => {
    it('chaveAuth is refused, clearly, while elegibilidade is not active', async () => {
      const body = expectFailure(await chaveAuth(seguranca, { chaveUnica: ana.cpf }), 422);
      expect(body.message).toMatch(/elegibilidade não está ativa/);
      expect(sim.calls().elegibilidade.count).toBe(0);
    });

    it('needs a test chave única to turn on', async () => {
      const response = await elegibilidade({ ativa: true, reloginHoras: null });
      expect(response.statusCode, response.body).toBe(400);
      expect(response.json().error.details[0].field).toBe('chaveUnicaTeste');
    });

    it('is refused while the live check fails: M violations in the answer, and the operator refusing the person', async () => {
      sim.setFault('missing-mandatory', { methods: ['elegibilidade'] });
      try {
        const broken = await elegibilidade({ ativa: true, reloginHoras: 1, chaveUnicaTeste: ana.cpf });
        expect(broken.statusCode, broken.body).toBe(400);
        expect(broken.json().error.message).toMatch(/não passou na verificação ao vivo/);
        expect(JSON.stringify(broken.json().error.details)).toContain('usuarioLogado.login');
      } finally {
        sim.setFault(null);
      }
      const unknown = await elegibilidade({ ativa: true, reloginHoras: 1, chaveUnicaTeste: '00000000000' });
      expect(unknown.statusCode, unknown.body).toBe(400);
      expect(unknown.json().error.message).toMatch(/Beneficiário não encontrado/);
      const integracao = await t.app.inject({ method: 'GET', url: `/painel/api/clientes/${clienteId}/instancias/1/integracao`, headers: { cookie: admin.cookieHeader } });
      expect(integracao.json().elegibilidade).toEqual({ ativa: false, reloginHoras: null });
    });

    it('turns on when the live check passes (a valid answer under the login contract), with the relogin interval', async () => {
      const before = sim.calls().elegibilidade.count;
      const response = await elegibilidade({ ativa: true, reloginHoras: 1, chaveUnicaTeste: ana.cpf });
      expect(response.statusCode, response.body).toBe(200);
      expect(response.json()).toEqual({ ativa: true, reloginHoras: 1 });
      expect(sim.calls().elegibilidade.count).toBe(before + 1);
      expect(sim.calls().elegibilidade.lastBody).toEqual({ chaveUnica: ana.cpf, integracao: {} });
      const integracao = await t.app.inject({ method: 'GET', url: `/painel/api/clientes/${clienteId}/instancias/1/integracao`, headers: { cookie: admin.cookieHeader } });
      expect(integracao.json().elegibilidade).toEqual({ ativa: true, reloginHoras: 1 });
      expect(integracao.json().metodos.map((m: { metodo: string }) => m.metodo)).toContain('elegibilidade');
    });
  });

  describe('POST /clientes/utilitarios/seguranca/chaveAuth', () => {
    it('answers exactly the documented success, attribute by attribute, with the documented JWT', async () => {
      const before = Date.now();
      const response = await chaveAuth(seguranca, { chaveUnica: ana.cpf });
      expect(response.statusCode, response.body).toBe(200);
      const body = response.json() as Record<string, unknown>;
      expect(Object.keys(body)).toEqual(ENVELOPE_KEYS);
      expect(body.status).toBe(true);
      expect(body.message).toBe('Beneficiário autenticado');
      expect(body.critical).toEqual([]);
      expect(body.statusCode).toBe(200);
      expect(Number.isInteger(body.timestamp)).toBe(true);
      expect(body.timestamp as number).toBeGreaterThanOrEqual(before);
      const data = body.data as Record<string, unknown>;
      expect(Object.keys(data)).toEqual(['token', 'expireAt']);
      expect(Number.isInteger(data.expireAt)).toBe(true);
      // ~30 minutes, in milliseconds.
      expect(data.expireAt as number).toBeGreaterThanOrEqual(clock.now() - 60_000 + 30 * 60_000 - 60_000);
      expect((data.expireAt as number) - (body.timestamp as number) - offset).toBeLessThanOrEqual(30 * 60_000);
      expect((data.expireAt as number) - (body.timestamp as number) - offset).toBeGreaterThan(29 * 60_000);
      const token = data.token as string;
      expect(decodeProtectedHeader(token)).toMatchObject({ alg: 'HS256', typ: 'JWT' });
      const claims = decodeJwt(token);
      expect(Object.keys(claims)).toEqual(CLAIM_KEYS);
      expect(claims.idSessao).toMatch(UUID);
      expect(claims.expiracao).toBe(data.expireAt);
      expect(claims.aud).toBe('beneficiario');
      expect(claims.versao).toBe('2');
      expect(Number.isInteger(claims.iat)).toBe(true);
      expect(claims.iat).toBe(Math.floor(((data.expireAt as number) - 30 * 60_000) / 1000));
      expect(sim.calls().elegibilidade.lastBody).toEqual({ chaveUnica: ana.cpf, integracao: {} });
    });

    it('the token is an ordinary app session: profile, funcionalidade with its chave passe, data API, logout', async () => {
      const token = (await chaveAuth(seguranca, { chaveUnica: ana.cpf })).json().data.token as string;
      const sessao = await atual(token);
      expect(sessao.statusCode, sessao.body).toBe(200);
      expect(sessao.json().perfil.usuario.chaveUnica).toBe(ana.cpf);
      const aberta = await t.app.inject({ method: 'POST', url: `/app/v1/funcionalidades/${chaveFuncionalidade}/abrir`, headers: { 'x-app-id': appId, authorization: `Bearer ${token}` }, payload: { sistema } });
      expect(aberta.statusCode, aberta.body).toBe(200);
      const chavePasse = new URL(aberta.json().url).searchParams.get('chavePasse')!;
      const usuario = await t.app.inject({
        method: 'GET',
        url: `/clientes/chavePasse/usuario?${new URLSearchParams({ instanciaApp: '1', chavePasse, chaveFuncionalidade })}`,
        headers: { authorization: chavePasseOnly },
      });
      expect(usuario.statusCode, usuario.body).toBe(200);
      expect(usuario.json().data.chaveUnica).toBe(ana.cpf);
      const logout = await t.app.inject({ method: 'DELETE', url: '/app/v1/sessoes/atual', headers: { 'x-app-id': appId, authorization: `Bearer ${token}` } });
      expect(logout.statusCode).toBe(204);
      expect((await atual(token)).statusCode).toBe(401);
    });

    it('a temp token made from a seguranca token is accepted', async () => {
      const temp = await t.app.inject({ method: 'POST', url: '/clientes/auth/temp-authorization', headers: { authorization: seguranca }, remoteAddress: freshIp() });
      expect(temp.statusCode, temp.body).toBe(200);
      const response = await chaveAuth(`Bearer ${temp.json().data.token}`, { chaveUnica: bruno.cpf });
      expect(response.statusCode, response.body).toBe(200);
    });

    it('401 for a missing or bad token, 403 for a token without the seguranca API', async () => {
      expectFailure(await chaveAuth(undefined, { chaveUnica: ana.cpf }), 401);
      expectFailure(await chaveAuth('tok_invalido', { chaveUnica: ana.cpf }), 401);
      const scope = expectFailure(await chaveAuth(chavePasseOnly, { chaveUnica: ana.cpf }), 403);
      expect(scope.message).toMatch(/não tem acesso a esta API/);
    });

    it('400 naming the field for a missing, blank or non-text chaveUnica and a missing instanciaApp', async () => {
      for (const payload of [{}, { chaveUnica: '' }, { chaveUnica: '   ' }, { chaveUnica: 123 }, { chaveUnica: null }, undefined]) {
        const body = expectFailure(await chaveAuth(seguranca, payload), 400);
        expect(body.critical.map((c) => c.campo), JSON.stringify(payload)).toEqual(['chaveUnica']);
      }
      const noInstancia = expectFailure(await chaveAuth(seguranca, { chaveUnica: ana.cpf }, ''), 400);
      expect(noInstancia.critical.map((c) => c.campo)).toEqual(['instanciaApp']);
      // instanciaApp is taken from the body too.
      expect((await chaveAuth(seguranca, { chaveUnica: carla.cpf, instanciaApp: '1' }, '')).statusCode).toBe(200);
    });

    it('a person the operator does not recognise is refused with its message; an outage is 502 with Retry-After', async () => {
      const unknown = expectFailure(await chaveAuth(seguranca, { chaveUnica: '00000000000' }), 422);
      expect(unknown.message).toBe('A operadora não reconheceu o beneficiário: Beneficiário não encontrado');
      sim.setFault('status-500', { methods: ['elegibilidade'] });
      try {
        const outage = await chaveAuth(seguranca, { chaveUnica: ana.cpf });
        expectFailure(outage, 502);
        expect(outage.headers['retry-after']).toBeDefined();
      } finally {
        sim.setFault(null);
      }
    });

    it('instanciaApp=2 (Produção) is refused with 422 while elegibilidade is active only in Sandbox, and nobody is called', async () => {
      // Produção has its own integração (https, as Produção demands), without elegibilidade.
      const actor = { userId: null, label: 'teste' };
      await t.services.integracoes.save({ clienteId, instancia: 2, baseUrl: 'https://api.operadora-exemplo.com.br', grupoId: null, metodos: {}, headers: [], actor });
      const before = sim.calls().elegibilidade.count;
      // Query string or body, text or number: the same instância, the same refusal.
      for (const [payload, query] of [
        [{ chaveUnica: ana.cpf }, '?instanciaApp=2'],
        [{ chaveUnica: ana.cpf, instanciaApp: 2 }, ''],
      ] as const) {
        const body = expectFailure(await chaveAuth(seguranca, payload, query), 422);
        expect(body.message, JSON.stringify({ payload, query })).toBe(
          'A elegibilidade não está ativa nesta instância: configure a URL da elegibilidade e ative-a em Integração, no painel, antes de usar o chaveAuth ou funcionalidades embutidas com login.',
        );
      }
      expect(sim.calls().elegibilidade.count).toBe(before);
      // Sandbox is untouched by the Produção refusal.
      expect((await chaveAuth(seguranca, { chaveUnica: carla.cpf })).statusCode).toBe(200);
    });

    it('429 past the per-chaveUnica limit (10 sessions in 10 minutes), whichever token asks', async () => {
      const person = seedPeople[3]!;
      const other = (await createClientToken(t, clienteId, ['seguranca'])).plaintext;
      for (let i = 0; i < 10; i++) expect((await chaveAuth(i % 2 ? other : seguranca, { chaveUnica: person.cpf })).statusCode).toBe(200);
      const limited = await chaveAuth(other, { chaveUnica: person.cpf });
      expect(expectFailure(limited, 429).message).toMatch(/chaveUnica/);
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    });
  });

  describe('relogin through elegibilidade', () => {
    it('refreshes a session older than the interval: a permissão changed at the operator applies to the list and to opening', async () => {
      const token = await login(ana);
      const visible = (r: LightMyRequestResponse) => (r.json().funcionalidades as { chaveFuncionalidade: string; bloqueada: boolean }[]).find((f) => f.chaveFuncionalidade === chaveFuncionalidade);
      expect(visible(await atual(token))?.bloqueada).toBe(false);
      sim.setPermissoes(ana.cpf, [{ funcionalidade: codigoFuncionalidade, acesso: false, mensagemBloqueio: 'Suspensa pela operadora.', ocultar: false }]);
      const calls = sim.calls().elegibilidade.count;
      // Younger than the interval: nothing asked, nothing changed.
      expect(visible(await atual(token))?.bloqueada).toBe(false);
      expect(sim.calls().elegibilidade.count).toBe(calls);
      offset += HOUR + 60_000;
      const refreshed = await atual(token);
      expect(refreshed.statusCode, refreshed.body).toBe(200);
      expect(visible(refreshed)).toMatchObject({ bloqueada: true, mensagemBloqueio: 'Suspensa pela operadora.' });
      expect(sim.calls().elegibilidade.count).toBe(calls + 1);
      // The person's chave única, integração and seguranca header went to the operator.
      expect(sim.calls().elegibilidade.lastBody).toMatchObject({ chaveUnica: ana.cpf, integracao: { codigoBeneficiario: ana.codigoBeneficiario } });
      const aberta = await t.app.inject({ method: 'POST', url: `/app/v1/funcionalidades/${chaveFuncionalidade}/abrir`, headers: { 'x-app-id': appId, authorization: `Bearer ${token}` }, payload: { sistema } });
      expect(aberta.statusCode, aberta.body).toBe(403);
      // Before opening a funcionalidade too: the permissão given back applies at once after the interval.
      sim.setPermissoes(ana.cpf, null);
      offset += HOUR + 60_000;
      const reaberta = await t.app.inject({ method: 'POST', url: `/app/v1/funcionalidades/${chaveFuncionalidade}/abrir`, headers: { 'x-app-id': appId, authorization: `Bearer ${token}` }, payload: { sistema } });
      expect(reaberta.statusCode, reaberta.body).toBe(200);
    });

    it('ends the session when the operator refuses the person: a clear 401, then the session is gone', async () => {
      const token = await login(bruno);
      sim.setElegivel(bruno.cpf, false);
      try {
        offset += HOUR + 60_000;
        const refused = await atual(token);
        expect(refused.statusCode, refused.body).toBe(401);
        expect(refused.json().error.message).toMatch(/A operadora não confirmou seu acesso\. Entre novamente\./);
        sim.setElegivel(bruno.cpf, true);
        expect((await atual(token)).statusCode).toBe(401);
      } finally {
        sim.setElegivel(bruno.cpf, true);
      }
    });

    it('keeps the session through an operator outage, and the failed elegibilidade is in the central de logs', async () => {
      const token = await login(carla);
      sim.setFault('status-503', { methods: ['elegibilidade'] });
      try {
        offset += HOUR + 60_000;
        const kept = await atual(token);
        expect(kept.statusCode, kept.body).toBe(200);
        expect(kept.json().perfil.usuario.chaveUnica).toBe(carla.cpf);
      } finally {
        sim.setFault(null);
      }
      await vi.waitFor(
        async () => {
          const page = await t.services.logCenter.search({ clienteId, instancia: 1, operacao: 'elegibilidade', chaveUsuario: carla.cpf, status: 503, pagina: 1, porPagina: 10 });
          expect(page.items.length).toBeGreaterThan(0);
        },
        { timeout: 10_000, interval: 100 },
      );
      // Still refreshed on the next request once the operator is back.
      expect((await atual(token)).statusCode).toBe(200);
    });

    it('relogin off (no interval) never calls elegibilidade', async () => {
      offset = 0;
      const off = await elegibilidade({ ativa: true, reloginHoras: null });
      expect(off.statusCode, off.body).toBe(200);
      const token = await login(ana);
      const calls = sim.calls().elegibilidade.count;
      offset += 11 * HOUR;
      expect((await atual(token)).statusCode).toBe(200);
      expect(sim.calls().elegibilidade.count).toBe(calls);
      offset = 0;
    });
  });
});

describe('chaveAuth per-token limit', () => {
  let t: TestApp;
  afterAll(async () => t?.close());

  it('429 with Retry-After past the token do cliente requests per minute, in the /clientes envelope', async () => {
    t = await createTestApp({ env: { PONTE_CLIENTES_MAX_PER_TOKEN_PER_MINUTE: '2' } });
    const cliente = await createCliente(t, 'Operadora Limitada');
    const token = (await createClientToken(t, cliente.id, ['seguranca'])).plaintext;
    const call = () =>
      t.app.inject({ method: 'POST', url: `${CHAVE_AUTH}?instanciaApp=1`, headers: { authorization: token, 'content-type': 'application/json' }, payload: { chaveUnica: ana.cpf } });
    // Elegibilidade is not active here: the first two are refused for that, the third by the limit.
    expectFailure(await call(), 422);
    expectFailure(await call(), 422);
    const limited = await call();
    expectFailure(limited, 429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
  });
});
