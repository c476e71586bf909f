import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCliente, createClientToken, loginAs } from '../../../test/support/fixtures.ts';
import { createTestApp, type TestApp } from '../../../test/support/test-app.ts';
import { manualClock } from '../../platform/clock.ts';
import { seedPeople } from '../../simulator/seed-data.ts';
import { createOperatorSimulator, type OperatorSimulator } from '../../simulator/simulator.ts';

/**
 * Issue 13: the central de logs shows the calls operators make to Ponte (/clientes), with the
 * reason of every refusal — while the answer to the caller stays exactly the seed's generic one.
 */

type Item = { id: string; direcao: string; operacao: string; url: string; status: number | null; resultado: string; motivo: string | null; motivoTexto: string | null; tokenId: string | null };

describe('central de logs: calls operators make to Ponte', () => {
  let t: TestApp;
  let clienteId: string;
  let leitor: Awaited<ReturnType<typeof loginAs>>;
  let semApi: Awaited<ReturnType<typeof createClientToken>>;
  let comApi: Awaited<ReturnType<typeof createClientToken>>;

  const entradas = async (query = '') => {
    await t.services.logWriter.flush();
    const response = await t.app.inject({ method: 'GET', url: `/painel/api/clientes/${clienteId}/logs?instancia=1&direcao=entrada${query}`, headers: { cookie: leitor.cookieHeader } });
    expect(response.statusCode, response.body).toBe(200);
    return response.json().itens as Item[];
  };

  beforeAll(async () => {
    t = await createTestApp();
    clienteId = (await createCliente(t)).id;
    leitor = await loginAs(t, { clienteId, role: 'leitor' });
    semApi = await createClientToken(t, clienteId, ['seguranca']);
    comApi = await createClientToken(t, clienteId, ['chavePasse']);
  });
  afterAll(async () => {
    await t?.close();
  });

  const dataQuery = '?instanciaApp=1&chavePasse=chave-que-nao-existe&chaveFuncionalidade=00000000-0000-4000-8000-000000000000';

  it('a token without the API: the caller gets the generic 403, the painel the reason', async () => {
    const response = await t.app.inject({ method: 'GET', url: `/clientes/chavePasse/usuario${dataQuery}`, headers: { authorization: semApi.plaintext } });
    expect(response.statusCode).toBe(403);
    const body = response.json();
    expect(Object.keys(body).sort()).toEqual(['critical', 'data', 'message', 'status', 'statusCode', 'timestamp']);
    expect(body).toMatchObject({ status: false, data: [], statusCode: 403 });
    expect(response.body).not.toContain('token_sem_api');

    const [item] = await entradas('&motivo=token_sem_api');
    expect(item).toMatchObject({ direcao: 'entrada', operacao: 'chavePasse/usuario', status: 403, resultado: 'recusado_pela_ponte', motivo: 'token_sem_api', tokenId: semApi.token.id });
    expect(item!.motivoTexto).toContain('não tem a API');
  });

  it('an unknown chave passe is the same 403 for the caller, "chave desconhecida" in the painel; the chave itself is never stored', async () => {
    const response = await t.app.inject({ method: 'GET', url: `/clientes/chavePasse/sistema${dataQuery}`, headers: { authorization: comApi.plaintext, host: 'ponte.operadora.example:8443' } });
    expect(response.statusCode).toBe(403);
    const [item] = await entradas('&motivo=chave_desconhecida');
    // The address as the operator called it, port included.
    expect(item!.url).toBe('http://ponte.operadora.example:8443/clientes/chavePasse/sistema');
    expect(item).toMatchObject({ operacao: 'chavePasse/sistema', motivo: 'chave_desconhecida', tokenId: comApi.token.id });
    const detail = await t.app.inject({ method: 'GET', url: `/painel/api/clientes/${clienteId}/logs/${item!.id}`, headers: { cookie: leitor.cookieHeader } });
    expect(detail.statusCode).toBe(200);
    expect(detail.body).not.toContain('chave-que-nao-existe');
    expect(detail.body).not.toContain(comApi.plaintext);
    expect(JSON.parse(detail.json().requisicao.corpo)).toEqual({ instanciaApp: '1' });
  });

  it('missing parameters are named as the reason', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/clientes/chavePasse/usuario?instanciaApp=1', headers: { authorization: comApi.plaintext } });
    expect(response.statusCode).toBe(400);
    expect((await entradas('&motivo=parametros_ausentes')).length).toBe(1);
  });

  it('temp-authorization is recorded (no instância: listed in both), its token masked; unknown tokens are not attributed', async () => {
    const ok = await t.app.inject({ method: 'POST', url: '/clientes/auth/temp-authorization', headers: { authorization: comApi.plaintext } });
    expect(ok.statusCode).toBe(200);
    const bad = await t.app.inject({ method: 'POST', url: '/clientes/auth/temp-authorization', headers: { authorization: 'ptk_naoexiste' } });
    expect(bad.json()).toEqual({ success: false, message: 'Invalid token.' });

    const items = await entradas('&operacao=auth/temp-authorization');
    expect(items.map((i) => [i.status, i.resultado, i.motivo])).toEqual([[200, 'sucesso', null]]);
    await t.services.logWriter.flush();
    const inProducao = await t.app.inject({ method: 'GET', url: `/painel/api/clientes/${clienteId}/logs?instancia=2&direcao=entrada&operacao=auth/temp-authorization`, headers: { cookie: leitor.cookieHeader } });
    expect(inProducao.json().itens).toHaveLength(1);
    const detail = await t.app.inject({ method: 'GET', url: `/painel/api/clientes/${clienteId}/logs/${items[0]!.id}`, headers: { cookie: leitor.cookieHeader } });
    expect(detail.body).not.toContain(ok.json().data.token);
  });

  it('the outbound list (saida) stays free of them, and CSV exports them with the reason', async () => {
    await t.services.logWriter.flush();
    const saida = await t.app.inject({ method: 'GET', url: `/painel/api/clientes/${clienteId}/logs?instancia=1&direcao=saida`, headers: { cookie: leitor.cookieHeader } });
    expect(saida.json().itens).toEqual([]);

    const csv = await t.app.inject({ method: 'GET', url: `/painel/api/clientes/${clienteId}/logs/exportar?instancia=1&direcao=entrada`, headers: { cookie: leitor.cookieHeader } });
    expect(csv.statusCode, csv.body).toBe(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers['content-disposition']).toMatch(/^attachment; filename="central-de-logs-sandbox-\d{4}-\d{2}-\d{2}\.csv"$/);
    const lines = csv.body.replace(/^\uFEFF/, '').trimEnd().split('\r\n');
    expect(lines[0]).toBe('quando,direcao,instancia,operacao,status,statusText,resultado,motivo,latenciaMs,chaveUsuario,tokenId,violacoes,correlationId,url');
    expect(lines).toHaveLength(1 + 4);
    expect(lines.some((l) => l.includes(',chavePasse/usuario,403,Forbidden,recusado_pela_ponte,token_sem_api,'))).toBe(true);
    expect(csv.headers['x-total']).toBe('4');
  });
});

describe('central de logs: the reason of every refusal of a real chave passe', () => {
  const clock = manualClock(Date.now());
  let t: TestApp;
  let sim: OperatorSimulator;
  let clienteId: string;
  let appId: string;
  let editor: Awaited<ReturnType<typeof loginAs>>;
  let leitor: Awaited<ReturnType<typeof loginAs>>;
  let token: Awaited<ReturnType<typeof createClientToken>>;
  let principal: { id: string; chaveFuncionalidade: string };
  let outra: { id: string; chaveFuncionalidade: string };
  const base = () => `/painel/api/clientes/${clienteId}/instancias/1`;

  const entradas = async (motivo: string, instancia: 1 | 2 = 1, cliente = clienteId, cookie = leitor.cookieHeader) => {
    await t.services.logWriter.flush();
    const response = await t.app.inject({ method: 'GET', url: `/painel/api/clientes/${cliente}/logs?instancia=${instancia}&direcao=entrada&motivo=${motivo}`, headers: { cookie } });
    expect(response.statusCode, response.body).toBe(200);
    return response.json().itens as Item[];
  };

  const createFuncionalidade = async (nome: string) => {
    const response = await t.app.inject({ method: 'POST', url: `${base()}/funcionalidades`, headers: editor.headers, payload: { nome, url: 'https://x.example/f', validadeMinutos: 1 } });
    expect(response.statusCode, response.body).toBe(201);
    return response.json() as { id: string; chaveFuncionalidade: string };
  };

  /** A fresh app session (seed person Ana) opening `chaveFuncionalidade`: its chave passe and session token. */
  const abrir = async (chaveFuncionalidade: string) => {
    const ana = seedPeople[0]!;
    const login = await t.app.inject({ method: 'POST', url: '/app/v1/sessoes', headers: { 'x-app-id': appId }, payload: { campos: { login: ana.cpf, senha: ana.senha } } });
    expect(login.statusCode, login.body).toBe(201);
    const sessionToken = login.json().token as string;
    const opened = await t.app.inject({
      method: 'POST',
      url: `/app/v1/funcionalidades/${chaveFuncionalidade}/abrir`,
      headers: { 'x-app-id': appId, authorization: `Bearer ${sessionToken}` },
      payload: { sistema: { plataforma: 'web', versaoApp: '1' } },
    });
    expect(opened.statusCode, opened.body).toBe(200);
    return { chavePasse: new URL(opened.json().url).searchParams.get('chavePasse')!, sessionToken };
  };

  const dados = (params: { instanciaApp?: string; chavePasse: string; chaveFuncionalidade: string }, headers: Record<string, string> = {}, auth = token.plaintext) =>
    t.app.inject({ method: 'GET', url: `/clientes/chavePasse/usuario?${new URLSearchParams({ instanciaApp: '1', ...params })}`, headers: { authorization: auth, ...headers } });

  /** The generic refusal every mismatch gets, whatever the reason. */
  const expectGeneric403 = (response: Awaited<ReturnType<typeof dados>>, motivo: string) => {
    expect(response.statusCode, response.body).toBe(403);
    expect(response.json()).toMatchObject({ status: false, data: [], statusCode: 403 });
    expect(response.body).not.toContain(motivo);
  };

  beforeAll(async () => {
    t = await createTestApp({ clock });
    sim = await createOperatorSimulator({ port: 0 });
    const cliente = await createCliente(t);
    clienteId = cliente.id;
    appId = cliente.instancias[0]!.appId;
    editor = await loginAs(t, { clienteId, role: 'editor' });
    leitor = await loginAs(t, { clienteId, role: 'leitor' });
    const admin = (await loginAs(t, { clienteId, role: 'admin' })).headers;
    const grupo = await t.app.inject({ method: 'POST', url: `${base()}/grupos`, headers: admin, payload: { nome: 'G', url: `${sim.url}/autorizacao`, usuario: 'demo', senha: 'demo' } });
    expect(grupo.statusCode, grupo.body).toBe(201);
    const integracao = await t.app.inject({ method: 'PUT', url: `${base()}/integracao`, headers: admin, payload: { baseUrl: sim.url, grupoId: grupo.json().id, metodos: {}, headers: [] } });
    expect(integracao.statusCode, integracao.body).toBe(200);
    principal = await createFuncionalidade('Principal');
    outra = await createFuncionalidade('Outra');
    token = await createClientToken(t, clienteId, ['chavePasse']);
  });
  afterAll(async () => {
    await sim?.close();
    await t?.close();
  });

  it('the key answers when everything matches (nothing recorded as a refusal)', async () => {
    const { chavePasse } = await abrir(principal.chaveFuncionalidade);
    const response = await dados({ chavePasse, chaveFuncionalidade: principal.chaveFuncionalidade });
    expect(response.statusCode, response.body).toBe(200);
  });

  it('instanciaApp of the other instância: generic 403, "instancia_diferente" (listed under the instância sent)', async () => {
    const { chavePasse } = await abrir(principal.chaveFuncionalidade);
    expectGeneric403(await dados({ instanciaApp: '2', chavePasse, chaveFuncionalidade: principal.chaveFuncionalidade }), 'instancia_diferente');
    const itens = await entradas('instancia_diferente', 2);
    expect(itens).toHaveLength(1);
    expect(itens[0]).toMatchObject({ direcao: 'entrada', operacao: 'chavePasse/usuario', status: 403, resultado: 'recusado_pela_ponte', motivo: 'instancia_diferente', tokenId: token.token.id });
    expect(itens[0]!.motivoTexto).toContain('instanciaApp');
    expect(await entradas('instancia_diferente', 1)).toEqual([]);
  });

  it('the chaveFuncionalidade of another funcionalidade: generic 403, "funcionalidade_diferente"', async () => {
    const { chavePasse } = await abrir(principal.chaveFuncionalidade);
    expectGeneric403(await dados({ chavePasse, chaveFuncionalidade: outra.chaveFuncionalidade }), 'funcionalidade_diferente');
    const itens = await entradas('funcionalidade_diferente');
    expect(itens).toHaveLength(1);
    expect(itens[0]).toMatchObject({ status: 403, resultado: 'recusado_pela_ponte', motivo: 'funcionalidade_diferente', tokenId: token.token.id });
    expect(itens[0]!.motivoTexto).toContain('chaveFuncionalidade');
  });

  it('a token of another cliente: generic 403, "cliente_diferente" in that cliente\'s painel only', async () => {
    const { chavePasse } = await abrir(principal.chaveFuncionalidade);
    const outroClienteId = (await createCliente(t, 'Outra Operadora')).id;
    const outroToken = await createClientToken(t, outroClienteId, ['chavePasse']);
    const outroLeitor = await loginAs(t, { clienteId: outroClienteId, role: 'leitor' });
    expectGeneric403(await dados({ chavePasse, chaveFuncionalidade: principal.chaveFuncionalidade }, {}, outroToken.plaintext), 'cliente_diferente');
    const itens = await entradas('cliente_diferente', 1, outroClienteId, outroLeitor.cookieHeader);
    expect(itens).toHaveLength(1);
    expect(itens[0]).toMatchObject({ status: 403, resultado: 'recusado_pela_ponte', motivo: 'cliente_diferente', tokenId: outroToken.token.id });
    expect(await entradas('cliente_diferente')).toEqual([]);
  });

  it('after the app session logs out: generic 403, "sessao_encerrada"', async () => {
    const { chavePasse, sessionToken } = await abrir(principal.chaveFuncionalidade);
    expect((await dados({ chavePasse, chaveFuncionalidade: principal.chaveFuncionalidade })).statusCode).toBe(200);
    const logout = await t.app.inject({ method: 'DELETE', url: '/app/v1/sessoes/atual', headers: { 'x-app-id': appId, authorization: `Bearer ${sessionToken}` } });
    expect(logout.statusCode, logout.body).toBe(204);
    expectGeneric403(await dados({ chavePasse, chaveFuncionalidade: principal.chaveFuncionalidade }), 'sessao_encerrada');
    const itens = await entradas('sessao_encerrada');
    expect(itens).toHaveLength(1);
    expect(itens[0]).toMatchObject({ status: 403, resultado: 'recusado_pela_ponte', motivo: 'sessao_encerrada', tokenId: token.token.id });
  });

  it('a funcionalidade set inactive after opening: generic 403, "funcionalidade_inativa"', async () => {
    const inativada = await createFuncionalidade('Inativada');
    const { chavePasse } = await abrir(inativada.chaveFuncionalidade);
    const put = await t.app.inject({ method: 'PUT', url: `${base()}/funcionalidades/${inativada.id}`, headers: editor.headers, payload: { nome: 'Inativada', url: 'https://x.example/f', validadeMinutos: 1, ativa: false } });
    expect(put.statusCode, put.body).toBe(200);
    expectGeneric403(await dados({ chavePasse, chaveFuncionalidade: inativada.chaveFuncionalidade }), 'funcionalidade_inativa');
    const itens = await entradas('funcionalidade_inativa');
    expect(itens).toHaveLength(1);
    expect(itens[0]).toMatchObject({ status: 403, resultado: 'recusado_pela_ponte', motivo: 'funcionalidade_inativa' });
  });

  it('a browser page on an origin not registered: answered 200, but listed as refused with "origem_nao_cadastrada"', async () => {
    const { chavePasse } = await abrir(principal.chaveFuncionalidade);
    const response = await dados({ chavePasse, chaveFuncionalidade: principal.chaveFuncionalidade }, { origin: 'https://nao-cadastrada.example' });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
    const itens = await entradas('origem_nao_cadastrada');
    expect(itens).toHaveLength(1);
    expect(itens[0]).toMatchObject({ status: 200, resultado: 'recusado_pela_ponte', motivo: 'origem_nao_cadastrada', tokenId: token.token.id });
  });

  // Last: moves the app's clock past the key's validity.
  it('past its validity (1 minute here): generic 403, "chave_expirada"', async () => {
    const { chavePasse } = await abrir(principal.chaveFuncionalidade);
    expect((await dados({ chavePasse, chaveFuncionalidade: principal.chaveFuncionalidade })).statusCode).toBe(200);
    clock.advance(60_000);
    expectGeneric403(await dados({ chavePasse, chaveFuncionalidade: principal.chaveFuncionalidade }), 'chave_expirada');
    const itens = await entradas('chave_expirada');
    expect(itens).toHaveLength(1);
    expect(itens[0]).toMatchObject({ status: 403, resultado: 'recusado_pela_ponte', motivo: 'chave_expirada', tokenId: token.token.id });
    expect(itens[0]!.motivoTexto).toContain('expirou');
  });
});
