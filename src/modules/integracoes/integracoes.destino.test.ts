import type { LightMyRequestResponse } from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createCliente, loginAs } from '../../../test/support/fixtures.ts';
import { startRecordingServer } from '../../../test/support/recording-server.ts';
import { createTestApp, type TestApp } from '../../../test/support/test-app.ts';
import { destinationAad } from '../../platform/crypto.ts';
import { newId } from '../../platform/ids.ts';
import { seedPeople } from '../../simulator/seed-data.ts';
import { createOperatorSimulator, type OperatorSimulator } from '../../simulator/simulator.ts';
import { createIntegracoesRepo, type StaticHeader } from './integracoes.repo.ts';

/**
 * Secret static headers are bound to the origins the integração sends them to (issue 10,
 * "write-only secrets can be exfiltrated by an editor"): pointing the base URL — or a method's
 * own URL — at another origin takes every secret typed again; a path change keeps them; fewer
 * origins keep them too; a configuration edited behind Ponte's back makes no call at all; values
 * sealed before the binding keep working and are bound on first read. "Another origin" is a
 * small HTTP server that records what it receives: it must receive nothing.
 */

const ana = seedPeople[0]!;
const SEGREDO = 'segredo-da-chave-4d1c9e';
const SEGREDO_2 = 'segredo-do-outro-b7a204';

type Session = Awaited<ReturnType<typeof loginAs>>;
/** The validador's report of a call Ponte did not make because a secret would leave for the wrong place. */
function expectBlocked(response: LightMyRequestResponse): string {
  expect(response.statusCode, response.body).toBe(200);
  expect(response.json()).toMatchObject({ aprovado: false, resultado: 'bloqueado', resposta: null });
  return response.json().mensagem as string;
}

function expectError(response: LightMyRequestResponse, status: number, code: string): { field?: string; message: string }[] {
  expect({ status: response.statusCode, code: response.json().error?.code }, response.body).toEqual({ status, code });
  return response.json().error.details ?? [];
}

describe('secret static headers bound to the integração’s origins', () => {
  let t: TestApp;
  let sim: OperatorSimulator;
  let evil: Awaited<ReturnType<typeof startRecordingServer>>;
  let clienteId: string;
  let appId: string;
  let editor: Session;
  let grupoId: string;

  const path = () => `/painel/api/clientes/${clienteId}/instancias/1/integracao`;
  const put = (payload: object) => t.app.inject({ method: 'PUT', url: path(), headers: editor.headers, payload });
  const validarLogin = () =>
    t.app.inject({
      method: 'POST',
      url: `/painel/api/clientes/${clienteId}/instancias/1/validador`,
      headers: editor.headers,
      payload: { metodo: 'login', entrada: { login: ana.cpf, senha: ana.senha } },
    });
  const appLogin = () => t.app.inject({ method: 'POST', url: '/app/v1/sessoes', headers: { 'x-app-id': appId }, payload: { campos: { login: ana.cpf, senha: ana.senha } } });
  const stored = () => createIntegracoesRepo(t.database.db).find(clienteId, 1);
  const body = (overrides: Record<string, unknown> = {}) => ({ baseUrl: `${sim.url}/api`, grupoId, metodos: {}, headers: kept, ...overrides });
  /** The headers as the painel sends them when nobody retypes the secrets. */
  const kept = [
    { nome: 'X-Chave-Api', secreto: true },
    { nome: 'X-Canal', valor: 'app', secreto: false },
    { nome: 'X-Outro', secreto: true },
  ];
  const typed = [
    { nome: 'X-Chave-Api', valor: SEGREDO, secreto: true },
    { nome: 'X-Canal', valor: 'app', secreto: false },
    { nome: 'X-Outro', valor: SEGREDO_2, secreto: true },
  ];
  const sentToSim = () => {
    const headers = sim.calls().login.lastHeaders!;
    return { chave: headers['x-chave-api'], outro: headers['x-outro'] };
  };

  /** A fresh cliente with a grupo and an integração at the simulator, its two secrets typed. */
  async function configured(): Promise<void> {
    const cliente = await createCliente(t);
    clienteId = cliente.id;
    appId = cliente.instancias.find((i) => i.numero === 1)!.appId;
    editor = await loginAs(t, { clienteId, role: 'editor' });
    const grupo = await t.app.inject({
      method: 'POST',
      url: `/painel/api/clientes/${clienteId}/instancias/1/grupos`,
      headers: editor.headers,
      payload: { nome: 'Grupo', url: `${sim.url}/autorizacao`, usuario: 'demo', senha: 'demo' },
    });
    expect(grupo.statusCode, grupo.body).toBe(201);
    grupoId = grupo.json().id;
    const saved = await put(body({ headers: typed }));
    expect(saved.statusCode, saved.body).toBe(200);
  }

  beforeAll(async () => {
    sim = await createOperatorSimulator({ port: 0 });
    evil = await startRecordingServer();
    t = await createTestApp();
  });
  afterAll(async () => {
    await t?.close();
    await sim?.close();
    await evil?.close();
  });
  afterEach(() => {
    expect(evil.received).toEqual([]);
  });

  it('the exfiltration replayed: base URL moved to another origin without the secrets → 400 at each secret’s valor; the validador and a login still go only to the old origin', async () => {
    await configured();
    const before = await stored();
    const details = expectError(await put(body({ baseUrl: evil.url })), 400, 'VALIDATION_FAILED');
    expect(details).toEqual([
      { field: 'headers[0].valor', message: `A URL mudou de origem (de ${sim.url} para ${evil.url}): digite o valor do header secreto "X-Chave-Api" de novo para enviá-lo ao novo endereço.` },
      { field: 'headers[2].valor', message: expect.stringContaining('"X-Outro"') },
      // The grupo's live tokens would go there too: that needs the grupo's senha (grupo-destinos.test.ts).
      { field: 'senhaGrupo', message: expect.stringContaining(`enviados para ${evil.url}`) },
    ]);
    expect(await stored()).toEqual(before);

    const report = await validarLogin();
    expect(report.statusCode, report.body).toBe(200);
    expect(report.json()).toMatchObject({ aprovado: true, requisicao: { url: `${sim.url}/api/login` } });
    expect(sentToSim()).toEqual({ chave: SEGREDO, outro: SEGREDO_2 });
    const login = await appLogin();
    expect(login.statusCode, login.body).toBe(201);
  });

  it('a method’s own URL at another origin is a new destination too (400); with the secrets typed again it is saved', async () => {
    await configured();
    const metodos = { trocarSenha: { url: `${evil.url}/trocarSenha` } };
    const details = expectError(await put(body({ metodos })), 400, 'VALIDATION_FAILED');
    expect(details.map((d) => d.field)).toEqual(['headers[0].valor', 'headers[2].valor', 'senhaGrupo']);
    expect(details[0]!.message).toContain(evil.url);
    expect((await stored())!.metodos).toEqual({});

    const saved = await put(body({ metodos, headers: typed, senhaGrupo: 'demo' }));
    expect(saved.statusCode, saved.body).toBe(200);
    expect((await stored())!.headers.find((h) => h.nome === 'X-Chave-Api')!.destinos).toEqual([sim.url, evil.url].sort());
    // Back to fewer origins: nothing new receives the secrets, so they stay (sealed for exactly the remaining one).
    const shrunk = await put(body());
    expect(shrunk.statusCode, shrunk.body).toBe(200);
    expect((await stored())!.headers.filter((h) => h.secreto).map((h) => h.destinos)).toEqual([[sim.url], [sim.url]]);
    expect((await validarLogin()).json()).toMatchObject({ aprovado: true });
    expect(sentToSim()).toEqual({ chave: SEGREDO, outro: SEGREDO_2 });
  });

  it('with the secrets typed again the base URL moves, and the new origin gets them', async () => {
    await configured();
    const other = await createOperatorSimulator({ port: 0, requireGrupo: false });
    try {
      const saved = await put(body({ baseUrl: other.url, headers: typed, senhaGrupo: 'demo' }));
      expect(saved.statusCode, saved.body).toBe(200);
      const outcome = await t.services.outbound.call({ clienteId, instancia: 1, method: 'login', body: { login: ana.cpf, senha: ana.senha } });
      expect(outcome.kind).toBe('sucesso');
      expect(other.calls().login.lastHeaders).toMatchObject({ 'x-chave-api': SEGREDO, 'x-outro': SEGREDO_2 });
    } finally {
      await other.close();
    }
  });

  it('the opened values go with the cached integração: calls reuse them, and a secret typed again is what the next call sends', async () => {
    await configured();
    const call = () => t.services.outbound.call({ clienteId, instancia: 1, method: 'login', body: { login: ana.cpf, senha: ana.senha } });
    expect((await call()).kind).toBe('sucesso');
    const integracao = await t.services.integracoes.get(clienteId, 1);
    const opened = t.services.integracoes.openHeaders(integracao!);
    expect(t.services.integracoes.openHeaders(integracao!)).toBe(opened);
    expect(Object.isFrozen(opened)).toBe(true);
    expect(sentToSim()).toEqual({ chave: SEGREDO, outro: SEGREDO_2 });

    const retyped = await put(body({ headers: [{ nome: 'X-Chave-Api', valor: 'segredo-novo-91c3', secreto: true }, typed[1], { nome: 'X-Outro', secreto: true }] }));
    expect(retyped.statusCode, retyped.body).toBe(200);
    expect((await call()).kind).toBe('sucesso');
    expect(sentToSim()).toEqual({ chave: 'segredo-novo-91c3', outro: SEGREDO_2 });
  });

  it('a path change at the same origin keeps the stored secrets', async () => {
    await configured();
    const saved = await put(body({ baseUrl: `${sim.url}/v2/` }));
    expect(saved.statusCode, saved.body).toBe(200);
    const report = await validarLogin();
    expect(report.json()).toMatchObject({ aprovado: true, requisicao: { url: `${sim.url}/v2/login` } });
    expect(sentToSim()).toEqual({ chave: SEGREDO, outro: SEGREDO_2 });
  });

  it('a base URL edited in the database, behind Ponte’s back, fails closed: no call, the validador reports it blocked naming the header to type again, the app gets 502', async () => {
    await configured();
    await t.database.db.updateTable('integracoes').set({ base_url: evil.url }).where('cliente_id', '=', clienteId).execute();
    const count = sim.calls().login.count;
    const report = await validarLogin();
    expect(expectBlocked(report)).toContain('"X-Chave-Api"');
    expect(report.body).not.toContain(SEGREDO);
    expectError(await appLogin(), 502, 'OPERATOR_UNAVAILABLE');
    expect(sim.calls().login.count).toBe(count);

    // The painel puts it back without retyping: the origin the secrets were sealed for.
    const restored = await put(body());
    expect(restored.statusCode, restored.body).toBe(200);
    expect((await validarLogin()).json()).toMatchObject({ aprovado: true });
  });

  it('the destinations edited along with the URL do not open the secret either (they are its associated data)', async () => {
    await configured();
    const row = (await stored())!;
    const forged = row.headers.map((h) => (h.secreto ? { ...h, destinos: [evil.url] } : h));
    await t.database.db.updateTable('integracoes').set({ base_url: evil.url, headers_json: JSON.stringify(forged) }).where('cliente_id', '=', clienteId).execute();
    expectBlocked(await validarLogin());
  });

  it('with the binding stripped from the row, a bound secret does not pass for one from before the binding', async () => {
    await configured();
    const stripped = (await stored())!.headers.map(({ destinos: _destinos, ...h }) => h);
    await t.database.db.updateTable('integracoes').set({ base_url: evil.url, headers_json: JSON.stringify(stripped) }).where('cliente_id', '=', clienteId).execute();
    expectBlocked(await validarLogin());
    // Nor is it "re-sealed" for the forged address on that read.
    expect((await stored())!.headers.filter((h) => h.secreto).map((h) => h.destinos)).toEqual([undefined, undefined]);
  });

  it('a secret sealed before the binding is still sent, and bound to the current origins on first read', async () => {
    const cliente = await createCliente(t);
    clienteId = cliente.id;
    appId = cliente.instancias.find((i) => i.numero === 1)!.appId;
    editor = await loginAs(t, { clienteId, role: 'editor' });
    const legacy: StaticHeader = { nome: 'X-Chave-Api', secreto: true, valorSelado: t.services.secretBox.seal(SEGREDO, `integracao:${clienteId}:1:x-chave-api`) };
    const now = Date.now();
    await createIntegracoesRepo(t.database.db).upsert({
      id: newId('integracao'),
      clienteId,
      instancia: 1,
      baseUrl: `${sim.url}/api`,
      metodos: {},
      timeoutMs: 10_000,
      headers: [legacy],
      grupoId: null,
      updatedBy: null,
      createdAt: now,
      updatedAt: now,
    });
    const plain = await createOperatorSimulator({ port: 0, requireGrupo: false });
    try {
      // The same row, moved (by the test) to a simulator that needs no grupo: still "before the binding".
      await t.database.db.updateTable('integracoes').set({ base_url: plain.url }).where('cliente_id', '=', clienteId).execute();
      const outcome = await t.services.outbound.call({ clienteId, instancia: 1, method: 'login', body: { login: ana.cpf, senha: ana.senha } });
      expect(outcome.kind).toBe('sucesso');
      expect(plain.calls().login.lastHeaders).toMatchObject({ 'x-chave-api': SEGREDO });
      const [header] = (await stored())!.headers;
      expect(header).toEqual({ nome: 'X-Chave-Api', secreto: true, valorSelado: expect.any(String), destinos: [plain.url], segredoId: expect.any(String) });
      expect(t.services.secretBox.open(header!.valorSelado!, destinationAad(`integracao:${clienteId}:1:x-chave-api`, [plain.url]))).toBe(SEGREDO);

      // From now on it is bound: moving the URL asks for it.
      const moved = await put({ baseUrl: evil.url, grupoId: null, metodos: {}, headers: [{ nome: 'X-Chave-Api', secreto: true }] });
      expect(expectError(moved, 400, 'VALIDATION_FAILED').map((d) => d.field)).toEqual(['headers[0].valor']);
    } finally {
      await plain.close();
    }
  });
});
