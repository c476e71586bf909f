import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { request } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { OperatorMethod } from '../modules/contracts/contract-spec.ts';
import { contracts } from '../modules/contracts/contracts.ts';
import { isValidCpf, validateResponse, validateValue } from '../modules/contracts/validator.ts';
import { manualClock } from '../platform/clock.ts';
import { DEFAULT_HUGE_BODY_BYTES, FaultParseError, faultModes } from './faults.ts';
import { seedPeople, type SeedPerson } from './seed-data.ts';
import { createOperatorSimulator, type OperatorSimulator } from './simulator.ts';
import { ponteBin } from '../../test/support/ponte-bin.ts';

type Reply = { status: number; headers: Record<string, string | string[] | undefined>; text: string; json: () => any };

async function call(url: string, body: unknown, headers: Record<string, string> = {}, extra: { method?: 'GET' | 'POST' | 'PUT'; headersTimeout?: number } = {}): Promise<Reply> {
  const res = await request(url, {
    method: extra.method ?? 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    ...(extra.headersTimeout ? { headersTimeout: extra.headersTimeout } : {}),
  });
  const text = await res.body.text();
  return { status: res.statusCode, headers: res.headers, text, json: () => JSON.parse(text) };
}

const person = (nome: string): SeedPerson => {
  const found = seedPeople.find((p) => p.nome.startsWith(nome));
  if (!found) throw new Error(`no seeded person ${nome}`);
  return found;
};
const ana = person('Ana'); // titular
const carlos = person('Carlos'); // cônjuge
const lucas = person('Lucas'); // filho
const rosa = person('Rosa'); // agregada
const helena = person('Helena'); // profissional e beneficiária
const marcos = person('Marcos'); // só profissional

/** Gets fresh grupo headers the way Ponte would: POST /autorizacao and turn each pair into a header. */
async function grupoHeaders(sim: OperatorSimulator): Promise<Record<string, string>> {
  const reply = await call(`${sim.url}/autorizacao`, { usuario: 'demo', senha: 'demo' });
  expect(reply.status).toBe(200);
  return Object.fromEntries((reply.json().auth as { chave: string; token: string }[]).map((p) => [p.chave, p.token]));
}

async function login(sim: OperatorSimulator, who: SeedPerson, senha = who.senha, headers: Record<string, string> = {}) {
  return call(`${sim.url}/mobilesaude/login`, { login: who.cpf, senha }, { ...(await grupoHeaders(sim)), ...headers });
}

const violationsOf = (method: OperatorMethod, reply: Reply) => validateResponse(contracts[method], reply.status, reply.text).violations;
const kinds = (method: OperatorMethod, reply: Reply) => violationsOf(method, reply).map((v) => ({ caminho: v.caminho, tipo: v.tipo }));

describe('operator simulator', () => {
  let sim: OperatorSimulator;
  beforeAll(async () => {
    sim = await createOperatorSimulator({ port: 0 });
  });
  afterAll(async () => {
    await sim.close();
  });
  beforeEach(() => {
    sim.reset();
  });

  describe('seed', () => {
    it('has valid, distinct CPFs and the family the visibility rule needs', () => {
      expect(seedPeople.length).toBeGreaterThanOrEqual(4);
      for (const p of seedPeople) expect(isValidCpf(p.cpf), p.cpf).toBe(true);
      expect(new Set(seedPeople.map((p) => p.cpf)).size).toBe(seedPeople.length);
      expect([ana, carlos, lucas].map((p) => p.beneficiario?.codFamilia)).toEqual(['FAM-1001', 'FAM-1001', 'FAM-1001']);
      expect(helena.beneficiario && helena.profissional).toBeTruthy();
    });
  });

  describe('normal answers pass the declared contracts', () => {
    it('/autorizacao issues an HS256 JWT expiring after the grupo TTL and the cliente pair', async () => {
      const reply = await call(`${sim.url}/autorizacao`, { usuario: 'demo', senha: 'demo' });
      expect(reply.status).toBe(200);
      expect(violationsOf('autorizacao', reply)).toEqual([]);
      const [tokenPair, clientePair] = reply.json().auth;
      expect(tokenPair.chave).toBe('x-operadora-token');
      expect(clientePair).toEqual({ chave: 'x-operadora-cliente', token: 'ponte-demo' });
      expect(decodeProtectedHeader(tokenPair.token).alg).toBe('HS256');
      const claims = decodeJwt(tokenPair.token);
      expect(claims.exp! - claims.iat!).toBeGreaterThanOrEqual(3600);
      expect(claims.exp! - claims.iat!).toBeLessThanOrEqual(3601);
    });

    it('/login answers every seeded user with a valid login response and a per-user session header', async () => {
      for (const who of seedPeople) {
        const reply = await login(sim, who);
        expect(reply.status, who.nome).toBe(200);
        expect(violationsOf('login', reply), who.nome).toEqual([]);
        const body = reply.json();
        expect(body.usuarioLogado).toMatchObject({ login: who.cpf, chaveUnica: who.cpf });
        expect(body.seguranca.auth).toHaveLength(1);
        expect(body.seguranca.auth[0].chave).toBe('x-sessao-operadora');
        expect(body.seguranca.auth[0].expiracao).toBeGreaterThan(Date.now());
      }
    });

    it('/recuperarSenhaIdentificacao returns the seed-shaped contacts and a recovery token', async () => {
      const reply = await call(`${sim.url}/recuperarSenhaIdentificacao`, { cpf: ana.cpf, dataNascimento: ana.dataNascimento }, await grupoHeaders(sim));
      expect(reply.status).toBe(200);
      expect(violationsOf('recuperarSenhaIdentificacao', reply)).toEqual([]);
      const body = reply.json();
      expect(body.chaveUnica).toBe(ana.cpf);
      expect(body.contatos.map((c: { tipo: number; contato: string }) => [c.tipo, c.contato])).toEqual([
        [1, ana.email],
        [1, ana.emailSecundario],
        [2, ana.celular],
      ]);
      expect(body.contatos[0].ofuscado).not.toContain(ana.email.split('@')[0]);
      expect(body.contatos[1].ofuscado).toBeNull();
      expect(body.contatos[2].ofuscado).toMatch(/^\d{3}\*+/);
      expect(body.seguranca.auth[0].chave).toBe('x-recuperacao-token');
    });

    it('failures carry {mensagem} with the documented wording and pass the failure shape', async () => {
      const grupo = await call(`${sim.url}/autorizacao`, { usuario: 'demo', senha: 'errada' });
      expect([grupo.status, grupo.json()]).toEqual([401, { status: 401, mensagem: 'Usuário/senha não encontrados' }]);
      const wrong = await login(sim, ana, 'errada');
      expect([wrong.status, wrong.json()]).toEqual([401, { mensagem: 'Login ou senha inválidos' }]);
      const unknown = await call(`${sim.url}/recuperarSenhaIdentificacao`, { cpf: ana.cpf, dataNascimento: '1999-01-01' }, await grupoHeaders(sim));
      expect([unknown.status, unknown.json()]).toEqual([404, { mensagem: 'Beneficiário não encontrado' }]);
      for (const [method, reply] of [['autorizacao', grupo], ['login', wrong], ['recuperarSenhaIdentificacao', unknown]] as const) {
        expect(violationsOf(method, reply)).toEqual([]);
      }
    });
  });

  describe('routing', () => {
    it('routes by suffix under any prefix', async () => {
      for (const prefix of ['', '/mobilesaude', '/api/v1/operadora']) {
        expect((await call(`${sim.url}${prefix}/autorizacao`, { usuario: 'demo', senha: 'demo' })).status, prefix).toBe(200);
      }
      expect(sim.calls().autorizacao.count).toBe(3);
    });

    it('answers 404 to other paths, 405 to other verbs and 400 to bodies that are not a JSON object', async () => {
      const missing = await call(`${sim.url}/mobilesaude/loginx`, {});
      expect(missing.status).toBe(404);
      expect(typeof missing.json().mensagem).toBe('string');
      const get = await call(`${sim.url}/login`, undefined, {}, { method: 'GET' });
      expect([get.status, get.headers.allow, typeof get.json().mensagem]).toEqual([405, 'POST', 'string']);
      for (const bad of ['{"usuario":', '', '[1,2]']) {
        const reply = await call(`${sim.url}/autorizacao`, bad);
        expect(reply.status, bad).toBe(400);
        expect(typeof reply.json().mensagem).toBe('string');
      }
    });
  });

  describe('grupo de autorização', () => {
    it('refuses methods without the grupo headers it issued', async () => {
      const grupo = await grupoHeaders(sim);
      const forged = { ...grupo, 'x-operadora-token': `${grupo['x-operadora-token']}x` };
      const wrongCliente = { ...grupo, 'x-operadora-cliente': 'outro' };
      for (const headers of [{}, forged, wrongCliente]) {
        const reply = await call(`${sim.url}/login`, { login: ana.cpf, senha: ana.senha }, headers);
        expect([reply.status, reply.json()]).toEqual([401, { mensagem: 'Token de autorização inválido ou expirado' }]);
      }
      expect((await call(`${sim.url}/login`, { login: ana.cpf, senha: ana.senha }, grupo)).status).toBe(200);
    });

    it('expireGrupoTokens invalidates every issued token until a new /autorizacao', async () => {
      const grupo = await grupoHeaders(sim);
      sim.expireGrupoTokens();
      expect((await call(`${sim.url}/login`, { login: ana.cpf, senha: ana.senha }, grupo)).status).toBe(401);
      expect((await login(sim, ana)).status).toBe(200);
      const viaHttp = await grupoHeaders(sim);
      expect((await call(`${sim.url}/__simulador/expirar-grupo`, {})).status).toBe(200);
      expect((await call(`${sim.url}/login`, { login: ana.cpf, senha: ana.senha }, viaHttp)).status).toBe(401);
    });

    it('takes credentials and TTL from options, expires tokens at the JWT exp, and can skip the check', async () => {
      const clock = manualClock();
      const custom = await createOperatorSimulator({ usuario: 'grupo', senha: 's3nha', grupoTtlSeconds: 60, clock });
      const lenient = await createOperatorSimulator({ requireGrupo: false });
      try {
        expect((await call(`${custom.url}/autorizacao`, { usuario: 'demo', senha: 'demo' })).status).toBe(401);
        const reply = await call(`${custom.url}/autorizacao`, { usuario: 'grupo', senha: 's3nha' });
        const token = reply.json().auth[0].token as string;
        expect(decodeJwt(token).exp).toBe(clock.now() / 1000 + 60);
        const headers = { 'x-operadora-token': token, 'x-operadora-cliente': 'ponte-demo' };
        clock.advance(60_000 - 1);
        expect((await call(`${custom.url}/login`, { login: ana.cpf, senha: ana.senha }, headers)).status).toBe(200);
        clock.advance(1);
        expect((await call(`${custom.url}/login`, { login: ana.cpf, senha: ana.senha }, headers)).status).toBe(401);

        const noGrupo = await call(`${lenient.url}/login`, { login: ana.cpf, senha: ana.senha });
        expect(noGrupo.status).toBe(200);
      } finally {
        await custom.close();
        await lenient.close();
      }
    });
  });

  describe('family visibility (docs/PLATAFORMA.md §2.1.1)', () => {
    const visible = async (who: SeedPerson) => ((await login(sim, who)).json().beneficiarios ?? []).map((b: { chaveUnica: string }) => b.chaveUnica).sort();

    it('titular sees the whole family, the spouse the dependents but not the agregada, others only themselves', async () => {
      expect(await visible(ana)).toEqual([ana.cpf, carlos.cpf, lucas.cpf, rosa.cpf].sort());
      expect(await visible(carlos)).toEqual([carlos.cpf, lucas.cpf].sort());
      expect(await visible(lucas)).toEqual([lucas.cpf]);
      expect(await visible(rosa)).toEqual([rosa.cpf]);
    });

    it('a professional who is also a beneficiary gets both profiles; a professional only, no beneficiarios', async () => {
      const both = (await login(sim, helena)).json();
      expect(both.contratos.map((c: { tipo: string }) => c.tipo)).toEqual(['beneficiario', 'profissionalSaude']);
      expect(both.beneficiarios.map((b: { chaveUnica: string }) => b.chaveUnica)).toEqual([helena.cpf]);
      expect(both.profissionaisSaude).toHaveLength(1);
      const professional = (await login(sim, marcos)).json();
      expect(professional.contratos.map((c: { tipo: string }) => c.tipo)).toEqual(['profissionalSaude']);
      expect(professional).not.toHaveProperty('beneficiarios');
    });

    it("the titular's contract blocks one funcionalidade with a message and hides another", async () => {
      const permissoes = (await login(sim, ana)).json().contratos[0].permissoes as { acesso: boolean; ocultar: boolean; mensagemBloqueio: string | null }[];
      expect(permissoes.some((p) => !p.acesso && typeof p.mensagemBloqueio === 'string' && p.mensagemBloqueio.trim() !== '')).toBe(true);
      expect(permissoes.some((p) => p.ocultar)).toBe(true);
    });
  });

  describe('passwords', () => {
    it('/trocarSenha needs the user session, checks senhaAtual and changes the password /login accepts', async () => {
      const session = (await login(sim, ana)).json().seguranca.auth[0];
      const carlosSession = (await login(sim, carlos)).json().seguranca.auth[0];
      const url = `${sim.url}/trocarSenha`;
      const body = { chaveUnica: ana.cpf, integracao: { codigoBeneficiario: ana.codigoBeneficiario }, senhaAtual: ana.senha, novaSenha: 'nova-ana-1' };
      const grupo = await grupoHeaders(sim);

      expect((await call(url, body, grupo)).status).toBe(401);
      expect((await call(url, body, { ...grupo, [carlosSession.chave]: carlosSession.token })).status).toBe(401);
      const wrong = await call(url, { ...body, senhaAtual: 'errada' }, { ...grupo, [session.chave]: session.token });
      expect([wrong.status, wrong.json()]).toEqual([400, { mensagem: 'Senha atual incorreta' }]);

      const ok = await call(url, body, { ...grupo, [session.chave]: session.token });
      expect(ok.status).toBe(200);
      expect(violationsOf('trocarSenha', ok)).toEqual([]);
      expect((await login(sim, ana)).status).toBe(401);
      expect((await login(sim, ana, 'nova-ana-1')).status).toBe(200);

      sim.reset();
      expect((await login(sim, ana)).status).toBe(200);
    });

    it('recovery: identification token → /recuperarSenhaNovaSenha sets the password, once, for that chaveUnica only', async () => {
      const grupo = await grupoHeaders(sim);
      const identified = (await call(`${sim.url}/recuperarSenhaIdentificacao`, { cpf: lucas.cpf, dataNascimento: lucas.dataNascimento }, grupo)).json();
      const pair = identified.seguranca.auth[0];
      const url = `${sim.url}/recuperarSenhaNovaSenha`;
      const body = { chaveUnica: identified.chaveUnica, integracao: identified.integracao, novaSenha: 'lucas-nova' };

      expect((await call(url, body, grupo)).status).toBe(401);
      expect((await call(url, { ...body, chaveUnica: ana.cpf }, { ...grupo, [pair.chave]: pair.token })).status).toBe(401);
      const ok = await call(url, body, { ...grupo, [pair.chave]: pair.token });
      expect([ok.status, ok.json()]).toEqual([200, { mensagem: 'Senha alterada com sucesso' }]);
      expect(violationsOf('recuperarSenhaNovaSenha', ok)).toEqual([]);
      expect((await call(url, { ...body, novaSenha: 'outra' }, { ...grupo, [pair.chave]: pair.token })).status).toBe(401);

      expect((await login(sim, lucas)).status).toBe(401);
      expect((await login(sim, lucas, 'lucas-nova')).status).toBe(200);
    });
  });

  describe('faults', () => {
    const fault = (mode: string) => ({ 'x-sim-fault': mode });
    /** A correct request for each method, so only the fault can make the answer wrong. */
    async function normalRequest(method: OperatorMethod): Promise<{ url: string; body: unknown; headers: Record<string, string> }> {
      const grupo = await grupoHeaders(sim);
      const url = `${sim.url}/op/${method}`;
      switch (method) {
        case 'autorizacao':
          return { url, body: { usuario: 'demo', senha: 'demo' }, headers: {} };
        case 'login':
          return { url, body: { login: ana.cpf, senha: ana.senha }, headers: grupo };
        case 'recuperarSenhaIdentificacao':
          return { url, body: { cpf: ana.cpf, dataNascimento: ana.dataNascimento }, headers: grupo };
        case 'recuperarSenhaNovaSenha': {
          const pair = (await call(`${sim.url}/recuperarSenhaIdentificacao`, { cpf: ana.cpf, dataNascimento: ana.dataNascimento }, grupo)).json().seguranca.auth[0];
          return { url, body: { chaveUnica: ana.cpf, integracao: {}, novaSenha: ana.senha }, headers: { ...grupo, [pair.chave]: pair.token } };
        }
        case 'trocarSenha': {
          const pair = (await login(sim, ana)).json().seguranca.auth[0];
          return { url, body: { chaveUnica: ana.cpf, integracao: {}, senhaAtual: ana.senha, novaSenha: ana.senha }, headers: { ...grupo, [pair.chave]: pair.token } };
        }
        case 'elegibilidade':
          return { url, body: { chaveUnica: ana.cpf, integracao: {} }, headers: grupo };
      }
    }
    async function faulty(method: OperatorMethod, mode: string, extra: { headersTimeout?: number } = {}) {
      const { url, body, headers } = await normalRequest(method);
      return call(url, body, { ...headers, ...fault(mode) }, extra);
    }

    // The first M leaf of each contract, reached through M fields: what the broken-contract modes hit.
    const firstMandatory: Partial<Record<OperatorMethod, string>> = {
      autorizacao: 'auth[0].token',
      login: 'usuarioLogado.login',
      recuperarSenhaIdentificacao: 'chaveUnica',
      elegibilidade: 'usuarioLogado.login',
    };
    const expectedKind = { 'missing-mandatory': 'ausente', 'null-mandatory': 'nulo', 'blank-mandatory': 'vazio', 'wrong-types': 'tipo' } as const;

    for (const [method, caminho] of Object.entries(firstMandatory) as [OperatorMethod, string][]) {
      for (const [mode, tipo] of Object.entries(expectedKind)) {
        it(`${mode} on /${method} breaks ${caminho} (${tipo})`, async () => {
          const reply = await faulty(method, mode);
          expect(reply.status).toBe(200);
          expect(kinds(method, reply)).toEqual([{ caminho, tipo }]);
          expect(reply.headers['x-sim-fault-path']).toBe(caminho);
        });
      }
    }

    it('on message-only answers (no M field below the body) the broken-contract modes break the body itself', async () => {
      const expected = { 'null-mandatory': 'nulo', 'blank-mandatory': 'tipo', 'wrong-types': 'tipo' } as const;
      for (const method of ['recuperarSenhaNovaSenha', 'trocarSenha'] as const) {
        for (const [mode, tipo] of Object.entries(expected)) {
          const reply = await faulty(method, mode);
          expect(reply.status, `${method} ${mode}`).toBe(200);
          expect(kinds(method, reply), `${method} ${mode}`).toEqual([{ caminho: '$', tipo }]);
        }
        // Nothing there is mandatory, so "everything missing" is an empty 2xx, which the contract accepts.
        const empty = await faulty(method, 'missing-mandatory');
        expect([empty.status, empty.text]).toEqual([200, '']);
        expect(violationsOf(method, empty)).toEqual([]);
      }
    });

    it('broken-contract modes on a failure answer break its {mensagem}', async () => {
      const reply = await login(sim, ana, 'errada', fault('missing-mandatory'));
      expect(reply.status).toBe(401);
      expect(kinds('login', reply)).toEqual([{ caminho: 'mensagem', tipo: 'ausente' }]);
    });

    it('status-500 and status-503 answer the failure shape; 503 with Retry-After', async () => {
      const five = await faulty('login', 'status-500');
      expect(five.status).toBe(500);
      expect(violationsOf('login', five)).toEqual([]);
      const unavailable = await faulty('autorizacao', 'status-503');
      expect([unavailable.status, unavailable.headers['retry-after']]).toEqual([503, '1']);
      expect(typeof unavailable.json().mensagem).toBe('string');
    });

    it('invalid-json answers a truncated body labelled as JSON', async () => {
      for (const method of ['autorizacao', 'login'] as const) {
        const reply = await faulty(method, 'invalid-json');
        expect(reply.status).toBe(200);
        expect(reply.headers['content-type']).toMatch(/^application\/json/);
        expect(kinds(method, reply)).toEqual([{ caminho: '$', tipo: 'json_invalido' }]);
      }
    });

    it('authorization-chave adds an Authorization pair to /autorizacao only', async () => {
      const reply = await faulty('autorizacao', 'authorization-chave');
      expect(reply.json().auth.at(-1).chave).toBe('Authorization');
      expect(kinds('autorizacao', reply)).toEqual([{ caminho: 'auth[2].chave', tipo: 'formato' }]);
      expect(violationsOf('login', await faulty('login', 'authorization-chave'))).toEqual([]);
    });

    it('huge-body pads a valid answer to exactly the asked size (5 MiB by default)', async () => {
      const sized = await faulty('login', 'huge-body:200000');
      expect(Buffer.byteLength(sized.text)).toBe(200_000);
      expect(violationsOf('login', sized)).toEqual([]);
      const byDefault = await faulty('autorizacao', 'huge-body');
      expect(Buffer.byteLength(byDefault.text)).toBe(DEFAULT_HUGE_BODY_BYTES);
      expect(violationsOf('autorizacao', byDefault)).toEqual([]);
    });

    it('connection-reset drops the connection without an answer', async () => {
      await expect(faulty('login', 'connection-reset')).rejects.toThrow();
      expect((await login(sim, ana)).status).toBe(200);
    });

    it('redirect answers 302 with Location (and undici does not follow it)', async () => {
      const reply = await faulty('login', 'redirect:http://169.254.169.254/latest/meta-data');
      expect([reply.status, reply.headers.location]).toEqual([302, 'http://169.254.169.254/latest/meta-data']);
    });

    it('hang never answers and latency delays before answering normally', async () => {
      await expect(faulty('login', 'hang', { headersTimeout: 300 })).rejects.toMatchObject({ code: 'UND_ERR_HEADERS_TIMEOUT' });
      await expect(faulty('login', 'latency:60000', { headersTimeout: 300 })).rejects.toMatchObject({ code: 'UND_ERR_HEADERS_TIMEOUT' });
      const delayed = await faulty('login', 'latency:20');
      expect([delayed.status, delayed.headers['x-sim-fault-applied']]).toEqual([200, 'latency']);
      expect(violationsOf('login', delayed)).toEqual([]);
    });

    it('close() ends hung requests too', async () => {
      const other = await createOperatorSimulator({ fault: 'hang' });
      const pending = call(`${other.url}/autorizacao`, { usuario: 'demo', senha: 'demo' });
      // Wait until the simulator has the request, then close under it.
      while (other.calls().autorizacao.count === 0) await new Promise((resolve) => setTimeout(resolve, 5));
      await other.close();
      await expect(pending).rejects.toThrow();
    });

    it('a run-wide fault applies to every method, or only to the chosen ones; the header overrides it', async () => {
      sim.setFault('status-503');
      expect((await call(`${sim.url}/autorizacao`, { usuario: 'demo', senha: 'demo' })).status).toBe(503);
      expect((await call(`${sim.url}/login`, {}, fault('status-500'))).status).toBe(500);
      sim.setFault('status-500', { methods: ['login'] });
      const grupo = await grupoHeaders(sim);
      expect((await call(`${sim.url}/login`, { login: ana.cpf, senha: ana.senha }, grupo)).status).toBe(500);
      sim.setFault(null);
      expect((await call(`${sim.url}/login`, { login: ana.cpf, senha: ana.senha }, grupo)).status).toBe(200);

      const viaHttp = await call(`${sim.url}/__simulador/falha`, { modo: 'status-500', metodos: ['autorizacao'] });
      expect(viaHttp.status).toBe(200);
      expect((await call(`${sim.url}/autorizacao`, { usuario: 'demo', senha: 'demo' })).status).toBe(500);
      expect((await call(`${sim.url}/__simulador/falha`, { modo: 'nada-disso' })).status).toBe(400);
      expect((await call(`${sim.url}/__simulador/falha`, { modo: null })).status).toBe(200);
      expect((await call(`${sim.url}/autorizacao`, { usuario: 'demo', senha: 'demo' })).status).toBe(200);
    });

    it('the start fault comes back on reset; unknown modes are refused', async () => {
      await expect(createOperatorSimulator({ fault: 'slow' })).rejects.toBeInstanceOf(FaultParseError);
      await expect(createOperatorSimulator({ fault: 'latency:abc' })).rejects.toBeInstanceOf(FaultParseError);
      const other = await createOperatorSimulator({ fault: 'status-500' });
      try {
        other.setFault(null);
        expect((await call(`${other.url}/autorizacao`, { usuario: 'demo', senha: 'demo' })).status).toBe(200);
        other.reset();
        expect((await call(`${other.url}/autorizacao`, { usuario: 'demo', senha: 'demo' })).status).toBe(500);
      } finally {
        await other.close();
      }
      const unknown = await call(`${sim.url}/autorizacao`, { usuario: 'demo', senha: 'demo' }, fault('explode'));
      expect(unknown.status).toBe(400);
    });
  });

  describe('counters', () => {
    it('count calls per method and keep the last headers and body; HTTP view and reset agree', async () => {
      await grupoHeaders(sim);
      await login(sim, ana, ana.senha, { 'x-static': 'valor' });
      await login(sim, carlos, 'errada');
      const calls = sim.calls();
      expect(calls.autorizacao.count).toBe(3); // one above, one inside each login()
      expect(calls.login.count).toBe(2);
      expect(calls.trocarSenha).toEqual({ count: 0, lastHeaders: null, lastBody: null });
      expect(calls.login.lastBody).toEqual({ login: carlos.cpf, senha: 'errada' });
      expect(calls.login.lastHeaders?.['x-static']).toBeUndefined();
      expect(calls.login.lastHeaders?.['x-operadora-cliente']).toBe('ponte-demo');

      await login(sim, ana, ana.senha, { 'x-static': 'valor' });
      expect(sim.calls().login.lastHeaders?.['x-static']).toBe('valor');

      const overHttp = await call(`${sim.url}/__simulador/chamadas`, undefined, {}, { method: 'GET' });
      expect(overHttp.json()).toEqual(JSON.parse(JSON.stringify(sim.calls())));
      expect((await call(`${sim.url}/__simulador/reset`, {})).status).toBe(200);
      expect(Object.values(sim.calls()).map((c) => c.count)).toEqual([0, 0, 0, 0, 0, 0]);
    });
  });
});

describe('ponte operator-sim (CLI)', () => {
  const cli = (args: string[]) => spawn(process.execPath, [ponteBin, ...args], { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'pipe'] });
  const finished = async (child: ReturnType<typeof cli>) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    return { code, out };
  };

  it('prints its URL as JSON, serves the methods and stops on SIGTERM', async () => {
    const child = cli(['operator-sim', '--port', '0', '--json']);
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
    const firstLine = (await lines.next()).value as string;
    const started = JSON.parse(firstLine) as { url: string; port: number };
    expect(started.port).toBeGreaterThan(0);
    const reply = await call(`${started.url}/autorizacao`, { usuario: 'demo', senha: 'demo' });
    expect(violationsOf('autorizacao', reply)).toEqual([]);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 60_000);

  it('--list-users prints the seeded users with working credentials, and --help lists every fault mode', async () => {
    const listed = await finished(cli(['operator-sim', '--list-users', '--json']));
    expect(listed.code).toBe(0);
    const users = JSON.parse(listed.out) as { login: string; senha: string; dataNascimento: string; nome: string; contatos: { email: string } }[];
    expect(users.map((u) => u.login)).toEqual(seedPeople.map((p) => p.cpf));
    const sim = await createOperatorSimulator({ requireGrupo: false });
    try {
      for (const user of users) {
        expect(isValidCpf(user.login)).toBe(true);
        const reply = await call(`${sim.url}/login`, { login: user.login, senha: user.senha });
        expect(reply.status, user.nome).toBe(200);
        expect(validateValue(contracts.login.response, reply.json())).toEqual([]);
      }
    } finally {
      await sim.close();
    }

    const help = await finished(cli(['operator-sim', '--help']));
    for (const mode of faultModes) expect(help.out).toContain(mode.syntax);
  }, 60_000);
});
