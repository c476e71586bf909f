import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCliente, loginAs } from '../../../test/support/fixtures.ts';
import { createTestApp, type TestApp } from '../../../test/support/test-app.ts';
import { seedPeople } from '../../simulator/seed-data.ts';
import { createOperatorSimulator, FAULT_HEADER, RECUPERACAO_HEADER, SESSAO_HEADER, type OperatorSimulator } from '../../simulator/simulator.ts';

/**
 * Issue 13: every method passes in the validador against the operator simulator — nova senha and
 * trocar senha by chaining an identificação or a login with test credentials and reusing its
 * seguranca headers, chaveUnica and integracao — and results say what kind of failure they are.
 */

const bruno = seedPeople[1]!;

type Report = {
  metodo: string;
  aprovado: boolean;
  resultado: string;
  classificacao: string;
  expectativa: string;
  mensagem: string | null;
  explicacao: string | null;
  requisicao: { url: string | null; headers: string[]; origemHeaders: Record<string, string>; corpo: Record<string, unknown> };
  resposta: { status: number; corpo: string; location: string | null } | null;
  preparo: Report | null;
};

describe('validador: every method, chained login, classification', () => {
  let t: TestApp;
  let sim: OperatorSimulator;
  let clienteId: string;
  let editor: Awaited<ReturnType<typeof loginAs>>;
  let grupoId: string;

  const run = async (payload: Record<string, unknown>): Promise<Report> => {
    const response = await t.app.inject({ method: 'POST', url: `/painel/api/clientes/${clienteId}/instancias/1/validador`, headers: editor.headers, payload });
    expect(response.statusCode, response.body).toBe(200);
    return response.json() as Report;
  };

  beforeAll(async () => {
    sim = await createOperatorSimulator({ port: 0 });
    t = await createTestApp();
    clienteId = (await createCliente(t)).id;
    editor = await loginAs(t, { clienteId, role: 'editor' });
    const grupo = await t.app.inject({
      method: 'POST',
      url: `/painel/api/clientes/${clienteId}/instancias/1/grupos`,
      headers: editor.headers,
      payload: { nome: 'Grupo do simulador', url: `${sim.url}/api/autorizacao`, usuario: 'demo', senha: 'demo' },
    });
    expect(grupo.statusCode, grupo.body).toBe(201);
    const integracao = await t.app.inject({
      method: 'PUT',
      url: `/painel/api/clientes/${clienteId}/instancias/1/integracao`,
      headers: editor.headers,
      payload: {
        baseUrl: `${sim.url}/api`,
        grupoId: grupo.json().id,
        metodos: {},
        headers: [],
      },
    });
    expect(integracao.statusCode, integracao.body).toBe(200);
    grupoId = grupo.json().id;
  });
  afterAll(async () => {
    await t?.close();
    await sim?.close();
  });

  it('all five methods pass against the simulator: nova senha and trocar senha through a test login', async () => {
    const autorizacao = await run({ metodo: 'autorizacao', grupoId });
    const login = await run({ metodo: 'login', entrada: { login: bruno.cpf, senha: bruno.senha } });
    const identificacao = await run({ metodo: 'recuperarSenhaIdentificacao', entrada: { cpf: bruno.cpf, dataNascimento: bruno.dataNascimento } });
    const novaSenha = await run({
      metodo: 'recuperarSenhaNovaSenha',
      entrada: { novaSenha: bruno.senha },
      loginDeTeste: { entrada: { cpf: bruno.cpf, dataNascimento: bruno.dataNascimento } },
    });
    const trocarSenha = await run({
      metodo: 'trocarSenha',
      entrada: { senhaAtual: bruno.senha, novaSenha: bruno.senha },
      loginDeTeste: { entrada: { login: bruno.cpf, senha: bruno.senha } },
    });
    expect([autorizacao, login, identificacao, novaSenha, trocarSenha].map((r) => [r.metodo, r.aprovado, r.classificacao])).toEqual([
      ['autorizacao', true, 'aprovado'],
      ['login', true, 'aprovado'],
      ['recuperarSenhaIdentificacao', true, 'aprovado'],
      ['recuperarSenhaNovaSenha', true, 'aprovado'],
      ['trocarSenha', true, 'aprovado'],
    ]);

    // The chained step is reported, and its seguranca header went with the method, named as such.
    expect(novaSenha.preparo).toMatchObject({ metodo: 'recuperarSenhaIdentificacao', aprovado: true });
    expect(novaSenha.requisicao.origemHeaders[RECUPERACAO_HEADER]).toBe('login_de_teste');
    expect(trocarSenha.preparo).toMatchObject({ metodo: 'login', aprovado: true });
    expect(trocarSenha.requisicao.origemHeaders[SESSAO_HEADER]).toBe('login_de_teste');
    // chaveUnica and integracao came from the login, as the app sends them.
    expect(Object.keys(trocarSenha.requisicao.corpo).sort()).toEqual(['chaveUnica', 'integracao', 'novaSenha', 'senhaAtual']);
    const sent = sim.calls().trocarSenha;
    expect(sent.lastBody).toMatchObject({ chaveUnica: bruno.cpf, senhaAtual: bruno.senha });
    expect(typeof sent.lastHeaders?.[SESSAO_HEADER]).toBe('string');
  });

  it('without the test login, trocar senha is a conforming refusal whose 401 explains the headers sent', async () => {
    const report = await run({ metodo: 'trocarSenha', entrada: { chaveUnica: bruno.cpf, senhaAtual: bruno.senha, novaSenha: bruno.senha } });
    expect(report).toMatchObject({ aprovado: false, classificacao: 'recusa_conforme_contrato', resposta: { status: 401 }, preparo: null });
    expect(report.explicacao).toContain('401');
    expect(report.explicacao).toContain('x-operadora-token');
    expect(report.explicacao).toContain('Executar com login de teste');
  });

  it('a negative test passes on a refusal that follows the contract, and fails on a success', async () => {
    const refused = await run({ metodo: 'login', entrada: { login: bruno.cpf, senha: 'senha-errada' }, expectativa: 'recusa' });
    expect(refused).toMatchObject({ aprovado: true, expectativa: 'recusa', classificacao: 'recusa_conforme_contrato', resposta: { status: 401 } });
    expect(refused.mensagem).toContain('Login ou senha inválidos');
    const accepted = await run({ metodo: 'login', entrada: { login: bruno.cpf, senha: bruno.senha }, expectativa: 'recusa' });
    expect(accepted).toMatchObject({ aprovado: false, classificacao: 'aprovado' });
  });

  it('tells an operator error (5xx), an unfollowed redirect (with its Location) and unavailability apart; extra headers reach the operator', async () => {
    const login = { login: bruno.cpf, senha: bruno.senha };
    const crash = await run({ metodo: 'login', entrada: login, headersExtras: [{ nome: FAULT_HEADER, valor: 'status-500' }] });
    expect(crash).toMatchObject({ aprovado: false, classificacao: 'erro_operadora', resposta: { status: 500 } });
    expect(crash.requisicao.origemHeaders[FAULT_HEADER]).toBe('extra');
    expect(sim.calls().login.lastHeaders?.[FAULT_HEADER]).toBe('status-500');

    const redirect = await run({ metodo: 'login', entrada: login, headersExtras: [{ nome: FAULT_HEADER, valor: 'redirect:https://outra.example/login' }] });
    expect(redirect).toMatchObject({ classificacao: 'redirecionamento', resposta: { status: 302, location: 'https://outra.example/login' } });
    expect(redirect.mensagem).toContain('Location https://outra.example/login');

    const reset = await run({ metodo: 'login', entrada: login, headersExtras: [{ nome: FAULT_HEADER, valor: 'connection-reset' }] });
    expect(reset).toMatchObject({ aprovado: false, classificacao: 'indisponivel', resposta: null });

    const broken = await run({ metodo: 'login', entrada: login, headersExtras: [{ nome: FAULT_HEADER, valor: 'missing-mandatory' }] });
    expect(broken).toMatchObject({ classificacao: 'violacao_contrato' });
  });

  it('a failed test login stops before the method and says why', async () => {
    const before = sim.calls().trocarSenha.count;
    const report = await run({ metodo: 'trocarSenha', entrada: { senhaAtual: 'x', novaSenha: 'y' }, loginDeTeste: { entrada: { login: bruno.cpf, senha: 'errada' } } });
    expect(report).toMatchObject({ aprovado: false, classificacao: 'recusa_conforme_contrato', preparo: { metodo: 'login', aprovado: false } });
    expect(report.mensagem).toContain('login de teste');
    expect(sim.calls().trocarSenha.count).toBe(before);
  });

  it('refuses hop-by-hop extra headers with the reason, before calling anyone', async () => {
    const before = sim.calls().login.count;
    const response = await t.app.inject({
      method: 'POST',
      url: `/painel/api/clientes/${clienteId}/instancias/1/validador`,
      headers: editor.headers,
      payload: { metodo: 'login', entrada: {}, headersExtras: [{ nome: 'Host', valor: 'x' }, { nome: 'com espaço', valor: 'x' }] },
    });
    expect(response.statusCode).toBe(400);
    expect((response.json().error.details as { field: string }[]).map((d) => d.field)).toEqual(['headersExtras.0.nome', 'headersExtras.1.nome']);
    expect(sim.calls().login.count).toBe(before);
  });
});
