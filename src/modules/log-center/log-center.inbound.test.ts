import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCliente, createClientToken, loginAs } from '../../../test/support/fixtures.ts';
import { createTestApp, type TestApp } from '../../../test/support/test-app.ts';

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
