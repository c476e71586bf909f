import type { LightMyRequestResponse } from 'fastify';
import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createCliente, loginAs } from '../../../test/support/fixtures.ts';
import { startRecordingServer } from '../../../test/support/recording-server.ts';
import { createTestApp, type TestApp } from '../../../test/support/test-app.ts';
import { newId } from '../../platform/ids.ts';
import { seedPeople } from '../../simulator/seed-data.ts';
import { createOperatorSimulator, type OperatorSimulator } from '../../simulator/simulator.ts';
import { grupoSenhaAad, legacyGrupoSenhaAad } from './grupo-senha.ts';
import { createGruposRepo } from './grupos.repo.ts';

/**
 * A grupo's senha is bound to the origin of the grupo's URL (issue 10, "write-only secrets can be
 * exfiltrated by an editor"): moving the URL to another origin takes the senha again, a path
 * change keeps it, a row edited behind Ponte's back is never sent, and senhas sealed before the
 * binding keep working and are bound on first use. "Another origin" is a small HTTP server that
 * records everything it receives: it must receive nothing.
 */

const USUARIO = 'grupo-ponte';
const SENHA = `senha-do-grupo-${randomBytes(4).toString('hex')}`;
const ana = seedPeople[0]!;

type Session = Awaited<ReturnType<typeof loginAs>>;
function expectError(response: LightMyRequestResponse, status: number, code: string): { field?: string; message: string }[] {
  expect({ status: response.statusCode, code: response.json().error?.code }, response.body).toEqual({ status, code });
  return response.json().error.details ?? [];
}

describe('grupo senha bound to the origin of the grupo URL', () => {
  let t: TestApp;
  let sim: OperatorSimulator;
  let evil: Awaited<ReturnType<typeof startRecordingServer>>;
  let clienteId: string;
  let appId: string;
  let editor: Session;

  const grupos = () => `/painel/api/clientes/${clienteId}/instancias/1/grupos`;
  const put = (id: string, payload: object) => t.app.inject({ method: 'PUT', url: `${grupos()}/${id}`, headers: editor.headers, payload });
  const renovar = (id: string) => t.app.inject({ method: 'POST', url: `${grupos()}/${id}/renovar`, headers: editor.headers });
  const validar = (grupoId: string) =>
    t.app.inject({ method: 'POST', url: `/painel/api/clientes/${clienteId}/instancias/1/validador`, headers: editor.headers, payload: { metodo: 'autorizacao', grupoId } });
  const appLogin = () => t.app.inject({ method: 'POST', url: '/app/v1/sessoes', headers: { 'x-app-id': appId }, payload: { campos: { login: ana.cpf, senha: ana.senha } } });
  const row = (id: string) => t.database.db.selectFrom('grupos_autorizacao').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const forgetPairs = (id: string) => Promise.all([t.kv.delete(`grupo:${id}:pares`), t.kv.delete(`grupo:${id}:falha`)]);

  /** A fresh cliente whose Sandbox integração logs in through a grupo at the simulator. */
  async function grupoEmUso(): Promise<string> {
    const cliente = await createCliente(t);
    clienteId = cliente.id;
    appId = cliente.instancias.find((i) => i.numero === 1)!.appId;
    editor = await loginAs(t, { clienteId, role: 'editor' });
    const created = await t.app.inject({
      method: 'POST',
      url: grupos(),
      headers: editor.headers,
      payload: { nome: 'Grupo', url: `${sim.url}/operadora/autorizacao`, usuario: USUARIO, senha: SENHA },
    });
    expect(created.statusCode, created.body).toBe(201);
    const grupoId = created.json().id as string;
    const integracao = await t.app.inject({
      method: 'PUT',
      url: `/painel/api/clientes/${clienteId}/instancias/1/integracao`,
      headers: editor.headers,
      payload: { baseUrl: `${sim.url}/operadora`, grupoId, metodos: {}, headers: [] },
    });
    expect(integracao.statusCode, integracao.body).toBe(200);
    return grupoId;
  }

  beforeAll(async () => {
    sim = await createOperatorSimulator({ port: 0, usuario: USUARIO, senha: SENHA });
    evil = await startRecordingServer({ auth: [{ chave: 'x-capturado', token: 'capturado' }] });
    t = await createTestApp();
  });
  afterAll(async () => {
    await t?.close();
    await sim?.close();
    await evil?.close();
  });
  afterEach(() => {
    // Whatever a test did, the other origin heard nothing.
    expect(evil.received).toEqual([]);
  });

  it('the exfiltration replayed: URL moved to another origin without the senha → 400 at senha; neither renovar, the validador nor a login reach it', async () => {
    const id = await grupoEmUso();
    const before = await row(id);
    const details = expectError(await put(id, { nome: 'Grupo', url: `${evil.url}/autorizacao`, usuario: USUARIO }), 400, 'VALIDATION_FAILED');
    expect(details).toEqual([{ field: 'senha', message: `A URL mudou de origem (de ${sim.url} para ${evil.url}): digite a senha de novo para enviá-la ao novo endereço.` }]);
    expect(await row(id)).toEqual(before);

    expect((await renovar(id)).statusCode).toBe(200);
    const report = await validar(id);
    expect(report.statusCode, report.body).toBe(200);
    expect(report.json()).toMatchObject({ aprovado: true, requisicao: { url: `${sim.url}/operadora/autorizacao` } });
    await forgetPairs(id);
    const login = await appLogin();
    expect(login.statusCode, login.body).toBe(201);
    expect(sim.calls().autorizacao.lastBody).toEqual({ usuario: USUARIO, senha: SENHA });
  });

  it('with the senha typed again the grupo moves: saved, and the new origin (and only it) gets the senha from then on', async () => {
    const id = await grupoEmUso();
    const other = await createOperatorSimulator({ port: 0, usuario: USUARIO, senha: SENHA });
    try {
      const response = await put(id, { nome: 'Grupo', url: `${other.url}/autorizacao`, usuario: USUARIO, senha: SENHA });
      expect(response.statusCode, response.body).toBe(200);
      expect(other.calls().autorizacao.lastBody).toEqual({ usuario: USUARIO, senha: SENHA });
      const stored = await row(id);
      expect(t.services.secretBox.open(stored.senha_selada, grupoSenhaAad(id, `${other.url}/autorizacao`))).toBe(SENHA);
      expect(() => t.services.secretBox.open(stored.senha_selada, grupoSenhaAad(id, `${sim.url}/autorizacao`))).toThrow();
      const count = other.calls().autorizacao.count;
      expect((await renovar(id)).json()).toMatchObject({ status: 'ativo' });
      expect(other.calls().autorizacao.count).toBe(count + 1);
    } finally {
      await other.close();
    }
  });

  it('a path change at the same origin keeps the stored senha', async () => {
    const id = await grupoEmUso();
    const [, port] = sim.url.split(/:(?=\d+$)/);
    for (const url of [`${sim.url}/v2/autorizacao`, `http://127.0.0.1:${port}/outra/autorizacao`]) {
      const response = await put(id, { nome: 'Grupo', url, usuario: USUARIO });
      expect(response.statusCode, response.body).toBe(200);
      expect(sim.calls().autorizacao.lastBody).toEqual({ usuario: USUARIO, senha: SENHA });
      expect(t.services.secretBox.open((await row(id)).senha_selada, grupoSenhaAad(id, url))).toBe(SENHA);
    }
  });

  it('a URL edited in the database, behind Ponte’s back, fails closed: no call anywhere, the grupo says why', async () => {
    const id = await grupoEmUso();
    await t.database.db.updateTable('grupos_autorizacao').set({ url: `${evil.url}/autorizacao` }).where('id', '=', id).execute();
    await forgetPairs(id);

    const refreshed = await renovar(id);
    expect(refreshed.statusCode, refreshed.body).toBe(200);
    expect(refreshed.json()).toMatchObject({ status: 'falhando', ultimoErro: expect.stringContaining('não vale para a URL atual') });
    const validador = await validar(id);
    expect(validador.statusCode, validador.body).toBe(200);
    expect(validador.json()).toMatchObject({ aprovado: false, resultado: 'bloqueado', resposta: null, mensagem: expect.stringContaining('Digite a senha de novo') });
    expect(validador.body).not.toContain(SENHA);
    await forgetPairs(id);
    expectError(await appLogin(), 502, 'OPERATOR_UNAVAILABLE');
  });

  it('another grupo’s sealed senha pasted into a row does not open (the grupo id is bound too)', async () => {
    const first = await grupoEmUso();
    const second = await grupoEmUso();
    await t.database.db.updateTable('grupos_autorizacao').set({ senha_selada: (await row(first)).senha_selada }).where('id', '=', second).execute();
    expect((await renovar(second)).json()).toMatchObject({ status: 'falhando' });
  });

  it('a senha sealed before the binding keeps working and is bound to its current origin on first use; after that the fallback no longer opens it elsewhere', async () => {
    const cliente = await createCliente(t);
    clienteId = cliente.id;
    editor = await loginAs(t, { clienteId, role: 'editor' });
    const id = newId('grupo');
    const url = `${sim.url}/legado/autorizacao`;
    const now = Date.now();
    await createGruposRepo(t.database.db).insert({
      id,
      clienteId,
      instancia: 1,
      nome: 'Legado',
      url,
      usuario: USUARIO,
      senhaSelada: t.services.secretBox.seal(SENHA, legacyGrupoSenhaAad(id)),
      ttlSegundos: 3600,
      status: 'ativo',
      ultimaRenovacaoEm: null,
      ultimoErro: null,
      ultimoErroEm: null,
      createdAt: now,
      updatedAt: now,
    });
    expect((await renovar(id)).json()).toMatchObject({ status: 'ativo', ultimoErro: null });
    expect(sim.calls().autorizacao.lastBody).toEqual({ usuario: USUARIO, senha: SENHA });
    const resealed = (await row(id)).senha_selada;
    expect(t.services.secretBox.open(resealed, grupoSenhaAad(id, url))).toBe(SENHA);
    expect(() => t.services.secretBox.open(resealed, legacyGrupoSenhaAad(id))).toThrow();

    // Moved in the painel: the senha is asked for, as for any bound senha.
    expect(expectError(await put(id, { nome: 'Legado', url: `${evil.url}/autorizacao`, usuario: USUARIO }), 400, 'VALIDATION_FAILED').map((d) => d.field)).toEqual(['senha']);
    // Moved in the database: not sent.
    await t.database.db.updateTable('grupos_autorizacao').set({ url: `${evil.url}/autorizacao` }).where('id', '=', id).execute();
    expect((await renovar(id)).json()).toMatchObject({ status: 'falhando' });
  });

  it('a legacy senha left untouched is also accepted by an edit at the same origin, and sealed bound', async () => {
    const cliente = await createCliente(t);
    clienteId = cliente.id;
    editor = await loginAs(t, { clienteId, role: 'editor' });
    const id = newId('grupo');
    const now = Date.now();
    await createGruposRepo(t.database.db).insert({
      id,
      clienteId,
      instancia: 1,
      nome: 'Legado',
      url: `${sim.url}/autorizacao`,
      usuario: USUARIO,
      senhaSelada: t.services.secretBox.seal(SENHA, legacyGrupoSenhaAad(id)),
      ttlSegundos: 3600,
      status: 'ativo',
      ultimaRenovacaoEm: null,
      ultimoErro: null,
      ultimoErroEm: null,
      createdAt: now,
      updatedAt: now,
    });
    const response = await put(id, { nome: 'Legado renomeado', url: `${sim.url}/v3/autorizacao`, usuario: USUARIO });
    expect(response.statusCode, response.body).toBe(200);
    expect(t.services.secretBox.open((await row(id)).senha_selada, grupoSenhaAad(id, `${sim.url}/v3/autorizacao`))).toBe(SENHA);
  });
});
