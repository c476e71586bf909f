import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCliente, loginAs } from '../../../test/support/fixtures.ts';
import { createTestApp, type TestApp } from '../../../test/support/test-app.ts';
import { seedPeople } from '../../simulator/seed-data.ts';
import { createOperatorSimulator, type OperatorSimulator } from '../../simulator/simulator.ts';
import type { IntegrationMethod } from '../integracoes/integracoes.repo.ts';
import type { OutboundOutcome, SegurancaPair } from '../outbound/outbound.service.ts';
import { CPF_MASK, MASK } from '../../platform/redaction.ts';

/**
 * The central de logs end to end: real operator calls (through `services.outbound`, against the
 * simulator) land in the painel's log API with the right operação, status, resultado and
 * correlation id — and none of the personal data or credentials that went over the wire.
 */

const [ana, carlos] = seedPeople as [(typeof seedPeople)[0], (typeof seedPeople)[0]];
const formatCpf = (cpf: string) => cpf.replace(/^(\d{3})(\d{3})(\d{3})(\d{2})$/, '$1.$2.$3-$4');
const SEGREDO = 'segredo-do-header-0b9d4c';
const SENHA_ERRADA = 'senha-errada-123';
const NOVA_SENHA = 'nova-senha-ana-987';
const POLL_LIMIT_MS = 5_000;

type Summary = { id: string; correlationId: string | null; operacao: string; status: number | null; statusText: string | null; resultado: string; chaveUsuario: string | null; url: string; quantidadeViolacoes: number };

/** Every string under a `token` key, at any depth: the secrets the operator handed out. */
function tokensIn(value: unknown, found: string[] = []): string[] {
  if (Array.isArray(value)) for (const item of value) tokensIn(item, found);
  else if (value && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      if (key === 'token' && typeof child === 'string') found.push(child);
      else tokensIn(child, found);
    }
  }
  return found;
}

describe('central de logs end to end', () => {
  let t: TestApp;
  let sim: OperatorSimulator;
  let clienteId: string;
  let leitorCookie: string;
  const outcomes: Record<string, OutboundOutcome> = {};
  let summaries: Summary[] = [];
  let startedAt = 0;
  /** Every grupo JWT the operator saw (the 401 below renews the grupo, so there are two). */
  const grupoJwts = new Set<string>();
  const seenJwt = () => grupoJwts.add(String(sim.calls().login.lastHeaders?.['x-operadora-token']));

  const call = async (correlationId: string, method: IntegrationMethod, body: unknown, extra: { chaveUsuario?: string; seguranca?: SegurancaPair[] } = {}) => {
    const outcome = await t.services.outbound.call({ clienteId, instancia: 1, method, body, correlationId, ...extra });
    outcomes[correlationId] = outcome;
    return outcome;
  };
  const get = (url: string) => t.app.inject({ method: 'GET', url, headers: { cookie: leitorCookie } });
  const logs = (query = '') => get(`/painel/api/clientes/${clienteId}/logs?instancia=1&porPagina=100${query}`);
  const tagsOf = async (query: string) => {
    const response = await logs(query);
    expect(response.statusCode, response.body).toBe(200);
    return (response.json().itens as Summary[]).map((i) => i.correlationId).sort();
  };

  beforeAll(async () => {
    t = await createTestApp();
    startedAt = Date.now();
    sim = await createOperatorSimulator({ port: 0 });
    clienteId = (await createCliente(t)).id;
    const admin = await loginAs(t, { clienteId, role: 'admin' });
    leitorCookie = (await loginAs(t, { clienteId, role: 'leitor' })).cookieHeader;
    const grupo = await t.app.inject({
      method: 'POST',
      url: `/painel/api/clientes/${clienteId}/instancias/1/grupos`,
      headers: admin.headers,
      payload: { nome: 'Grupo', url: `${sim.url}/autorizacao`, usuario: 'demo', senha: 'demo' },
    });
    expect(grupo.statusCode, grupo.body).toBe(201);
    const saved = await t.app.inject({
      method: 'PUT',
      url: `/painel/api/clientes/${clienteId}/instancias/1/integracao`,
      headers: admin.headers,
      payload: {
        baseUrl: `${sim.url}/api`,
        grupoId: grupo.json().id,
        metodos: {},
        headers: [
          { nome: 'X-Ambiente', valor: 'sandbox' },
          { nome: 'X-Chave-Api', valor: SEGREDO, secreto: true },
        ],
      },
    });
    expect(saved.statusCode, saved.body).toBe(200);

    const login = await call('corr-login-ok', 'login', { login: ana.cpf, senha: ana.senha }, { chaveUsuario: ana.cpf });
    expect(login.kind).toBe('sucesso');
    seenJwt();
    const wrong = await call('corr-login-401', 'login', { login: formatCpf(ana.cpf), senha: SENHA_ERRADA }, { chaveUsuario: formatCpf(ana.cpf) });
    expect(wrong).toMatchObject({ kind: 'recusado_pela_operadora', status: 401, mensagem: 'Login ou senha inválidos' });
    seenJwt();
    sim.setFault('missing-mandatory', { methods: ['login'] });
    const broken = await call('corr-contrato', 'login', { login: carlos.cpf, senha: carlos.senha }, { chaveUsuario: carlos.cpf });
    sim.setFault(null);
    expect(broken).toMatchObject({ kind: 'violacao_contrato', status: 200 });

    const identified = await call('corr-identificacao', 'recuperarSenhaIdentificacao', { cpf: ana.cpf, dataNascimento: ana.dataNascimento }, { chaveUsuario: ana.cpf });
    expect(identified.kind).toBe('sucesso');
    const identification = (identified as { value: { contatos: { contato: string }[]; seguranca: { auth: SegurancaPair[] } } }).value;
    // Ponte itself gets the contacts in clear and the recovery token; the log must not keep them.
    expect(identification.contatos.map((c) => c.contato)).toEqual([ana.email, ana.emailSecundario, ana.celular]);
    expect(identification.seguranca.auth.map((p) => p.chave)).toEqual(['x-recuperacao-token']);

    const profile = (login as { value: { usuarioLogado: { integracao: unknown }; seguranca: { auth: SegurancaPair[] } } }).value;
    const changed = await call(
      'corr-trocar',
      'trocarSenha',
      { chaveUnica: ana.cpf, integracao: profile.usuarioLogado.integracao, senhaAtual: ana.senha, novaSenha: NOVA_SENHA },
      { chaveUsuario: ana.cpf, seguranca: profile.seguranca.auth },
    );
    expect(changed).toMatchObject({ kind: 'sucesso', status: 200 });
    // The login's seguranca pair reached the operator on the user's next call.
    expect(sim.calls().trocarSenha.lastHeaders?.['x-sessao-operadora']).toBe(profile.seguranca.auth[0]!.token);
    grupoJwts.add(String(sim.calls().trocarSenha.lastHeaders?.['x-operadora-token']));

    // The writer flushes in the background (every 250 ms): poll the painel API, bounded.
    const expected = Object.keys(outcomes);
    const deadline = Date.now() + POLL_LIMIT_MS;
    for (;;) {
      summaries = (await logs()).json().itens;
      if (expected.every((tag) => summaries.some((s) => s.correlationId === tag))) break;
      if (Date.now() > deadline) throw new Error(`log entries did not appear within ${POLL_LIMIT_MS} ms`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  });
  afterAll(async () => {
    await sim?.close();
    await t?.close();
  });

  const summaryOf = (tag: string) => summaries.find((s) => s.correlationId === tag)!;

  it('lists every call with its operação, status, resultado, masked user key and correlation id', () => {
    // Everything but the id and the two numbers that depend on when and how fast it ran.
    const shape = (tag: string) => {
      const { id: _id, criadoEm: _criadoEm, latenciaMs: _latenciaMs, ...stable } = summaryOf(tag) as Summary & { criadoEm: number; latenciaMs: number };
      return stable;
    };
    const base = { chaveUsuario: '100***', quantidadeViolacoes: 0, direcao: 'saida', motivo: null, motivoTexto: null, tokenId: null };
    for (const s of summaries as (Summary & { criadoEm: number; latenciaMs: number })[]) {
      expect(s.criadoEm).toBeGreaterThanOrEqual(startedAt);
      expect(s.criadoEm).toBeLessThanOrEqual(Date.now());
      expect(s.latenciaMs).toBeGreaterThanOrEqual(0);
    }
    expect(shape('corr-login-ok')).toEqual({ ...base, correlationId: 'corr-login-ok', operacao: 'login', url: `${sim.url}/api/login`, status: 200, statusText: 'OK', resultado: 'sucesso' });
    expect(shape('corr-login-401')).toEqual({
      ...base,
      correlationId: 'corr-login-401',
      operacao: 'login',
      url: `${sim.url}/api/login`,
      status: 401,
      statusText: 'Unauthorized',
      resultado: 'recusado_pela_operadora',
    });
    expect(shape('corr-contrato')).toMatchObject({ correlationId: 'corr-contrato', operacao: 'login', status: 200, resultado: 'violacao_contrato', chaveUsuario: '100***' });
    expect(shape('corr-contrato').quantidadeViolacoes).toBeGreaterThan(0);
    expect(shape('corr-identificacao')).toEqual({
      ...base,
      correlationId: 'corr-identificacao',
      operacao: 'recuperarSenhaIdentificacao',
      url: `${sim.url}/api/recuperarSenhaIdentificacao`,
      status: 200,
      statusText: 'OK',
      resultado: 'sucesso',
    });
    expect(shape('corr-trocar')).toEqual({ ...base, correlationId: 'corr-trocar', operacao: 'trocarSenha', url: `${sim.url}/api/trocarSenha`, status: 200, statusText: 'OK', resultado: 'sucesso' });
    // docs/ESPECIFICACAO.md §7: on an operator 401 the grupo is renewed once and the call retried once — the
    // simulator answers a wrong password with 401 too, so that login went out twice, both logged
    // under the same correlation id.
    expect(summaries.filter((s) => s.correlationId === 'corr-login-401').map((s) => s.status)).toEqual([401, 401]);
    // The grupo's live check at creation and that renewal are operator calls too.
    expect(summaries.filter((s) => s.operacao === 'autorizacao').map((s) => ({ status: s.status, resultado: s.resultado, correlationId: s.correlationId }))).toEqual([
      { status: 200, resultado: 'sucesso', correlationId: null },
      { status: 200, resultado: 'sucesso', correlationId: null },
    ]);
  });

  it('shows each call in full with header names kept and every value masked', async () => {
    const detail = async (tag: string) => {
      const response = await get(`/painel/api/clientes/${clienteId}/logs/${summaryOf(tag).id}`);
      expect(response.statusCode).toBe(200);
      return response.json();
    };
    const trocar = await detail('corr-trocar');
    expect(trocar.requisicao.headers).toEqual({ 'X-Ambiente': MASK, 'X-Chave-Api': MASK, 'x-operadora-token': MASK, 'x-operadora-cliente': MASK, 'x-sessao-operadora': MASK });
    // The CPF and the operator's identification keep only their shape.
    expect(JSON.parse(trocar.requisicao.corpo)).toEqual({ chaveUnica: '***********', integracao: { codigoBeneficiario: '*******-**' }, senhaAtual: MASK, novaSenha: MASK });
    expect(trocar.correlationId).toBe('corr-trocar');

    const wrong = await detail('corr-login-401');
    expect(JSON.parse(wrong.requisicao.corpo)).toEqual({ login: CPF_MASK, senha: MASK });
    expect(wrong.resposta).toEqual({ status: 401, statusText: 'Unauthorized', corpo: JSON.stringify({ mensagem: 'Login ou senha inválidos' }) });

    const broken = await detail('corr-contrato');
    expect(broken.violacoes).toContainEqual(expect.objectContaining({ caminho: 'usuarioLogado.login', tipo: 'ausente', criterio: 'M' }));

    const identification = await detail('corr-identificacao');
    const body = JSON.parse(identification.resposta.corpo);
    expect(body.contatos.map((c: { contato: string; tipo: number }) => ({ contato: c.contato, tipo: c.tipo }))).toEqual([
      { contato: expect.not.stringContaining(ana.email), tipo: 1 },
      { contato: expect.not.stringContaining(ana.emailSecundario), tipo: 1 },
      { contato: expect.not.stringContaining(ana.celular), tipo: 2 },
    ]);
    expect(body.seguranca.auth[0]).toMatchObject({ chave: 'x-recuperacao-token', token: MASK });
  });

  it('no CPF, senha, birth date, token, e-mail, phone, name or matrícula appears in the list or in any entry', async () => {
    const tokens = Object.values(outcomes).flatMap((o) => {
      const text = o.exchange?.response?.bodyText;
      try {
        return text ? tokensIn(JSON.parse(text)) : [];
      } catch {
        return [];
      }
    });
    // Tokens from the login (sessão, also in the violating answer) and the identification (recuperação).
    expect(tokens.length).toBeGreaterThanOrEqual(3);
    expect([...grupoJwts].map((jwt) => /^eyJ/.test(jwt))).toEqual([true, true]);
    const forbidden = [
      ...seedPeople.flatMap((p) => [
        p.cpf,
        formatCpf(p.cpf),
        p.senha,
        p.dataNascimento,
        p.email,
        p.emailSecundario,
        p.celular,
        // Names (also as printed on the card), matrícula and card number (simulator/responses.ts): family members included.
        p.nome,
        p.nome.toUpperCase(),
        p.codigoBeneficiario,
        `0999${p.codigoBeneficiario.replace(/\D/g, '')}`,
      ]),
      SENHA_ERRADA,
      NOVA_SENHA,
      SEGREDO,
      ...grupoJwts,
      ...tokens,
    ];
    const everything = await logs();
    const bodies = [everything.body];
    for (const entry of everything.json().itens as Summary[]) bodies.push((await get(`/painel/api/clientes/${clienteId}/logs/${entry.id}`)).body);
    expect(bodies.length).toBe(1 + 8);
    for (const body of bodies) {
      const leaked = forbidden.filter((secret) => body.includes(secret));
      expect(leaked).toEqual([]);
    }
  });

  it('filters by operação, status, resultado and user key (the CPF, formatted or not)', async () => {
    expect(await tagsOf('&operacao=login')).toEqual(['corr-contrato', 'corr-login-401', 'corr-login-401', 'corr-login-ok']);
    expect(await tagsOf('&status=401')).toEqual(['corr-login-401', 'corr-login-401']);
    expect(await tagsOf('&resultado=violacao_contrato')).toEqual(['corr-contrato']);
    expect(await tagsOf('&resultado=sucesso&operacao=recuperarSenhaIdentificacao')).toEqual(['corr-identificacao']);
    const anaCalls = ['corr-identificacao', 'corr-login-401', 'corr-login-401', 'corr-login-ok', 'corr-trocar'];
    expect(await tagsOf(`&chaveUsuario=${ana.cpf}`)).toEqual(anaCalls);
    expect(await tagsOf(`&chaveUsuario=${encodeURIComponent(formatCpf(ana.cpf))}`)).toEqual(anaCalls);
    expect(await tagsOf(`&chaveUsuario=${carlos.cpf}&operacao=login`)).toEqual(['corr-contrato']);
    expect(await tagsOf(`&chaveUsuario=${ana.cpf}&operacao=trocarSenha&status=200`)).toEqual(['corr-trocar']);
    expect(await tagsOf('&status=500')).toEqual([]);
  });
});
