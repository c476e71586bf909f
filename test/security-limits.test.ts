import { randomBytes } from 'node:crypto';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appSessionPolicy } from '../src/modules/app-sessions/app-sessions.service.ts';
import { createClientTokensRepo } from '../src/modules/client-tokens/client-tokens.repo.ts';
import { formTestLimit } from '../src/modules/forms/forms.service.ts';
import { recuperacaoPolicy } from '../src/modules/recuperacao/recuperacao.service.ts';
import { appClient, operadoraAt, outboxOf, startFlow, type Operadora } from '../src/modules/recuperacao/recuperacao.test-support.ts';
import { sha256Hex } from '../src/platform/crypto.ts';
import { newId } from '../src/platform/ids.ts';
import { seedPeople, type SeedPerson } from '../src/simulator/seed-data.ts';
import { createOperatorSimulator, type OperatorSimulator } from '../src/simulator/simulator.ts';
import { createClientToken, createCliente, loginAs } from './support/fixtures.ts';
import { createTestApp, type TestApp } from './support/test-app.ts';

/**
 * The audit's attacks on Ponte's limits and sessions (issue 10), replayed against the real app and
 * the operator simulator, and what must hold now: identifier keys that every spelling shares, limits
 * before form validation, per-IP failures that never refuse a valid credential, X-Forwarded-For
 * read from the trusted hop only, per-token request limits, form patterns that cannot cost a node
 * its CPU, and sessions that end with the password.
 */

const [ana, carlos, lucas, rosa, helena, marcos] = seedPeople as [SeedPerson, SeedPerson, SeedPerson, SeedPerson, SeedPerson, SeedPerson];
/** `100.200.301-69` and friends: one CPF, typed three ways. */
const spellings = (cpf: string) => [`${cpf.slice(0, 3)}.${cpf.slice(3, 6)}.${cpf.slice(6, 9)}-${cpf.slice(9)}`, `${cpf.slice(0, 9)}-${cpf.slice(9)}`, `${cpf.slice(0, 3)}.${cpf.slice(3, 6)}.${cpf.slice(6)}`];
/** The audit's pattern: it passed the old backtracking check and cost ~1 s per login once saved. */
const AUDIT_PATTERN = '(?!(?:.*){2}x)'.repeat(14);
const unknownToken = () => `ptk_${randomBytes(32).toString('base64url')}`;
const sistema = { plataforma: 'android', versaoApp: '1.0.0' };

let octet = 0;
/** Each scenario from its own address, so per-IP counts never leak between tests. */
const freshIp = () => `10.77.${Math.floor(++octet / 250)}.${(octet % 250) + 1}`;

function retryAfterOf(response: LightMyRequestResponse): number {
  const seconds = Number(response.headers['retry-after']);
  expect(Number.isInteger(seconds) && seconds >= 1, `Retry-After: ${String(response.headers['retry-after'])}`).toBe(true);
  return seconds;
}

function expectSeed401(response: LightMyRequestResponse): void {
  expect(response.statusCode, response.body).toBe(401);
  expect(JSON.parse(response.body)).toStrictEqual({ success: false, message: 'Invalid token.' });
}

function expectEnvelope(response: LightMyRequestResponse, status: number): void {
  expect(response.statusCode, response.body).toBe(status);
  expect(response.json()).toMatchObject({ status: status < 400, statusCode: status, critical: expect.any(Array), timestamp: expect.any(Number) });
}

function expectAppError(response: LightMyRequestResponse, status: number, code: string): void {
  expect(response.statusCode, response.body).toBe(status);
  expect(response.json().error).toMatchObject({ code, message: expect.any(String), requestId: response.headers['x-request-id'] });
}

type Setup = Operadora & { token: string; tokenId: string; chaveFuncionalidade: string };

/** A cliente at the simulator (default forms) with a funcionalidade and a token do cliente with API chavePasse. */
async function operadora(t: TestApp, sim: OperatorSimulator): Promise<Setup> {
  const op = await operadoraAt(t, sim);
  const funcionalidade = await t.app.inject({
    method: 'POST',
    url: `/painel/api/clientes/${op.clienteId}/instancias/1/funcionalidades`,
    headers: op.painel,
    payload: { nome: 'Carteirinha', url: 'https://webview.operadora.example/carteirinha' },
  });
  expect(funcionalidade.statusCode, funcionalidade.body).toBe(201);
  const { token, plaintext } = await createClientToken(t, op.clienteId, ['chavePasse']);
  return { ...op, token: plaintext, tokenId: token.id, chaveFuncionalidade: funcionalidade.json().chaveFuncionalidade };
}

function app(t: TestApp, s: Pick<Setup, 'appId'>, options: InjectOptions & { session?: string; ip?: string }) {
  const { session, ip, headers, ...rest } = options;
  return t.app.inject({ ...rest, headers: { 'x-app-id': s.appId, ...(session ? { authorization: `Bearer ${session}` } : {}), ...headers }, remoteAddress: ip ?? freshIp() });
}

const login = (t: TestApp, s: Pick<Setup, 'appId'>, campos: Record<string, unknown>, ip?: string) =>
  app(t, s, { method: 'POST', url: '/app/v1/sessoes', payload: { campos }, ...(ip ? { ip } : {}) });

async function sessionOf(t: TestApp, s: Setup, person: SeedPerson, senha = person.senha): Promise<string> {
  const response = await login(t, s, { login: person.cpf, senha });
  expect(response.statusCode, response.body).toBe(201);
  return response.json().token as string;
}

async function chavePasseOf(t: TestApp, s: Setup, session: string): Promise<string> {
  const response = await app(t, s, { method: 'POST', url: `/app/v1/funcionalidades/${s.chaveFuncionalidade}/abrir`, session, payload: { sistema } });
  expect(response.statusCode, response.body).toBe(200);
  return new URL(response.json().url).searchParams.get('chavePasse')!;
}

const dados = (t: TestApp, s: Setup, chavePasse: string, authorization: string | undefined, ip = freshIp()) =>
  t.app.inject({
    method: 'GET',
    url: `/clientes/chavePasse/usuario?${new URLSearchParams({ instanciaApp: '1', chavePasse, chaveFuncionalidade: s.chaveFuncionalidade }).toString()}`,
    headers: authorization === undefined ? {} : { authorization },
    remoteAddress: ip,
  });

const tempAuth = (t: TestApp, authorization: string | undefined, ip: string, headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'POST', url: '/clientes/auth/temp-authorization', headers: { ...(authorization === undefined ? {} : { authorization }), ...headers }, remoteAddress: ip });

describe('security: limits and sessions (issue 10)', () => {
  let t: TestApp;
  let sim: OperatorSimulator;

  beforeAll(async () => {
    sim = await createOperatorSimulator({ port: 0 });
    t = await createTestApp();
  });
  afterAll(async () => {
    await t?.close();
    await sim?.close();
  });

  describe('identifier keys that cannot be sidestepped', () => {
    it('every spelling of a CPF shares one login budget on the default form ("CPF ou matrícula" text field)', async () => {
      const s = await operadora(t, sim);
      const { max } = appSessionPolicy.loginPerIdentifier;
      for (let i = 0; i < max; i += 1) {
        const response = await login(t, s, { login: spellings(ana.cpf)[i % 3], senha: `errada-${i}` });
        expect(response.statusCode, response.body).toBe(422);
      }
      const before = sim.calls().login.count;
      for (const login_ of [...spellings(ana.cpf), ana.cpf, ` ${ana.cpf} `]) {
        const limited = await login(t, s, { login: login_, senha: ana.senha });
        expectAppError(limited, 429, 'RATE_LIMITED');
        retryAfterOf(limited);
      }
      expect(sim.calls().login.count).toBe(before);
      // Another person, from the same addresses' point of view, keeps a whole budget.
      expect((await login(t, s, { login: carlos.cpf, senha: carlos.senha })).statusCode).toBe(201);
    });

    it('a form whose identifier is a field named cpf: varying the password never buys a fresh budget', async () => {
      const s = await operadora(t, sim);
      const criado = await t.app.inject({
        method: 'POST',
        url: `/painel/api/clientes/${s.clienteId}/instancias/1/formularios`,
        headers: s.painel,
        payload: { nome: 'Login por CPF', finalidade: 'login', campos: [{ nome: 'cpf', rotulo: 'CPF', tipo: 'cpf' }, { nome: 'senha', rotulo: 'Senha', tipo: 'senha' }] },
      });
      expect(criado.statusCode, criado.body).toBe(201);
      const escolhido = await t.app.inject({ method: 'PUT', url: `/painel/api/clientes/${s.clienteId}/instancias/1/formularios/em-uso/login`, headers: s.painel, payload: { formularioId: criado.json().id } });
      expect(escolhido.statusCode, escolhido.body).toBe(200);

      const { max } = appSessionPolicy.loginPerIdentifier;
      for (let i = 0; i < max; i += 1) expect((await login(t, s, { cpf: spellings(lucas.cpf)[i % 3], senha: `tentativa-${i}` })).statusCode).not.toBe(429);
      expectAppError(await login(t, s, { cpf: lucas.cpf, senha: 'mais-uma-senha' }), 429, 'RATE_LIMITED');
    });

    it('the limit runs before form validation: invalid submissions count, and the 11th is 429 whatever it holds', async () => {
      const s = await operadora(t, sim);
      const { max } = appSessionPolicy.loginPerIdentifier;
      for (let i = 0; i < max; i += 1) expectAppError(await login(t, s, { login: helena.cpf }), 400, 'VALIDATION_FAILED');
      expectAppError(await login(t, s, { login: helena.cpf }), 429, 'RATE_LIMITED');
      expectAppError(await login(t, s, { login: spellings(helena.cpf)[0], senha: helena.senha }), 429, 'RATE_LIMITED');
    });

    it('recovery: every spelling of a CPF shares one identification budget', async () => {
      const s = await operadora(t, sim);
      const { max } = recuperacaoPolicy.identificationPerIdentifier;
      const identificar = (cpf: string) => app(t, s, { method: 'POST', url: '/app/v1/recuperacao', payload: { campos: { cpf, dataNascimento: marcos.dataNascimento } } });
      for (let i = 0; i < max; i += 1) expect((await identificar(spellings(marcos.cpf)[i % 3]!)).statusCode).not.toBe(429);
      const limited = await identificar(marcos.cpf);
      expectAppError(limited, 429, 'RATE_LIMITED');
      retryAfterOf(limited);
    });

    it('the painel marks one identifier field, never a senha, only on login and recovery forms', async () => {
      const s = await operadora(t, sim);
      const save = (finalidade: string, campos: object[]) =>
        t.app.inject({ method: 'POST', url: `/painel/api/clientes/${s.clienteId}/instancias/1/formularios`, headers: s.painel, payload: { nome: 'F', finalidade, campos } });
      const fieldsOf = (response: LightMyRequestResponse) => (response.json().error.details as { field: string }[]).map((d) => d.field);

      const marcado = await save('login', [{ nome: 'matricula', rotulo: 'Matrícula', tipo: 'text', identificador: true }, { nome: 'senha', rotulo: 'Senha', tipo: 'senha' }]);
      expect(marcado.statusCode, marcado.body).toBe(201);
      expect(marcado.json().campos[0]).toMatchObject({ nome: 'matricula', identificador: true });

      expect(fieldsOf(await save('login', [{ nome: 'login', rotulo: 'Login', tipo: 'text' }, { nome: 'senha', rotulo: 'Senha', tipo: 'senha', identificador: true }]))).toEqual(['campos.1.identificador']);
      expect(fieldsOf(await save('trocarSenha', [{ nome: 'novaSenha', rotulo: 'Nova', tipo: 'senha' }, { nome: 'x', rotulo: 'X', tipo: 'text', identificador: true }]))).toEqual(['campos.1.identificador']);
      expect(fieldsOf(await save('login', [{ nome: 'a', rotulo: 'A', tipo: 'text', identificador: true }, { nome: 'b', rotulo: 'B', tipo: 'email', identificador: true }]))).toEqual(['campos.1.identificador']);

      // The default forms name theirs.
      const lista = await t.app.inject({ method: 'GET', url: `/painel/api/clientes/${s.clienteId}/instancias/1/formularios`, headers: s.painel });
      const padrao = (finalidade: string) => lista.json().finalidades.find((f: { finalidade: string }) => f.finalidade === finalidade).padrao.campos as { nome: string; identificador?: boolean }[];
      expect(padrao('login').filter((c) => c.identificador).map((c) => c.nome)).toEqual(['login']);
      expect(padrao('recuperarSenhaIdentificacao').filter((c) => c.identificador).map((c) => c.nome)).toEqual(['cpf']);
    });
  });

  describe('trocar senha is limited', () => {
    it(`per session (${appSessionPolicy.trocarSenhaPerSession.max} per window), before validation, 429 with Retry-After in the app shape`, async () => {
      const s = await operadora(t, sim);
      const session = await sessionOf(t, s, lucas);
      const trocar = (campos: object) => app(t, s, { method: 'POST', url: '/app/v1/senha', session, payload: { campos } });
      const before = sim.calls().trocarSenha.count;
      for (let i = 0; i < appSessionPolicy.trocarSenhaPerSession.max; i += 1) {
        // Wrong current passwords (the operator refuses them), and one blank form (refused by validation): all count.
        const response = await trocar(i === 0 ? { senhaAtual: '' } : { senhaAtual: `chute-${i}`, novaSenha: 'nova-senha-123', confirmacaoNovaSenha: 'nova-senha-123' });
        expect(response.statusCode, response.body).not.toBe(429);
      }
      const limited = await trocar({ senhaAtual: lucas.senha, novaSenha: 'nova-senha-123', confirmacaoNovaSenha: 'nova-senha-123' });
      expectAppError(limited, 429, 'RATE_LIMITED');
      expect(retryAfterOf(limited)).toBeLessThanOrEqual(appSessionPolicy.trocarSenhaPerSession.windowSeconds);
      expect(sim.calls().trocarSenha.count - before).toBe(appSessionPolicy.trocarSenhaPerSession.max - 1);
    });

    it(`per person across sessions (${appSessionPolicy.trocarSenhaPerPessoa.max} per window)`, async () => {
      const s = await operadora(t, sim);
      const { max } = appSessionPolicy.trocarSenhaPerPessoa;
      let tries = 0;
      while (tries < max) {
        const session = await sessionOf(t, s, ana);
        for (let i = 0; i < appSessionPolicy.trocarSenhaPerSession.max && tries < max; i += 1, tries += 1) {
          const response = await app(t, s, { method: 'POST', url: '/app/v1/senha', session, payload: { campos: { senhaAtual: `chute-${tries}` } } });
          expect(response.statusCode, response.body).toBe(400);
        }
      }
      const fresh = await sessionOf(t, s, ana);
      expectAppError(await app(t, s, { method: 'POST', url: '/app/v1/senha', session: fresh, payload: { campos: { senhaAtual: ana.senha, novaSenha: 'outra-123456', confirmacaoNovaSenha: 'outra-123456' } } }), 429, 'RATE_LIMITED');
    });
  });

  describe('/clientes: a valid credential is never refused because of someone else’s failures', () => {
    it('30+ bad tokens from one IP, then valid tokens from it: minted on temp-authorization, answered on chavePasse', async () => {
      const s = await operadora(t, sim);
      const chavePasse = await chavePasseOf(t, s, await sessionOf(t, s, marcos));
      const ip = freshIp();
      const max = t.config.authFailuresPerIp;
      for (let i = 0; i < max; i += 1) {
        const response = await (i % 2 === 0 ? tempAuth(t, unknownToken(), ip) : dados(t, s, chavePasse, unknownToken(), ip));
        expect(response.statusCode, response.body).toBe(401);
        expect(response.headers['retry-after']).toBeUndefined();
      }

      // Over the limit, invalid attempts say so: temp-authorization keeps the seed 401 (with Retry-After), the data API 429.
      const refusedTemp = await tempAuth(t, unknownToken(), ip);
      expectSeed401(refusedTemp);
      retryAfterOf(refusedTemp);
      const refusedData = await dados(t, s, chavePasse, unknownToken(), ip);
      expectEnvelope(refusedData, 429);
      retryAfterOf(refusedData);
      expectEnvelope(await dados(t, s, chavePasse, undefined, ip), 429);

      // Valid credentials from the same address: the token do cliente (already verified, then one never seen
      // on this node), and a temp token minted from it.
      const minted = await tempAuth(t, s.token, ip);
      expect(minted.statusCode, minted.body).toBe(200);
      expectEnvelope(await dados(t, s, chavePasse, s.token, ip), 200);
      expectEnvelope(await dados(t, s, chavePasse, `Bearer ${minted.json().data.token}`, ip), 200);
      const fresh = await createClientToken(t, s.clienteId, ['chavePasse']);
      expectEnvelope(await dados(t, s, chavePasse, fresh.plaintext, ip), 200);
    });

    it('a credential that failed is refused from memory afterwards (no lookup), even if a row for it appeared', async () => {
      const cliente = await createCliente(t);
      const token = unknownToken();
      expectSeed401(await tempAuth(t, token, freshIp()));
      // Tokens are only ever issued by Ponte, so this cannot happen; it shows the second answer never read the table.
      await createClientTokensRepo(t.database.db).insert({
        id: newId('clientToken'),
        clienteId: cliente.id,
        chavePublica: randomBytes(32).toString('hex'),
        tokenStart: token.slice(0, 12),
        tokenHash: sha256Hex(token),
        apis: ['chavePasse'],
        descricao: 'inserido pelo teste',
        createdBy: null,
        createdAt: Date.now(),
        lastUsedAt: null,
        revokedAt: null,
      });
      expectSeed401(await tempAuth(t, token, freshIp()));
      // A token never presented before is looked up as usual.
      const valid = await createClientToken(t, cliente.id);
      expect((await tempAuth(t, valid.plaintext, freshIp())).statusCode).toBe(200);
    });
  });

  describe('form patterns in linear time', () => {
    it('the audit’s pattern is refused at save and by the editor’s test, naming the construct', async () => {
      const s = await operadora(t, sim);
      const base = `/painel/api/clientes/${s.clienteId}/instancias/1/formularios`;
      const definicao = { nome: 'Login', finalidade: 'login', campos: [{ nome: 'login', rotulo: 'Login', tipo: 'text', padrao: AUDIT_PATTERN }, { nome: 'senha', rotulo: 'Senha', tipo: 'senha' }] };
      for (const [url, payload] of [
        [base, definicao],
        [`${base}/testar`, { definicao, valores: { login: 'a'.repeat(1000), senha: 'x' } }],
      ] as const) {
        const response = await t.app.inject({ method: 'POST', url, headers: s.painel, payload });
        expectAppError(response, 400, 'VALIDATION_FAILED');
        const detail = (response.json().error.details as { field: string; message: string }[]).find((d) => d.field.endsWith('campos.0.padrao'));
        expect(detail?.message).toMatch(/lookahead/);
      }
    });

    it(`the editor's test is limited per painel user (${formTestLimit.max} per minute), with Retry-After`, async () => {
      const s = await operadora(t, sim);
      const leitor = (await loginAs(t, { clienteId: s.clienteId, role: 'leitor' })).headers;
      const url = `/painel/api/clientes/${s.clienteId}/instancias/1/formularios/testar`;
      const payload = { definicao: { nome: 'Login', finalidade: 'login', campos: [{ nome: 'login', rotulo: 'Login', tipo: 'text', padrao: '\\d{6,8}' }] }, valores: { login: '123456' } };
      for (let i = 0; i < formTestLimit.max; i += 1) {
        const response = await t.app.inject({ method: 'POST', url, headers: leitor, payload });
        expect(response.statusCode, response.body).toBe(200);
      }
      const limited = await t.app.inject({ method: 'POST', url, headers: leitor, payload });
      expectAppError(limited, 429, 'RATE_LIMITED');
      retryAfterOf(limited);
      // Another painel user keeps their own budget.
      expect((await t.app.inject({ method: 'POST', url, headers: s.painel, payload })).statusCode).toBe(200);
    });
  });

  describe('password changes end other sessions', () => {
    it('trocarSenha on S2 ends S1 (401) and its chave passe (403); S2 and other people stay', async () => {
      const s = await operadora(t, sim);
      const s1 = await sessionOf(t, s, carlos);
      const chaveDeS1 = await chavePasseOf(t, s, s1);
      expectEnvelope(await dados(t, s, chaveDeS1, s.token), 200); // cached on this node from now on
      const s2 = await sessionOf(t, s, carlos);
      const outraPessoa = await sessionOf(t, s, ana);
      // A session from before keyed hashes: its row names the person by the unkeyed SHA-256.
      const s0 = await sessionOf(t, s, carlos);
      const s0Id = (await t.services.sessions.resolve(s0))!.id;
      await t.database.db.updateTable('app_sessions').set({ chave_unica_hash: sha256Hex(`${s.clienteId}:${carlos.cpf}`) }).where('id', '=', s0Id).execute();

      const novaSenha = 'carlos-nova-senha-1';
      const trocada = await app(t, s, { method: 'POST', url: '/app/v1/senha', session: s2, payload: { campos: { senhaAtual: carlos.senha, novaSenha, confirmacaoNovaSenha: novaSenha } } });
      expect(trocada.statusCode, trocada.body).toBe(200);

      for (const ended of [s1, s0]) expectAppError(await app(t, s, { method: 'GET', url: '/app/v1/sessoes/atual', session: ended }), 401, 'UNAUTHENTICATED');
      expectEnvelope(await dados(t, s, chaveDeS1, s.token), 403);
      expect((await app(t, s, { method: 'GET', url: '/app/v1/sessoes/atual', session: s2 })).statusCode).toBe(200);
      expect((await app(t, s, { method: 'GET', url: '/app/v1/sessoes/atual', session: outraPessoa })).statusCode).toBe(200);
      expect((await login(t, s, { login: carlos.cpf, senha: novaSenha })).statusCode).toBe(201);
    });

    it('sessions name their person by a keyed hash, not an enumerable SHA-256 of cliente and CPF', async () => {
      const s = await operadora(t, sim);
      const id = (await t.services.sessions.resolve(await sessionOf(t, s, ana)))!.id;
      const row = await t.database.db.selectFrom('app_sessions').select('chave_unica_hash').where('id', '=', id).executeTakeFirstOrThrow();
      expect(row.chave_unica_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(row.chave_unica_hash).not.toBe(sha256Hex(`${s.clienteId}:${ana.cpf}`));
    });

    it('a completed recovery ends every session of the person, and their chaves passe', async () => {
      const s = await operadora(t, sim);
      const sessions = [await sessionOf(t, s, rosa), await sessionOf(t, s, rosa)];
      const chave = await chavePasseOf(t, s, sessions[0]!);
      expectEnvelope(await dados(t, s, chave, s.token), 200);

      const recovery = appClient(t, s.appId);
      const outbox = outboxOf(t, s);
      const id = await startFlow(recovery, rosa);
      expect((await recovery.enviar(id, '3')).statusCode).toBe(202);
      expect((await recovery.verificar(id, await outbox.codeSentTo(rosa.celular))).statusCode).toBe(200);
      // Until the new password is set, nothing ends.
      expect((await app(t, s, { method: 'GET', url: '/app/v1/sessoes/atual', session: sessions[1] })).statusCode).toBe(200);
      expect((await recovery.novaSenha(id, { novaSenha: 'rosa-recuperada-1', confirmacaoNovaSenha: 'rosa-recuperada-1' })).statusCode).toBe(200);

      for (const ended of sessions) expectAppError(await app(t, s, { method: 'GET', url: '/app/v1/sessoes/atual', session: ended }), 401, 'UNAUTHENTICATED');
      expectEnvelope(await dados(t, s, chave, s.token), 403);
    });
  });
});

describe('security: per-token request limit on /clientes', () => {
  let t: TestApp;
  let sim: OperatorSimulator;
  beforeAll(async () => {
    sim = await createOperatorSimulator({ port: 0 });
    t = await createTestApp({ env: { PONTE_CLIENTES_MAX_PER_TOKEN_PER_MINUTE: '4' } });
  });
  afterAll(async () => {
    await t?.close();
    await sim?.close();
  });

  it('counts a token do cliente and its temp tokens together: the 5th call in a minute is 429 with the envelope and Retry-After', async () => {
    const s = await operadora(t, sim);
    const chavePasse = await chavePasseOf(t, s, await sessionOf(t, s, ana));
    const temp = (await tempAuth(t, s.token, freshIp())).json().data.token as string;
    for (const authorization of [s.token, `Bearer ${temp}`, s.token, temp]) expectEnvelope(await dados(t, s, chavePasse, authorization), 200);

    for (const authorization of [s.token, temp]) {
      const limited = await dados(t, s, chavePasse, authorization);
      expectEnvelope(limited, 429);
      expect(retryAfterOf(limited)).toBeLessThanOrEqual(60);
    }
    // Temp-authorization is outside this limit (its seed knows only 401), and other tokens keep their own budget.
    expect((await tempAuth(t, s.token, freshIp())).statusCode).toBe(200);
    const other = await createClientToken(t, s.clienteId, ['chavePasse']);
    expectEnvelope(await dados(t, s, chavePasse, other.plaintext), 200);
  });
});

describe('security: X-Forwarded-For with PONTE_TRUST_PROXY as a hop count', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { PONTE_TRUST_PROXY: '1' } });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('40 bad tokens with a varying left-most X-Forwarded-For from one load balancer hop count against one client IP', async () => {
    const socket = '10.0.0.5';
    const clientSeenByTheBalancer = '203.0.113.7';
    const answers: LightMyRequestResponse[] = [];
    for (let i = 0; i < 40; i += 1) {
      const spoofed = `198.51.${i}.${i + 1}`;
      answers.push(await tempAuth(t, unknownToken(), socket, { 'x-forwarded-for': `${spoofed}, ${clientSeenByTheBalancer}` }));
    }
    for (const answer of answers) expectSeed401(answer);
    const told = answers.filter((answer) => answer.headers['retry-after'] !== undefined).length;
    expect(told).toBe(40 - t.config.authFailuresPerIp);
    // Another client behind the same balancer is not affected.
    const other = await tempAuth(t, unknownToken(), socket, { 'x-forwarded-for': `${clientSeenByTheBalancer}, 203.0.113.8` });
    expectSeed401(other);
    expect(other.headers['retry-after']).toBeUndefined();
  });
});
