import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCliente, loginAs } from '../../../test/support/fixtures.ts';
import { createTestApp, type TestApp } from '../../../test/support/test-app.ts';
import { seedPeople } from '../../simulator/seed-data.ts';
import { createOperatorSimulator, GRUPO_CLIENTE, GRUPO_CLIENTE_HEADER, GRUPO_TOKEN_HEADER, type OperatorSimulator } from '../../simulator/simulator.ts';

/**
 * The painel's validador de integração through the real app, against the operator simulator over
 * real HTTP: the instância's configured URL, static and grupo headers, the contract check, and the
 * run recorded in the central de logs under the painel request's id.
 */

const ana = seedPeople[0]!;
const STATIC_SECRET = 'chave-estatica-secreta-7f3a';
const STATIC_PLAIN = 'canal-painel-visivel';
const GRUPO_SENHA = 'demo';

type Report = {
  metodo: string;
  aprovado: boolean;
  resultado: string;
  mensagem: string | null;
  mascarado: boolean;
  requisicao: { url: string | null; headers: string[]; corpo: Record<string, unknown> };
  resposta: { status: number; statusText: string; corpo: string } | null;
  latenciaMs: number | null;
  violacoes: { caminho: string; tipo: string; criterio: string; esperado: string; recebido: string; mensagem: string }[];
};

function expectError(response: LightMyRequestResponse, status: number, code: string) {
  expect({ status: response.statusCode, code: response.json().error?.code }, response.body).toEqual({ status, code });
  return response.json().error as { details?: { field?: string; message: string }[] };
}

describe('POST /painel/api/clientes/:clienteId/instancias/:instancia/validador', () => {
  let t: TestApp;
  let sim: OperatorSimulator;
  let clienteId: string;
  let grupoId: string;
  let editor: Awaited<ReturnType<typeof loginAs>>;
  let admin: Awaited<ReturnType<typeof loginAs>>;
  const loginUrl = () => `${sim.url}/mobilesaude/login`;
  const grupoUrl = () => `${sim.url}/mobilesaude/autorizacao`;
  const validadorOf = (cliente: string, instancia = 1) => `/painel/api/clientes/${cliente}/instancias/${instancia}/validador`;

  const run = (payload: unknown, headers: Record<string, string> = editor.headers, cliente = clienteId, instancia = 1) =>
    t.app.inject({ method: 'POST', url: validadorOf(cliente, instancia), headers, payload: payload as object });

  async function report(payload: unknown, headers: Record<string, string> = editor.headers): Promise<{ response: LightMyRequestResponse; report: Report }> {
    const response = await run(payload, headers);
    expect(response.statusCode, response.body).toBe(200);
    return { response, report: response.json() as Report };
  }

  /** Runs `task` with the simulator misbehaving on `method`, and always puts it back. */
  async function withFault<T>(mode: string, method: 'login' | 'autorizacao', task: () => Promise<T>): Promise<T> {
    sim.setFault(mode, { methods: [method] });
    try {
      return await task();
    } finally {
      sim.setFault(null);
    }
  }

  beforeAll(async () => {
    // Grupo headers required, as a real operator would: a passing login proves they were sent.
    sim = await createOperatorSimulator({ port: 0 });
    t = await createTestApp();
    clienteId = (await createCliente(t)).id;
    editor = await loginAs(t, { clienteId, role: 'editor' });
    admin = await loginAs(t, { clienteId, role: 'admin' });

    const grupo = await t.app.inject({
      method: 'POST',
      url: `/painel/api/clientes/${clienteId}/instancias/1/grupos`,
      headers: editor.headers,
      payload: { nome: 'Grupo do simulador', url: grupoUrl(), usuario: 'demo', senha: GRUPO_SENHA },
    });
    expect(grupo.statusCode, grupo.body).toBe(201);
    grupoId = grupo.json().id;

    // Only login has a URL: the other methods stay unconfigured.
    const integracao = await t.app.inject({
      method: 'PUT',
      url: `/painel/api/clientes/${clienteId}/instancias/1/integracao`,
      headers: editor.headers,
      payload: {
        baseUrl: null,
        grupoId,
        metodos: { login: { url: loginUrl() } },
        headers: [
          { nome: 'X-Api-Key', valor: STATIC_SECRET, secreto: true },
          { nome: 'X-Canal', valor: STATIC_PLAIN, secreto: false },
        ],
      },
    });
    expect(integracao.statusCode, integracao.body).toBe(200);
  });
  afterAll(async () => {
    await t?.close();
    await sim?.close();
  });

  it('runs login against the configured URL: approved, request redacted, header names only', async () => {
    const { response, report: r } = await report({ metodo: 'login', entrada: { login: ana.cpf, senha: ana.senha } });
    expect(r).toMatchObject({ metodo: 'login', aprovado: true, resultado: 'sucesso', mascarado: true, violacoes: [] });
    expect(r.requisicao.url).toBe(loginUrl());
    expect([...r.requisicao.headers].sort()).toEqual(['X-Api-Key', 'X-Canal', GRUPO_CLIENTE_HEADER, GRUPO_TOKEN_HEADER].sort());
    expect(r.resposta).toMatchObject({ status: 200, statusText: 'OK' });
    expect(JSON.parse(r.resposta!.corpo).usuarioLogado.chaveUnica).toBe('***********');
    expect(r.latenciaMs).toEqual(expect.any(Number));

    // The operator got the real values…
    const received = sim.calls().login;
    expect(received.lastBody).toEqual({ login: ana.cpf, senha: ana.senha });
    expect(received.lastHeaders).toMatchObject({ 'x-api-key': STATIC_SECRET, 'x-canal': STATIC_PLAIN, [GRUPO_CLIENTE_HEADER]: GRUPO_CLIENTE });
    const grupoToken = received.lastHeaders![GRUPO_TOKEN_HEADER] as string;
    expect(grupoToken).toMatch(/^eyJ/);

    // …the painel sees none of them: no header value anywhere, the senha and the CPF masked.
    for (const secret of [STATIC_SECRET, STATIC_PLAIN, grupoToken, GRUPO_CLIENTE]) expect(response.body).not.toContain(secret);
    expect(Object.keys(r.requisicao.corpo).sort()).toEqual(['login', 'senha']);
    const corpo = JSON.stringify(r.requisicao.corpo);
    expect(corpo).not.toContain(ana.senha);
    expect(corpo).not.toContain(ana.cpf);
  });

  it('an editor sees the answer as the central de logs keeps it: no name, CPF, e-mail, phone, matrícula or token of anyone', async () => {
    const { response, report: r } = await report({ metodo: 'login', entrada: { login: ana.cpf, senha: ana.senha } });
    expect(r.mascarado).toBe(true);
    const family = seedPeople.filter((p) => p.beneficiario?.codFamilia === ana.beneficiario!.codFamilia);
    expect(family.length).toBeGreaterThan(1);
    const forbidden = family.flatMap((p) => [p.cpf, p.nome, p.nome.toUpperCase(), p.email, p.celular, p.dataNascimento, p.codigoBeneficiario]);
    expect(forbidden.filter((value) => response.body.includes(value))).toEqual([]);
    const body = JSON.parse(r.resposta!.corpo);
    // What the operator's developer debugs with stays: structure, contract kinds, permissoes, header names.
    expect(body.usuarioLogado).toMatchObject({ nome: `*** (${ana.nome.length})`, contato: { email: '***@***', telefoneCelular: '***********' }, integracao: { codigoBeneficiario: '*******-**' } });
    expect(body.contratos[0]).toMatchObject({ tipo: 'beneficiario', permissoes: [{ funcionalidade: 'reembolso', acesso: false, ocultar: false }, { funcionalidade: 'telemedicina', acesso: true, ocultar: true }] });
    expect(body.beneficiarios).toHaveLength(family.length);
    expect(body.seguranca.auth[0]).toMatchObject({ chave: 'x-sessao-operadora', token: '***' });
  });

  it('a cliente admin — or a platform admin — sees the answer in clear, senhas still masked', async () => {
    const platformAdmin = await loginAs(t, { platformAdmin: true });
    for (const session of [admin, platformAdmin]) {
      const { report: r } = await report({ metodo: 'login', entrada: { login: ana.cpf, senha: ana.senha } }, session.headers);
      expect(r).toMatchObject({ aprovado: true, mascarado: false });
      const body = JSON.parse(r.resposta!.corpo);
      expect(body.usuarioLogado).toMatchObject({ chaveUnica: ana.cpf, nome: ana.nome, contato: { email: ana.email, telefoneCelular: ana.celular } });
      expect(body.seguranca.auth[0].token).toMatch(/\S{8,}/);
      expect(body.seguranca.auth[0].token).not.toBe('***');
      // The request as typed, but never the senha.
      expect(r.requisicao.corpo).toEqual({ login: ana.cpf, senha: '***' });
    }
  });

  it('records the run in the central de logs under the request id, masked', async () => {
    const { response } = await report({ metodo: 'login', entrada: { login: ana.cpf, senha: ana.senha } });
    const requestId = response.headers['x-request-id'] as string;
    expect(requestId).toMatch(/^req_/);
    const grupoToken = sim.calls().login.lastHeaders![GRUPO_TOKEN_HEADER] as string;

    // The writer is asynchronous (batched): poll the search API, bounded.
    let found: { id: string; correlationId: string; resultado: string; status: number | null } | undefined;
    for (let attempt = 0; attempt < 100 && !found; attempt += 1) {
      const page = await t.app.inject({ method: 'GET', url: `/painel/api/clientes/${clienteId}/logs?instancia=1&operacao=login&porPagina=100`, headers: { cookie: editor.cookieHeader } });
      expect(page.statusCode, page.body).toBe(200);
      found = page.json().itens.find((i: { correlationId: string }) => i.correlationId === requestId);
      if (!found) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(found, `log with correlationId ${requestId}`).toMatchObject({ correlationId: requestId, resultado: 'sucesso', status: 200 });

    const entry = await t.app.inject({ method: 'GET', url: `/painel/api/clientes/${clienteId}/logs/${found!.id}`, headers: { cookie: editor.cookieHeader } });
    expect(entry.statusCode).toBe(200);
    expect(Object.keys(entry.json().requisicao.headers)).toEqual(expect.arrayContaining(['X-Api-Key', GRUPO_TOKEN_HEADER]));
    for (const secret of [STATIC_SECRET, grupoToken, ana.senha]) expect(entry.body).not.toContain(secret);
  });

  it('reports the violations when the operator breaks the contract, and refusals as such', async () => {
    const entrada = { login: ana.cpf, senha: ana.senha };
    const wrongTypes = await withFault('wrong-types', 'login', () => report({ metodo: 'login', entrada }));
    expect(wrongTypes.report).toMatchObject({ aprovado: false, resultado: 'violacao_contrato', resposta: { status: 200 } });
    expect(wrongTypes.report.violacoes.map((v) => ({ caminho: v.caminho, tipo: v.tipo, criterio: v.criterio }))).toEqual([
      { caminho: 'usuarioLogado.login', tipo: 'tipo', criterio: 'M' },
    ]);
    expect(wrongTypes.report.violacoes[0]!.mensagem).toContain('usuarioLogado.login');

    const missing = await withFault('missing-mandatory', 'login', () => report({ metodo: 'login', entrada }));
    expect(missing.report.violacoes.map((v) => [v.caminho, v.tipo])).toEqual([['usuarioLogado.login', 'ausente']]);

    const invalidJson = await withFault('invalid-json', 'login', () => report({ metodo: 'login', entrada }));
    expect(invalidJson.report).toMatchObject({ aprovado: false, resultado: 'violacao_contrato' });
    expect(invalidJson.report.violacoes.map((v) => [v.caminho, v.tipo])).toEqual([['$', 'json_invalido']]);

    const unavailable = await withFault('status-503', 'login', () => report({ metodo: 'login', entrada }));
    expect(unavailable.report).toMatchObject({ aprovado: false, resultado: 'recusado_pela_operadora', resposta: { status: 503 }, violacoes: [] });

    // The operator's own refusal (wrong senha) is not a pass either.
    const refused = await report({ metodo: 'login', entrada: { login: ana.cpf, senha: 'senha-errada' } });
    expect(refused.report).toMatchObject({ aprovado: false, resultado: 'recusado_pela_operadora', resposta: { status: 401 }, violacoes: [] });
  });

  it('autorizacao validates the chosen grupo’s endpoint with its stored credentials', async () => {
    const before = sim.calls().autorizacao.count;
    const { response, report: r } = await report({ metodo: 'autorizacao', grupoId });
    expect(r).toMatchObject({ metodo: 'autorizacao', aprovado: true, resultado: 'sucesso', violacoes: [], resposta: { status: 200 } });
    expect(r.requisicao.url).toBe(grupoUrl());
    // The grupo's usuario is its configuration, shown in the grupos screen; the senha never.
    expect(r.requisicao.corpo).toEqual({ usuario: 'demo', senha: '***' });
    // The grupo's live tokens never reach an editor: the header names do.
    const pairs = JSON.parse(r.resposta!.corpo).auth as { chave: string; token: string }[];
    expect(pairs.length).toBeGreaterThan(0);
    expect(pairs.every((p) => p.token === '***' || p.token === 'eyJ***.***.***')).toBe(true);
    expect(pairs.map((p) => p.chave)).toContain(GRUPO_TOKEN_HEADER);
    expect(response.body).not.toMatch(/eyJ[\w-]+\.[\w-]+\.[\w-]+/);

    const asAdmin = await report({ metodo: 'autorizacao', grupoId }, admin.headers);
    expect(asAdmin.report.requisicao.corpo).toEqual({ usuario: 'demo', senha: '***' });
    expect((JSON.parse(asAdmin.report.resposta!.corpo).auth as { token: string }[]).some((p) => /^eyJ[\w-]+\.[\w-]+\.[\w-]+$/.test(p.token))).toBe(true);
    expect(sim.calls().autorizacao.count).toBe(before + 2);
    expect(sim.calls().autorizacao.lastBody).toEqual({ usuario: 'demo', senha: GRUPO_SENHA });
    expect(response.statusCode).toBe(200);

    const reserved = await withFault('authorization-chave', 'autorizacao', () => report({ metodo: 'autorizacao', grupoId }));
    expect(reserved.report).toMatchObject({ aprovado: false, resultado: 'violacao_contrato' });
    expect(reserved.report.violacoes.map((v) => [v.caminho, v.tipo])).toEqual([['auth[2].chave', 'formato']]);
  });

  it('autorizacao needs a grupoId of this cliente', async () => {
    const before = sim.calls().autorizacao.count;
    const missing = expectError(await run({ metodo: 'autorizacao' }), 400, 'VALIDATION_FAILED');
    expect(missing.details?.map((d) => d.field)).toEqual(['grupoId']);
    expectError(await run({ metodo: 'autorizacao', grupoId: 'grp_inexistente' }), 404, 'NOT_FOUND');

    // Another cliente's grupo is not found either: this cliente's editor cannot reach it by id.
    const other = await createCliente(t, 'Outra operadora');
    const otherAdmin = await loginAs(t, { clienteId: other.id, role: 'admin' });
    const otherGrupo = await t.app.inject({
      method: 'POST',
      url: `/painel/api/clientes/${other.id}/instancias/1/grupos`,
      headers: otherAdmin.headers,
      payload: { nome: 'Grupo alheio', url: grupoUrl(), usuario: 'demo', senha: GRUPO_SENHA },
    });
    expect(otherGrupo.statusCode).toBe(201);
    const afterCreate = sim.calls().autorizacao.count;
    expectError(await run({ metodo: 'autorizacao', grupoId: otherGrupo.json().id }), 404, 'NOT_FOUND');
    expect(sim.calls().autorizacao.count).toBe(afterCreate);
    expect(afterCreate).toBe(before + 1); // only the other grupo's own live check
  });

  it('a method without a URL, or an instância without integração, is reported as not configured', async () => {
    const before = sim.calls();
    for (const [metodo, instancia] of [['trocarSenha', 1], ['recuperarSenhaIdentificacao', 1], ['login', 2]] as const) {
      const response = await run({ metodo, entrada: {} }, editor.headers, clienteId, instancia);
      expect(response.statusCode, `${metodo} on ${instancia}`).toBe(200);
      expect(response.json()).toMatchObject({
        metodo,
        aprovado: false,
        resultado: 'nao_configurado',
        requisicao: { url: null, headers: [] },
        resposta: null,
        latenciaMs: null,
        violacoes: [],
      });
    }
    const after = sim.calls();
    expect([after.trocarSenha.count, after.recuperarSenhaIdentificacao.count, after.login.count]).toEqual([
      before.trocarSenha.count,
      before.recuperarSenhaIdentificacao.count,
      before.login.count,
    ]);
  });

  it('security: leitor 403, another cliente 404, no session 401, no CSRF 403 — and no call made', async () => {
    const before = sim.calls().login.count;
    const payload = { metodo: 'login', entrada: { login: ana.cpf, senha: ana.senha } };

    const leitor = await loginAs(t, { clienteId, role: 'leitor' });
    expectError(await run(payload, leitor.headers), 403, 'FORBIDDEN');

    const stranger = await createCliente(t, 'Operadora alheia');
    const strangerEditor = await loginAs(t, { clienteId: stranger.id, role: 'editor' });
    expectError(await run(payload, strangerEditor.headers), 404, 'NOT_FOUND');

    expectError(await run(payload, {}), 401, 'UNAUTHENTICATED');
    expectError(await run(payload, { cookie: editor.cookieHeader }), 403, 'CSRF_REJECTED');

    expect(sim.calls().login.count).toBe(before);
  });

  it('rejects an entrada over 64 KiB and an unknown metodo with 400, before calling anyone', async () => {
    const before = sim.calls().login.count;
    const big = expectError(await run({ metodo: 'login', entrada: { login: ana.cpf, senha: 'x'.repeat(64 * 1024) } }), 400, 'VALIDATION_FAILED');
    expect(big.details?.map((d) => d.field)).toEqual(['entrada']);
    const unknown = expectError(await run({ metodo: 'logout', entrada: {} }), 400, 'VALIDATION_FAILED');
    expect(unknown.details?.map((d) => d.field)).toEqual(['metodo']);
    expect(sim.calls().login.count).toBe(before);
  });
});
