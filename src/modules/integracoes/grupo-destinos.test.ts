import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCliente, loginAs } from '../../../test/support/fixtures.ts';
import { startRecordingServer } from '../../../test/support/recording-server.ts';
import { createTestApp, type TestApp } from '../../../test/support/test-app.ts';
import { seedPeople } from '../../simulator/seed-data.ts';
import { createOperatorSimulator, GRUPO_TOKEN_HEADER, type OperatorSimulator } from '../../simulator/simulator.ts';
import { grupoDestinationsAllowed, grupoTokensMayGoTo } from './grupo-destinos.ts';

/**
 * A grupo's live tokens go only where its senha vouches for (issue 10, "write-only secrets can be
 * exfiltrated by an editor"): the audit moved the integração's base URL to a host it controlled
 * and ran the validador — Ponte fetched fresh grupo tokens and sent them there. Now another site
 * needs the grupo's senha at save; the grupo's own site does not; a row edited behind Ponte's back
 * makes no call; integrações saved before the rule keep working.
 */

const ana = seedPeople[0]!;
type Session = Awaited<ReturnType<typeof loginAs>>;

function expectDetails(response: LightMyRequestResponse): { field?: string; message: string }[] {
  expect(response.statusCode, response.body).toBe(400);
  return response.json().error.details;
}

describe('where a grupo’s tokens may go (site rule)', () => {
  const allowed = (grupoUrl: string, confirmed: string[] = []) => grupoDestinationsAllowed({ grupoId: 'g', grupoDestinos: confirmed }, { id: 'g', url: grupoUrl }, []);

  it.each([
    ['https://auth.operadora.com.br/autorizacao', 'https://api.operadora.com.br/mobile/login', true],
    ['https://auth.operadora.com.br/autorizacao', 'https://operadora.com.br/login', true],
    ['https://auth.operadora.com.br/autorizacao', 'http://api.operadora.com.br/login', false],
    ['https://auth.operadora.com.br/autorizacao', 'https://operadora-falsa.com.br/login', false],
    ['https://auth.operadora.com.br/autorizacao', 'https://com.br/login', false],
    ['https://a.github.io/autorizacao', 'https://b.github.io/login', false],
    ['http://127.0.0.1:4010/autorizacao', 'http://127.0.0.1:4010/api/login', true],
    ['http://127.0.0.1:4010/autorizacao', 'http://127.0.0.1:4011/login', false],
    ['http://localhost:4010/autorizacao', 'http://localhost:4011/login', false],
  ])('grupo at %s → %s: %s', (grupoUrl, url, expected) => {
    expect(grupoTokensMayGoTo(url, allowed(grupoUrl))).toBe(expected);
  });

  it('an origin confirmed with the senha is allowed, for that grupo only', () => {
    expect(grupoTokensMayGoTo('https://parceiro.example/login', allowed('https://auth.operadora.com.br/a', ['https://parceiro.example']))).toBe(true);
    const otherGrupo = grupoDestinationsAllowed({ grupoId: 'outro', grupoDestinos: ['https://parceiro.example'] }, { id: 'g', url: 'https://auth.operadora.com.br/a' }, []);
    expect(grupoTokensMayGoTo('https://parceiro.example/login', otherGrupo)).toBe(false);
  });
});

describe('grupo tokens bound to the integração’s confirmed destinations', () => {
  let t: TestApp;
  let sim: OperatorSimulator;
  let evil: Awaited<ReturnType<typeof startRecordingServer>>;
  let clienteId: string;
  let appId: string;
  let editor: Session;
  let grupoId: string;

  const path = () => `/painel/api/clientes/${clienteId}/instancias/1/integracao`;
  const put = (payload: object) => t.app.inject({ method: 'PUT', url: path(), headers: editor.headers, payload });
  const body = (overrides: Record<string, unknown> = {}) => ({ baseUrl: sim.url, grupoId, metodos: {}, headers: [], ...overrides });
  const validarLogin = () =>
    t.app.inject({
      method: 'POST',
      url: `/painel/api/clientes/${clienteId}/instancias/1/validador`,
      headers: editor.headers,
      payload: { metodo: 'login', entrada: { login: ana.cpf, senha: ana.senha } },
    });
  const appLogin = () => t.app.inject({ method: 'POST', url: '/app/v1/sessoes', headers: { 'x-app-id': appId }, payload: { campos: { login: ana.cpf, senha: ana.senha } } });

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
    const saved = await put(body());
    expect(saved.statusCode, saved.body).toBe(200);
  }

  beforeAll(async () => {
    sim = await createOperatorSimulator({ port: 0 });
    t = await createTestApp();
  });
  afterAll(async () => {
    await t?.close();
    await sim?.close();
  });

  it('the audit’s attack replayed: base URL moved to another host → 400 asking for the grupo’s senha; nothing reaches that host', async () => {
    evil = await startRecordingServer();
    try {
      await configured();
      const details = expectDetails(await put(body({ baseUrl: evil.url })));
      expect(details).toEqual([
        { field: 'senhaGrupo', message: `Os tokens do grupo de autorização "Grupo" passariam a ser enviados para ${evil.url}, fora do endereço do grupo. Para confirmar, digite a senha do grupo.` },
      ]);
      expect(expectDetails(await put(body({ baseUrl: evil.url, senhaGrupo: 'errada' })))).toEqual([
        { field: 'senhaGrupo', message: 'A senha não confere com a do grupo de autorização "Grupo".' },
      ]);
      // Unlinking and linking again is no way around it: a new link starts from the grupo's own site.
      expect((await put(body({ baseUrl: evil.url, grupoId: null }))).statusCode).toBe(200);
      expect(expectDetails(await put(body({ baseUrl: evil.url }))).map((d) => d.field)).toEqual(['senhaGrupo']);
      expect((await put(body())).statusCode).toBe(200);

      expect((await validarLogin()).json()).toMatchObject({ aprovado: true, requisicao: { url: `${sim.url}/login` } });
      expect(evil.received).toEqual([]);
    } finally {
      await evil.close();
    }
  });

  it('with the senha typed, the new host is confirmed and receives the grupo’s tokens', async () => {
    const parceiro = await startRecordingServer({ mensagem: 'recusado' });
    try {
      await configured();
      const saved = await put(body({ baseUrl: parceiro.url, senhaGrupo: 'demo' }));
      expect(saved.statusCode, saved.body).toBe(200);
      await validarLogin();
      expect(parceiro.received).toHaveLength(1);
      expect(Object.keys(parceiro.received[0]!.headers)).toContain(GRUPO_TOKEN_HEADER.toLowerCase());
      // Saving again with the same host asks nothing.
      expect((await put(body({ baseUrl: `${parceiro.url}/v2` }))).statusCode).toBe(200);
    } finally {
      await parceiro.close();
    }
  });

  it('a base URL edited in the database, behind Ponte’s back: no call, the validador says blocked, the app gets 502', async () => {
    evil = await startRecordingServer();
    try {
      await configured();
      await t.database.db.updateTable('integracoes').set({ base_url: evil.url }).where('cliente_id', '=', clienteId).execute();
      const report = await validarLogin();
      expect(report.statusCode, report.body).toBe(200);
      expect(report.json()).toMatchObject({ aprovado: false, resultado: 'bloqueado', mensagem: expect.stringContaining(`não são enviados para ${evil.url}`) });
      expect((await appLogin()).statusCode).toBe(502);
      expect(evil.received).toEqual([]);
    } finally {
      await evil.close();
    }
  });

  it('an integração saved before the rule keeps sending to where it pointed', async () => {
    await configured();
    await t.database.db.updateTable('integracoes').set({ grupo_destinos_json: null }).where('cliente_id', '=', clienteId).execute();
    expect((await validarLogin()).json()).toMatchObject({ aprovado: true });
    expect((await appLogin()).statusCode).toBe(201);
  });
});
