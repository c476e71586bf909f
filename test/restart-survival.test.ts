import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomKeyring } from '../src/platform/keyring.ts';
import type { KeyValueStore } from '../src/platform/kv/kv.ts';
import { seedPeople } from '../src/simulator/seed-data.ts';
import { createOperatorSimulator, type OperatorSimulator } from '../src/simulator/simulator.ts';
import { createClientToken, createCliente, loginAs } from './support/fixtures.ts';
import { databaseKinds, openTestDatabase, openTestKv, type TestDatabase } from './support/infrastructure.ts';
import { createTestApp, type TestApp } from './support/test-app.ts';

/**
 * Sessions and chaves passe are durable: a server that logged a user in and issued a key can be
 * closed, and a new one built over the same database and keyring answers for both as if nothing
 * happened. SQLite runs on a file, so "the same database" is the same file after the first app
 * is gone; PostgreSQL is a shared schema.
 */

const ana = seedPeople[0]!;
const sistema = { plataforma: 'ios', versaoApp: '5.0.0', dispositivo: 'iPhone 15', idioma: 'pt-BR', geolocalizacao: null };

function ok(response: LightMyRequestResponse, status = 200) {
  expect(response.statusCode, response.body).toBe(status);
  return response.json();
}

describe.each(databaseKinds())('sessions and chaves passe survive a restart (%s)', (kind) => {
  let database: TestDatabase;
  let kv: KeyValueStore;
  let sim: OperatorSimulator;
  const keyring = randomKeyring();
  let a: TestApp | undefined;
  let b: TestApp | undefined;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    kv = openTestKv();
    sim = await createOperatorSimulator({ port: 0 });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await sim?.close();
    await kv?.close();
    await database?.dispose();
  });

  it('the session token and the chave passe issued by app A work on app B after A is closed; logout on B kills the key', async () => {
    a = await createTestApp({ database, keyring, kv });
    const cliente = await createCliente(a);
    const painel = (await loginAs(a, { clienteId: cliente.id, role: 'admin' })).headers;
    const base = `/painel/api/clientes/${cliente.id}/instancias/1`;
    const grupo = ok(await a.app.inject({ method: 'POST', url: `${base}/grupos`, headers: painel, payload: { nome: 'Grupo', url: `${sim.url}/autorizacao`, usuario: 'demo', senha: 'demo' } }), 201);
    ok(await a.app.inject({ method: 'PUT', url: `${base}/integracao`, headers: painel, payload: { baseUrl: sim.url, grupoId: grupo.id, metodos: {}, headers: [] } }));
    const funcionalidade = ok(
      await a.app.inject({ method: 'POST', url: `${base}/funcionalidades`, headers: painel, payload: { nome: 'Carteirinha', url: 'https://webview.operadora.example/carteirinha?x=1' } }),
      201,
    );
    const { plaintext: token } = await createClientToken(a, cliente.id, ['chavePasse']);
    const appId = cliente.instancias.find((i) => i.numero === 1)!.appId;

    const login = ok(await a.app.inject({ method: 'POST', url: '/app/v1/sessoes', headers: { 'x-app-id': appId }, payload: { campos: { login: ana.cpf, senha: ana.senha } } }), 201);
    const appHeaders = { 'x-app-id': appId, authorization: `Bearer ${login.token}` };
    const opened = ok(await a.app.inject({ method: 'POST', url: `/app/v1/funcionalidades/${funcionalidade.chaveFuncionalidade}/abrir`, headers: appHeaders, payload: { sistema } }));
    const chavePasse = new URL(opened.url).searchParams.get('chavePasse')!;
    const dados = (app: TestApp, endpoint: string) =>
      app.app.inject({
        method: 'GET',
        url: `/clientes/chavePasse/${endpoint}?${new URLSearchParams({ instanciaApp: '1', chavePasse, chaveFuncionalidade: funcionalidade.chaveFuncionalidade })}`,
        headers: { authorization: token },
      });
    const usuarioOnA = ok(await dados(a, 'usuario'));
    const sessaoOnA = ok(await a.app.inject({ method: 'GET', url: '/app/v1/sessoes/atual', headers: appHeaders }));

    // Restart: app A goes away (the database stays open for B, as a file or a schema would).
    await a.close();
    a = undefined;
    b = await createTestApp({ database, keyring, kv });

    expect(ok(await b.app.inject({ method: 'GET', url: '/app/v1/sessoes/atual', headers: appHeaders }))).toEqual(sessaoOnA);
    expect(ok(await dados(b, 'usuario'))).toEqual({ ...usuarioOnA, timestamp: expect.any(Number) });
    expect(usuarioOnA.data).toEqual({ chaveUnica: ana.cpf, integracao: { codigoBeneficiario: ana.codigoBeneficiario } });
    expect(ok(await dados(b, 'sistema')).data).toEqual({ ...sistema, abertoEm: expect.any(Number), instanciaApp: '1' });

    // B can do everything with the session A opened: a new key, then logout, which kills both keys.
    const reopened = ok(await b.app.inject({ method: 'POST', url: `/app/v1/funcionalidades/${funcionalidade.chaveFuncionalidade}/abrir`, headers: appHeaders, payload: { sistema } }));
    expect(reopened.url).toMatch(/^https:\/\/webview\.operadora\.example\/carteirinha\?x=1&chavePasse=/);
    expect((await b.app.inject({ method: 'DELETE', url: '/app/v1/sessoes/atual', headers: appHeaders })).statusCode).toBe(204);
    expect((await dados(b, 'usuario')).statusCode).toBe(403);
    expect((await b.app.inject({ method: 'GET', url: '/app/v1/sessoes/atual', headers: appHeaders })).statusCode).toBe(401);
  });
});
