import { randomUUID } from 'node:crypto';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { appSessionPolicy } from '../src/modules/app-sessions/app-sessions.service.ts';
import { manualClock } from '../src/platform/clock.ts';
import { cpfWithCheckDigits, seedPeople, type SeedPerson } from '../src/simulator/seed-data.ts';
import { createOperatorSimulator, SESSAO_HEADER, type OperatorSimulator } from '../src/simulator/simulator.ts';
import { createClientToken, createCliente, loginAs } from './support/fixtures.ts';
import { createTestApp, type TestApp } from './support/test-app.ts';

/**
 * The beneficiary flows of issue 4 end to end, over HTTP only: the painel API configures a cliente
 * (grupo, integração with a CPF login form, funcionalidades), the app API logs a simulator user in
 * and opens funcionalidades, and the chave passe data API answers the operator's page. What the
 * operator received is read at the operator side (`sim.calls()`).
 */

const [ana, carlos, lucas] = seedPeople as [SeedPerson, SeedPerson, SeedPerson];
const formatCpf = (cpf: string) => `${cpf.slice(0, 3)}.${cpf.slice(3, 6)}.${cpf.slice(6, 9)}-${cpf.slice(9)}`;

/** The titular's permissoes in the simulator (src/simulator/responses.ts): one blocked, one hidden. */
const BLOQUEADA = { codigo: 'reembolso', mensagem: 'Reembolso indisponível no seu plano. Fale com a central de atendimento.' };
const OCULTA = { codigo: 'telemedicina' };

const CARTEIRINHA_URL = 'https://webview.operadora.example/carteirinha?origem=app&tema=azul';
const sistema = { plataforma: 'android', versaoApp: '3.2.1', dispositivo: 'Pixel 8', idioma: 'pt-BR', geolocalizacao: { latitude: -23.55, longitude: -46.63, precisaoMetros: 25 } };
const ENVELOPE_KEYS = ['status', 'data', 'message', 'critical', 'statusCode', 'timestamp'];
const endpoints = ['usuario', 'grupoFamiliar', 'sistema', 'chavePasse'] as const;

type Funcionalidade = { id: string; chaveFuncionalidade: string; nome: string; url: string };
type Setup = {
  clienteId: string;
  appId: string;
  appIdProducao: string;
  token: string;
  painel: Record<string, string>;
  carteirinha: Funcionalidade;
  reembolso: Funcionalidade;
  telemedicina: Funcionalidade;
};

function expectStatus(response: LightMyRequestResponse, status: number) {
  expect(response.statusCode, response.body).toBe(status);
  return response.json();
}

/** A cliente configured the way an operator does it in the painel, plus a token do cliente with API chavePasse. */
async function setUp(t: TestApp, sim: OperatorSimulator, options: { validadeMinutos?: number } = {}): Promise<Setup> {
  const cliente = await createCliente(t);
  const painel = (await loginAs(t, { clienteId: cliente.id, role: 'admin' })).headers;
  const base = `/painel/api/clientes/${cliente.id}/instancias/1`;
  const post = (url: string, payload: object) => t.app.inject({ method: 'POST', url: `${base}${url}`, headers: painel, payload });

  const grupo = expectStatus(await post('/grupos', { nome: 'Grupo', url: `${sim.url}/autorizacao`, usuario: 'demo', senha: 'demo' }), 201);
  const form = expectStatus(
    await post('/formularios', {
      nome: 'Login por CPF',
      finalidade: 'login',
      campos: [
        { nome: 'login', rotulo: 'CPF', tipo: 'cpf' },
        { nome: 'senha', rotulo: 'Senha', tipo: 'senha' },
      ],
    }),
    201,
  );
  const integracao = await t.app.inject({
    method: 'PUT',
    url: `${base}/integracao`,
    headers: painel,
    payload: { baseUrl: sim.url, grupoId: grupo.id, metodos: { login: { formularioId: form.id } }, headers: [] },
  });
  expectStatus(integracao, 200);
  const funcionalidade = async (nome: string, url: string, codigo?: string): Promise<Funcionalidade> =>
    expectStatus(await post('/funcionalidades', { nome, url, ...(codigo ? { codigo } : {}), ...(options.validadeMinutos ? { validadeMinutos: options.validadeMinutos } : {}) }), 201);

  const instancia = (numero: 1 | 2) => cliente.instancias.find((i) => i.numero === numero)!.appId;
  return {
    clienteId: cliente.id,
    appId: instancia(1),
    appIdProducao: instancia(2),
    token: (await createClientToken(t, cliente.id, ['chavePasse'])).plaintext,
    painel,
    carteirinha: await funcionalidade('Carteirinha', CARTEIRINHA_URL),
    reembolso: await funcionalidade('Reembolso', 'https://webview.operadora.example/reembolso', BLOQUEADA.codigo),
    telemedicina: await funcionalidade('Telemedicina', 'https://webview.operadora.example/telemedicina', OCULTA.codigo),
  };
}

const appRequest = (t: TestApp, appId: string | undefined, options: InjectOptions & { session?: string }) => {
  const { session, headers, ...rest } = options;
  return t.app.inject({
    ...rest,
    headers: { ...(appId !== undefined ? { 'x-app-id': appId } : {}), ...(session ? { authorization: `Bearer ${session}` } : {}), ...headers },
  });
};

const login = (t: TestApp, s: Setup, campos: Record<string, unknown>, remoteAddress?: string) =>
  appRequest(t, s.appId, { method: 'POST', url: '/app/v1/sessoes', payload: { campos }, ...(remoteAddress ? { remoteAddress } : {}) });

async function loggedIn(t: TestApp, s: Setup, person: SeedPerson = ana): Promise<string> {
  return expectStatus(await login(t, s, { login: person.cpf, senha: person.senha }), 201).token;
}

/** Opens a funcionalidade; returns the URL and the chave passe it carries. */
async function abrir(t: TestApp, s: Setup, session: string, f: Funcionalidade = s.carteirinha) {
  const body = expectStatus(await appRequest(t, s.appId, { method: 'POST', url: `/app/v1/funcionalidades/${f.chaveFuncionalidade}/abrir`, session, payload: { sistema } }), 200);
  const chavePasse = new URL(body.url).searchParams.get('chavePasse')!;
  return { url: body.url as string, expiraEm: body.expiraEm as number, chavePasse };
}

type Query = { instanciaApp?: string; chavePasse?: string; chaveFuncionalidade?: string };
const dados = (t: TestApp, endpoint: (typeof endpoints)[number], query: Query, authorization?: string, remoteAddress?: string) =>
  t.app.inject({
    method: 'GET',
    url: `/clientes/chavePasse/${endpoint}?${new URLSearchParams(query as Record<string, string>).toString()}`,
    headers: authorization !== undefined ? { authorization } : {},
    ...(remoteAddress ? { remoteAddress } : {}),
  });
const queryOf = (s: Setup, chavePasse: string, f: Funcionalidade = s.carteirinha): Query => ({ instanciaApp: '1', chavePasse, chaveFuncionalidade: f.chaveFuncionalidade });

/** A success envelope with exactly the seed's fields and message; returns `data`. */
function expectData(response: LightMyRequestResponse): unknown {
  expect(response.statusCode, response.body).toBe(200);
  const body = response.json();
  expect(Object.keys(body)).toEqual(ENVELOPE_KEYS);
  expect(body).toEqual({ status: true, data: expect.anything(), message: 'Dados carregados com sucesso.', critical: [], statusCode: 200, timestamp: expect.any(Number) });
  return body.data;
}

/** A failure envelope, without the parts that differ per request. */
function failureOf(response: LightMyRequestResponse, status: number) {
  expect(response.statusCode, response.body).toBe(status);
  const { timestamp, ...rest } = response.json();
  expect(timestamp).toEqual(expect.any(Number));
  // The id of the request travels in the header only: the seed's envelope has no other attribute.
  expect(response.headers['x-request-id']).toMatch(/^req_/);
  expect(rest).toEqual({ status: false, data: [], message: expect.any(String), critical: expect.any(Array), statusCode: status });
  return rest;
}

let octet = 0;
/** Each failing call from its own address, so the per-IP authentication failure limit never interferes. */
const freshIp = () => `127.0.3.${++octet}`;

describe('beneficiary flows end to end', () => {
  let t: TestApp;
  let sim: OperatorSimulator;
  let s: Setup;
  /** The 403 for a key that never existed: every refusal must look exactly like it. */
  let refusal: Record<string, unknown>;
  const expectRefused = (response: LightMyRequestResponse) => expect(failureOf(response, 403)).toEqual(refusal);

  beforeAll(async () => {
    t = await createTestApp();
    sim = await createOperatorSimulator({ port: 0 });
  });
  // A fresh cliente per test: login limits count per cliente and identifier, so tests never share them.
  beforeEach(async () => {
    s = await setUp(t, sim);
    refusal = failureOf(await dados(t, 'usuario', queryOf(s, 'chave-que-nunca-existiu'), s.token), 403);
    expect(refusal.critical).toEqual([]);
  });
  afterAll(async () => {
    await sim?.close();
    await t?.close();
  });

  describe('login and funcionalidades', () => {
    it('logs in with a formatted CPF (sent to the operator as digits): 201 with token, perfil and funcionalidades, blocked ones marked, hidden ones absent', async () => {
      const before = sim.calls().login.count;
      const body = expectStatus(await login(t, s, { login: formatCpf(ana.cpf), senha: ana.senha }), 201);
      expect(sim.calls().login.count).toBe(before + 1);
      expect(sim.calls().login.lastBody).toEqual({ login: ana.cpf, senha: ana.senha });

      expect(body.token).toMatch(/^pap_/);
      expect(body.perfil.usuario).toEqual({ login: ana.cpf, chaveUnica: ana.cpf, nome: ana.nome, esquemaCor: null });
      expect(body.perfil.contratos).toEqual([{ numeroContrato: 'CT-1001', tipo: 'beneficiario', descricaoContrato: expect.any(String) }]);
      // The titular sees the whole family.
      expect(body.perfil.beneficiarios.map((b: { chaveUnica: string }) => b.chaveUnica)).toEqual(seedPeople.slice(0, 4).map((p) => p.cpf));
      expect(body.funcionalidades).toEqual([
        { chaveFuncionalidade: s.carteirinha.chaveFuncionalidade, nome: 'Carteirinha', bloqueada: false, mensagemBloqueio: null },
        { chaveFuncionalidade: s.reembolso.chaveFuncionalidade, nome: 'Reembolso', bloqueada: true, mensagemBloqueio: BLOQUEADA.mensagem },
      ]);
      expect(body.expiraEm).toEqual(expect.any(Number));

      // The operator's seguranca token stays inside Ponte.
      const kept = await t.services.sessions.resolve(body.token);
      expect(kept?.seguranca.map((p) => p.chave)).toEqual([SESSAO_HEADER]);
      expect(JSON.stringify(body)).not.toContain(kept!.seguranca[0]!.token);

      const atual = expectStatus(await appRequest(t, s.appId, { method: 'GET', url: '/app/v1/sessoes/atual', session: body.token }), 200);
      expect(atual).toEqual({ perfil: body.perfil, funcionalidades: body.funcionalidades, expiraEm: body.expiraEm });
    });

    it('opening the blocked funcionalidade is 403 FUNCIONALIDADE_BLOQUEADA with its mensagemBloqueio; the hidden one is 404', async () => {
      const session = await loggedIn(t, s);
      const open = (f: Funcionalidade) => appRequest(t, s.appId, { method: 'POST', url: `/app/v1/funcionalidades/${f.chaveFuncionalidade}/abrir`, session, payload: { sistema } });
      const blocked = await open(s.reembolso);
      expect(blocked.statusCode).toBe(403);
      expect(blocked.json().error).toMatchObject({ code: 'FUNCIONALIDADE_BLOQUEADA', message: BLOQUEADA.mensagem });
      const hidden = await open(s.telemedicina);
      expect(hidden.statusCode).toBe(404);
      expect(hidden.json().error.code).toBe('NOT_FOUND');
      // Someone without those permissoes opens both.
      const other = await loggedIn(t, s, lucas);
      for (const f of [s.reembolso, s.telemedicina]) {
        const response = await appRequest(t, s.appId, { method: 'POST', url: `/app/v1/funcionalidades/${f.chaveFuncionalidade}/abrir`, session: other, payload: { sistema } });
        expect(response.statusCode, response.body).toBe(200);
      }
    });
  });

  describe('abrir funcionalidade and the chave passe data API', () => {
    it('returns the funcionalidade URL with chavePasse added to its query string; the four endpoints answer the logged-in user’s data in the seed’s envelope', async () => {
      const session = await loggedIn(t, s);
      const opened = await abrir(t, s, session);
      expect(opened.chavePasse).toMatch(/^[A-Za-z0-9_-]{43}$/); // 256 bits, base64url
      expect(opened.url).toBe(`${CARTEIRINHA_URL}&chavePasse=${opened.chavePasse}`);
      const query = queryOf(s, opened.chavePasse);

      expect(expectData(await dados(t, 'usuario', query, s.token))).toStrictEqual({ chaveUnica: ana.cpf, integracao: { codigoBeneficiario: ana.codigoBeneficiario } });

      const family = seedPeople.slice(0, 4);
      expect(expectData(await dados(t, 'grupoFamiliar', query, s.token))).toEqual(
        family.map((p) => ({
          chaveUnica: p.cpf,
          nome: p.nome,
          dataNascimento: p.dataNascimento,
          integracao: { codigoBeneficiario: p.codigoBeneficiario, codFamilia: 'FAM-1001' },
          usuarioLogado: p.cpf === ana.cpf,
        })),
      );

      const sistemaData = expectData(await dados(t, 'sistema', query, s.token)) as Record<string, unknown>;
      expect(sistemaData).toEqual({ ...sistema, abertoEm: expect.any(Number), instanciaApp: '1' });

      const chave = expectData(await dados(t, 'chavePasse', query, `Bearer ${s.token}`)) as Record<string, number>;
      expect(chave).toEqual({
        funcionalidade: { nome: 'Carteirinha', chaveFuncionalidade: s.carteirinha.chaveFuncionalidade },
        criadaEm: sistemaData.abertoEm,
        expiraEm: opened.expiraEm,
        instanciaApp: '1',
      });
      expect(chave.expiraEm! - chave.criadaEm!).toBe(10 * 60_000); // the default validity
    });

    it('a temp token minted from the token do cliente reads the same data', async () => {
      const minted = await t.app.inject({ method: 'POST', url: '/clientes/auth/temp-authorization', headers: { authorization: s.token } });
      const temp = expectStatus(minted, 200).data.token as string;
      const { chavePasse } = await abrir(t, s, await loggedIn(t, s));
      for (const endpoint of endpoints) expectData(await dados(t, endpoint, queryOf(s, chavePasse), temp));
      expect(expectData(await dados(t, 'usuario', queryOf(s, chavePasse), `Bearer ${temp}`))).toEqual({ chaveUnica: ana.cpf, integracao: { codigoBeneficiario: ana.codigoBeneficiario } });
    });

    it('logout ends the session and kills its chaves passe: the same key gets 403, the session token 401', async () => {
      const session = await loggedIn(t, s);
      const { chavePasse } = await abrir(t, s, session);
      expectData(await dados(t, 'usuario', queryOf(s, chavePasse), s.token));

      const logout = await appRequest(t, s.appId, { method: 'DELETE', url: '/app/v1/sessoes/atual', session });
      expect(logout.statusCode, logout.body).toBe(204);

      for (const endpoint of endpoints) expectRefused(await dados(t, endpoint, queryOf(s, chavePasse), s.token));
      const atual = await appRequest(t, s.appId, { method: 'GET', url: '/app/v1/sessoes/atual', session });
      expect(atual.statusCode).toBe(401);
      expect(atual.json().error.code).toBe('UNAUTHENTICATED');
      const again = await appRequest(t, s.appId, { method: 'POST', url: `/app/v1/funcionalidades/${s.carteirinha.chaveFuncionalidade}/abrir`, session, payload: { sistema } });
      expect(again.statusCode).toBe(401);
    });
  });

  describe('chave passe rules', () => {
    it('a key is reusable within its validity, for every endpoint, any number of times', async () => {
      const { chavePasse } = await abrir(t, s, await loggedIn(t, s));
      for (let round = 0; round < 3; round += 1) {
        for (const endpoint of endpoints) expectData(await dados(t, endpoint, queryOf(s, chavePasse), s.token));
      }
    });

    it('another cliente’s token (with API chavePasse) gets 403', async () => {
      const { chavePasse } = await abrir(t, s, await loggedIn(t, s));
      const outro = await createCliente(t, 'Outra Operadora');
      const { plaintext } = await createClientToken(t, outro.id, ['chavePasse']);
      for (const endpoint of endpoints) expectRefused(await dados(t, endpoint, queryOf(s, chavePasse), plaintext));
      expectData(await dados(t, 'usuario', queryOf(s, chavePasse), s.token));
    });

    it('a token of the cliente without API chavePasse gets 403 in the /clientes envelope', async () => {
      const { chavePasse } = await abrir(t, s, await loggedIn(t, s));
      const { plaintext } = await createClientToken(t, s.clienteId, ['seguranca']);
      const minted = expectStatus(await t.app.inject({ method: 'POST', url: '/clientes/auth/temp-authorization', headers: { authorization: plaintext } }), 200);
      for (const token of [plaintext, minted.data.token as string]) {
        const response = await dados(t, 'usuario', queryOf(s, chavePasse), token);
        const body = failureOf(response, 403);
        expect(Object.keys(response.json()).sort()).toEqual([...ENVELOPE_KEYS].sort());
        expect(body.critical).toEqual([]);
      }
    });

    it('a wrong chaveFuncionalidade gets 403 (another funcionalidade of the same cliente, or an unknown one)', async () => {
      const { chavePasse } = await abrir(t, s, await loggedIn(t, s));
      expectRefused(await dados(t, 'usuario', queryOf(s, chavePasse, s.reembolso), s.token));
      expectRefused(await dados(t, 'usuario', { ...queryOf(s, chavePasse), chaveFuncionalidade: randomUUID() }, s.token));
      expectData(await dados(t, 'usuario', queryOf(s, chavePasse), s.token));
    });

    it('a wrong instanciaApp gets 403', async () => {
      const { chavePasse } = await abrir(t, s, await loggedIn(t, s));
      for (const instanciaApp of ['2', '3', 'Sandbox', '01']) {
        expectRefused(await dados(t, 'sistema', { ...queryOf(s, chavePasse), instanciaApp }, s.token));
      }
      expectData(await dados(t, 'sistema', queryOf(s, chavePasse), s.token));
    });

    it('an inactive funcionalidade gets 403, and answers again once reactivated', async () => {
      const { chavePasse } = await abrir(t, s, await loggedIn(t, s));
      expectData(await dados(t, 'usuario', queryOf(s, chavePasse), s.token));
      const put = (ativa: boolean) =>
        t.app.inject({
          method: 'PUT',
          url: `/painel/api/clientes/${s.clienteId}/instancias/1/funcionalidades/${s.carteirinha.id}`,
          headers: s.painel,
          payload: { nome: 'Carteirinha', url: CARTEIRINHA_URL, ativa },
        });
      expectStatus(await put(false), 200);
      try {
        for (const endpoint of endpoints) expectRefused(await dados(t, endpoint, queryOf(s, chavePasse), s.token));
      } finally {
        expectStatus(await put(true), 200);
      }
      expectData(await dados(t, 'usuario', queryOf(s, chavePasse), s.token));
    });

    it('missing parameters are 400 with critical naming each one', async () => {
      const { chavePasse } = await abrir(t, s, await loggedIn(t, s));
      const full = queryOf(s, chavePasse);
      const named = (response: LightMyRequestResponse) => (failureOf(response, 400).critical as { campo: string; mensagem: string }[]).map((c) => c.campo);

      expect(named(await dados(t, 'usuario', {}, s.token))).toEqual(['instanciaApp', 'chavePasse', 'chaveFuncionalidade']);
      for (const name of ['instanciaApp', 'chavePasse', 'chaveFuncionalidade'] as const) {
        const { [name]: _left, ...rest } = full;
        expect(named(await dados(t, 'grupoFamiliar', rest, s.token)), name).toEqual([name]);
        expect(named(await dados(t, 'grupoFamiliar', { ...full, [name]: '  ' }, s.token)), `${name} blank`).toEqual([name]);
      }
      const critical = failureOf(await dados(t, 'chavePasse', { chavePasse }, s.token), 400).critical;
      expect(critical).toEqual([
        { campo: 'instanciaApp', mensagem: expect.any(String) },
        { campo: 'chaveFuncionalidade', mensagem: expect.any(String) },
      ]);
    });

    it('a bad or missing token is 401, whatever the parameters', async () => {
      const { chavePasse } = await abrir(t, s, await loggedIn(t, s));
      const revoked = await createClientToken(t, s.clienteId, ['chavePasse']);
      await t.services.tokens.revoke({ clienteId: s.clienteId, tokenId: revoked.token.id, actor: { userId: null, label: 'teste' } });
      for (const authorization of [undefined, '', 'ptk_naoexiste', `${s.token}x`, 'Bearer', revoked.plaintext, 'eyJhbGciOiJIUzI1NiJ9.e30.x']) {
        const response = await dados(t, 'usuario', queryOf(s, chavePasse), authorization, freshIp());
        expect(failureOf(response, 401).critical, String(authorization)).toEqual([]);
      }
      failureOf(await dados(t, 'usuario', {}, undefined, freshIp()), 401);
    });
  });

  describe('trocar senha carries the login’s seguranca headers', () => {
    it('reaches the operator with x-sessao-operadora and {chaveUnica, integracao, senhaAtual, novaSenha}; the new password then logs in', async () => {
      const session = await loggedIn(t, s, carlos);
      const issued = (await t.services.sessions.resolve(session))!.seguranca.find((p) => p.chave === SESSAO_HEADER)!;
      const novaSenha = 'nova-senha-do-carlos-42';
      // The default form's policy (6 characters, typed twice) is Ponte's: the operator sees none of it.
      const before = sim.calls().trocarSenha.count;
      for (const [campos, field] of [
        [{ senhaAtual: carlos.senha, novaSenha: '1', confirmacaoNovaSenha: '1' }, 'novaSenha'],
        [{ senhaAtual: carlos.senha, novaSenha, confirmacaoNovaSenha: `${novaSenha}!` }, 'confirmacaoNovaSenha'],
      ] as const) {
        const refused = await appRequest(t, s.appId, { method: 'POST', url: '/app/v1/senha', session, payload: { campos } });
        expect(refused.statusCode, refused.body).toBe(400);
        expect(refused.json().error.details.map((d: { field: string }) => d.field)).toEqual([field]);
      }
      expect(sim.calls().trocarSenha.count).toBe(before);
      const response = await appRequest(t, s.appId, { method: 'POST', url: '/app/v1/senha', session, payload: { campos: { senhaAtual: carlos.senha, novaSenha, confirmacaoNovaSenha: novaSenha } } });
      expect(expectStatus(response, 200)).toEqual({ mensagem: expect.any(String) });

      const calls = sim.calls().trocarSenha;
      expect(calls.lastHeaders?.[SESSAO_HEADER]).toBe(issued.token);
      expect(calls.lastBody).toEqual({ chaveUnica: carlos.cpf, integracao: { codigoBeneficiario: carlos.codigoBeneficiario }, senhaAtual: carlos.senha, novaSenha });

      expectStatus(await login(t, s, { login: carlos.cpf, senha: novaSenha }), 201);
      expect((await login(t, s, { login: carlos.cpf, senha: carlos.senha })).statusCode).not.toBe(201);
    });
  });

  describe('form validation happens before any operator call', () => {
    it('an invalid CPF or a blank senha is 400 VALIDATION_FAILED naming the field; the operator saw no /login', async () => {
      const before = sim.calls().login.count;
      const cases: [Record<string, unknown>, string[]][] = [
        [{ login: '100.200.301-00', senha: ana.senha }, ['login']],
        [{ login: '1234', senha: ana.senha }, ['login']],
        [{ login: ana.cpf, senha: '   ' }, ['senha']],
        [{ login: ana.cpf }, ['senha']],
        [{ login: '111.111.111-1x', senha: '' }, ['login', 'senha']],
      ];
      for (const [campos, fields] of cases) {
        const response = await login(t, s, campos);
        expect(response.statusCode, JSON.stringify(campos)).toBe(400);
        const { error } = response.json();
        expect(error.code).toBe('VALIDATION_FAILED');
        expect(error.details.map((d: { field: string }) => d.field)).toEqual(fields);
      }
      expect(sim.calls().login.count).toBe(before);
    });
  });

  describe('an operator outage is told apart from a refusal', () => {
    it("a wrong password (4xx with mensagem) is 422 OPERATOR_REFUSED with the operator's mensagem", async () => {
      const response = await login(t, s, { login: ana.cpf, senha: 'senha-errada' });
      expect(response.statusCode, response.body).toBe(422);
      expect(response.json().error).toMatchObject({ code: 'OPERATOR_REFUSED', message: 'Login ou senha inválidos' });
      expect(response.headers['retry-after']).toBeUndefined();
    });

    it.each(['status-500', 'status-503', 'redirect:http://127.0.0.1:1/outro-lugar', 'invalid-json'])(
      'an operator answering %s is 502 OPERATOR_UNAVAILABLE with Retry-After, never its text as a refusal',
      async (fault) => {
        sim.setFault(fault, { methods: ['login'] });
        try {
          const response = await login(t, s, { login: ana.cpf, senha: ana.senha });
          expect(response.statusCode, response.body).toBe(502);
          expect(response.json().error.code).toBe('OPERATOR_UNAVAILABLE');
          expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
          expect(response.body).not.toContain('simulado');
        } finally {
          sim.setFault(null);
        }
      },
    );

    it('a grupo the operator keeps refusing while /autorizacao fails is 502 OPERATOR_UNAVAILABLE, not a refusal', async () => {
      sim.expireGrupoTokens();
      sim.setFault('status-500', { methods: ['autorizacao'] });
      try {
        const response = await login(t, s, { login: ana.cpf, senha: ana.senha });
        expect(response.statusCode, response.body).toBe(502);
        expect(response.json().error.code).toBe('OPERATOR_UNAVAILABLE');
        expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
      } finally {
        sim.setFault(null);
      }
    });
  });

  describe('abuse limits', () => {
    it(`login is limited per identifier (${appSessionPolicy.loginPerIdentifier.max} per window), formatted or not, with Retry-After`, async () => {
      const ip = '10.44.0.1';
      const { max, windowSeconds } = appSessionPolicy.loginPerIdentifier;
      for (let i = 0; i < max; i += 1) {
        const campos = { login: i % 2 === 0 ? lucas.cpf : formatCpf(lucas.cpf), senha: 'senha-errada' };
        expect((await login(t, s, campos, ip)).statusCode).not.toBe(429);
      }
      const before = sim.calls().login.count;
      const limited = await login(t, s, { login: lucas.cpf, senha: lucas.senha }, ip);
      expect(limited.statusCode).toBe(429);
      expect(limited.json().error.code).toBe('RATE_LIMITED');
      const retryAfter = Number(limited.headers['retry-after']);
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(windowSeconds);
      // Refused before the operator is called; another person from the same address is not affected.
      expect(sim.calls().login.count).toBe(before);
      expectStatus(await login(t, s, { login: ana.cpf, senha: ana.senha }, ip), 201);
    });

    it(`login is limited per IP (${appSessionPolicy.loginPerIp.max} per window), with Retry-After`, async () => {
      const ip = '10.44.0.2';
      const { max, windowSeconds } = appSessionPolicy.loginPerIp;
      for (let i = 0; i < max; i += 1) {
        const response = await login(t, s, { login: cpfWithCheckDigits(String(500_000_000 + i)), senha: 'qualquer' }, ip);
        expect(response.statusCode, response.body).not.toBe(429);
      }
      const limited = await login(t, s, { login: ana.cpf, senha: ana.senha }, ip);
      expect(limited.statusCode).toBe(429);
      expect(limited.json().error.code).toBe('RATE_LIMITED');
      const retryAfter = Number(limited.headers['retry-after']);
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(windowSeconds);
      expectStatus(await login(t, s, { login: ana.cpf, senha: ana.senha }, '10.44.0.3'), 201);
    });
  });

  describe('app identification', () => {
    it('a missing or unknown X-App-Id is 404 APP_NOT_FOUND; a known one names cliente and instância', async () => {
      for (const appId of [undefined, '', 'app_sbx_naoexiste']) {
        for (const [method, url] of [['GET', '/app/v1/configuracao'], ['POST', '/app/v1/sessoes']] as const) {
          const response = await appRequest(t, appId, { method, url, ...(method === 'POST' ? { payload: { campos: { login: ana.cpf, senha: ana.senha } } } : {}) });
          expect(response.statusCode, `${method} ${url} ${appId}`).toBe(404);
          expect(response.json().error.code).toBe('APP_NOT_FOUND');
        }
      }
      const configuracao = expectStatus(await appRequest(t, s.appId, { method: 'GET', url: '/app/v1/configuracao' }), 200);
      expect(configuracao).toMatchObject({
        cliente: { nome: 'Operadora Teste' },
        instancia: { numero: 1, nome: 'Sandbox' },
        // The setup configures a base URL, so every method of the integração is offered.
        recursos: { login: true, recuperarSenha: true, trocarSenha: true },
      });
      expect(Object.keys(configuracao.formularios).sort()).toEqual(['login', 'recuperarSenhaIdentificacao', 'recuperarSenhaNovaSenha', 'trocarSenha']);
      expect(configuracao.formularios.login.campos.map((c: { nome: string }) => c.nome)).toEqual(['login', 'senha']);
      expect(configuracao.funcionalidades.length).toBeGreaterThan(0);
      for (const f of configuracao.funcionalidades) expect(Object.keys(f).sort()).toEqual(['chaveFuncionalidade', 'nome']);
      const producao = expectStatus(await appRequest(t, s.appIdProducao, { method: 'GET', url: '/app/v1/configuracao' }), 200);
      expect(producao.instancia).toEqual({ numero: 2, nome: 'Produção' });
      // Produção has no integração yet: nothing is offered, and the default forms still describe the fields.
      expect(producao.recursos).toEqual({ login: false, recuperarSenha: false, trocarSenha: false });
      expect(producao.formularios.login.campos.map((c: { nome: string }) => c.nome)).toEqual(['login', 'senha']);
    });

    it('a session token is 401 under the other instância’s app id (or another cliente’s)', async () => {
      const session = await loggedIn(t, s);
      const outro = await createCliente(t);
      for (const appId of [s.appIdProducao, outro.instancias[0]!.appId]) {
        for (const [method, url] of [['GET', '/app/v1/sessoes/atual'], ['DELETE', '/app/v1/sessoes/atual']] as const) {
          const response = await appRequest(t, appId, { method, url, session });
          expect(response.statusCode, `${method} ${appId}`).toBe(401);
          expect(response.json().error.code).toBe('UNAUTHENTICATED');
        }
      }
      // Still alive where it belongs: the refused DELETEs did not log it out.
      expectStatus(await appRequest(t, s.appId, { method: 'GET', url: '/app/v1/sessoes/atual', session }), 200);
    });
  });
});

describe('chave passe expiry (manual clock)', () => {
  const clock = manualClock(Date.now());
  let t: TestApp;
  let sim: OperatorSimulator;
  let s: Setup;

  beforeAll(async () => {
    t = await createTestApp({ clock });
    sim = await createOperatorSimulator({ port: 0 });
    s = await setUp(t, sim, { validadeMinutos: 2 });
  });
  afterAll(async () => {
    await sim?.close();
    await t?.close();
  });

  it('answers until validadeMinutos have passed, then 403 on every endpoint like any refusal', async () => {
    const session = await loggedIn(t, s);
    const opened = await abrir(t, s, session);
    expect(opened.expiraEm).toBe(clock.now() + 2 * 60_000);
    const query = queryOf(s, opened.chavePasse);
    const unknown = failureOf(await dados(t, 'usuario', queryOf(s, 'chave-desconhecida'), s.token), 403);

    clock.advance(2 * 60_000 - 1);
    for (const endpoint of endpoints) expectData(await dados(t, endpoint, query, s.token));
    clock.advance(1);
    for (const endpoint of endpoints) expect(failureOf(await dados(t, endpoint, query, s.token), 403)).toEqual(unknown);

    // The session itself lives on: a new key works.
    const fresh = await abrir(t, s, session);
    expectData(await dados(t, 'usuario', queryOf(s, fresh.chavePasse), s.token));
  });
});
