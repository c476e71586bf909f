import { createHash, createHmac, randomBytes } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../src/platform/crypto.ts';
import type { DatabaseKind } from '../src/platform/db/database.ts';
import { seedPeople, type SeedPerson } from '../src/simulator/seed-data.ts';
import { createOperatorSimulator, type OperatorSimulator } from '../src/simulator/simulator.ts';
import { databaseKinds, kvKinds, openTestDatabase, openTestKv, type KvKind, type TestDatabase } from './support/infrastructure.ts';
import type { KeyValueStore } from '../src/platform/kv/kv.ts';
import { createClientToken, createCliente } from './support/fixtures.ts';
import { createTestApp, type TestApp } from './support/test-app.ts';

/**
 * The shapes the seed documents fix, attribute by attribute, on every storage this run covers:
 *
 * - "Token temporário": the success body is exactly `status, data {token, expireAt}, message,
 *   statusCode, timestamp` (no `critical`); the JWT's claims are `key` (64 lowercase hex
 *   characters naming the parent token), `aud`, `idCliente` (a Number), `iat`, `exp`; a failure is
 *   HTTP 401 with exactly `{"success": false, "message": "Invalid token."}`.
 * - "API de acesso a dados": success and failure bodies have exactly `status, data, message,
 *   critical, statusCode, timestamp`; the request id travels only in `x-request-id`.
 *
 * Keys are compared in the seed's order too: an operator's code may print or diff the body.
 */

const TEMP_AUTH = '/clientes/auth/temp-authorization';
const SEED_TEMP_AUTH_KEYS = ['status', 'data', 'message', 'statusCode', 'timestamp'];
const SEED_TEMP_AUTH_DATA_KEYS = ['token', 'expireAt'];
const SEED_CLAIM_KEYS = ['key', 'aud', 'idCliente', 'iat', 'exp'];
const SEED_ENVELOPE_KEYS = ['status', 'data', 'message', 'critical', 'statusCode', 'timestamp'];
const REQUEST_ID = /^req_[0-9a-f]+$/;

const ana = seedPeople[0] as SeedPerson;
const sistema = { plataforma: 'android', versaoApp: '3.2.1', dispositivo: 'Pixel 8', idioma: 'pt-BR' };
/** A funcionalidade with its own query string (kept as written, `%20` and a bare `flag` included). */
const PAGINA_URL = 'https://webview.operadora.example/pagina?origem=app&nome=Jo%C3%A3o%20Silva&flag';

/** Storages to cover: SQLite with the in-memory store always; PostgreSQL with Redis when configured. */
const storages: { db: DatabaseKind; kv: KvKind }[] = databaseKinds().map((db, i) => ({ db, kv: kvKinds()[Math.min(i, kvKinds().length - 1)]! }));

function isMsEpochNear(value: unknown, now: number): boolean {
  return typeof value === 'number' && Number.isInteger(value) && Math.abs(value - now) < 60_000;
}

/** A `/clientes` body: exactly the seed's six attributes, in its order, each of the documented type. */
function expectClientesEnvelope(response: LightMyRequestResponse, status: number): { data: unknown; message: string; critical: unknown[] } {
  expect(response.statusCode, response.body).toBe(status);
  expect(response.headers['content-type']).toContain('application/json');
  expect(response.headers['x-request-id']).toMatch(REQUEST_ID);
  const body = JSON.parse(response.body) as Record<string, unknown>;
  expect(Object.keys(body)).toEqual(SEED_ENVELOPE_KEYS);
  expect(body.requestId).toBeUndefined();
  expect(typeof body.status).toBe('boolean');
  expect(body.status).toBe(status < 400);
  expect(typeof body.message).toBe('string');
  expect((body.message as string).length).toBeGreaterThan(0);
  expect(Array.isArray(body.critical)).toBe(true);
  expect(typeof body.statusCode).toBe('number');
  expect(body.statusCode).toBe(status);
  expect(isMsEpochNear(body.timestamp, Date.now())).toBe(true);
  if (status >= 400) expect(body.data).toEqual([]);
  else expect(typeof body.data).toBe('object');
  return body as { data: unknown; message: string; critical: unknown[] };
}

/** The temp-authorization refusal: HTTP 401 and exactly the seed's two attributes, nothing else. */
function expectInvalidToken(response: LightMyRequestResponse): void {
  expect(response.statusCode).toBe(401);
  expect(response.headers['x-request-id']).toMatch(REQUEST_ID);
  const body = JSON.parse(response.body) as Record<string, unknown>;
  expect(Object.keys(body)).toEqual(['success', 'message']);
  expect(body.success).toBe(false);
  expect(body.message).toBe('Invalid token.');
}

let octet = 0;
const freshIp = () => `127.0.9.${++octet}`;

describe.each(storages)('seed conformance on $db + $kv', ({ db, kv: kvKind }) => {
  let database: TestDatabase;
  let kv: KeyValueStore;
  let t: TestApp;
  let sim: OperatorSimulator;
  let cliente: Awaited<ReturnType<typeof createCliente>>;
  let parent: Awaited<ReturnType<typeof createClientToken>>;
  let appId: string;
  let chaveFuncionalidade: string;

  beforeAll(async () => {
    database = await openTestDatabase(db);
    kv = openTestKv(kvKind);
    t = await createTestApp({ database, kv });
    sim = await createOperatorSimulator({ port: 0, host: '127.0.0.1' });
    cliente = await createCliente(t, 'Operadora Conforme');
    parent = await createClientToken(t, cliente.id, ['chavePasse']);
    const actor = { userId: null, label: 'teste' };
    const grupo = await t.services.grupos.create({ clienteId: cliente.id, instancia: 1, nome: 'Grupo', url: `${sim.url}/autorizacao`, usuario: 'demo', senha: 'demo', actor });
    await t.services.integracoes.save({ clienteId: cliente.id, instancia: 1, baseUrl: sim.url, grupoId: grupo.id, metodos: {}, headers: [], actor });
    const pagina = await t.services.funcionalidades.create({ clienteId: cliente.id, instancia: 1, nome: 'Página', url: PAGINA_URL, actor });
    chaveFuncionalidade = pagina.chave;
    appId = cliente.instancias.find((i) => i.numero === 1)!.appId;
  });
  afterAll(async () => {
    await sim?.close();
    await t?.close();
    await kv?.close();
    await database?.dispose();
  });

  /** Logs Ana in through the app API and opens the funcionalidade; the chave passe of its URL. */
  async function chavePasse(): Promise<{ url: string; chavePasse: string }> {
    const login = await t.app.inject({ method: 'POST', url: '/app/v1/sessoes', headers: { 'x-app-id': appId }, payload: { campos: { login: ana.cpf, senha: ana.senha } } });
    expect(login.statusCode, login.body).toBe(201);
    const aberta = await t.app.inject({
      method: 'POST',
      url: `/app/v1/funcionalidades/${chaveFuncionalidade}/abrir`,
      headers: { 'x-app-id': appId, authorization: `Bearer ${login.json().token}` },
      payload: { sistema },
    });
    expect(aberta.statusCode, aberta.body).toBe(200);
    const url = aberta.json().url as string;
    return { url, chavePasse: new URL(url).searchParams.get('chavePasse')! };
  }

  const mint = (authorization: string | undefined, method: 'POST' | 'GET' = 'POST') =>
    t.app.inject({ method, url: TEMP_AUTH, headers: { ...(authorization !== undefined ? { authorization } : {}), 'content-type': 'application/json' }, payload: '', remoteAddress: freshIp() });

  const dados = (endpoint: string, query: Record<string, string>, authorization?: string) =>
    t.app.inject({
      method: 'GET',
      url: `/clientes/chavePasse/${endpoint}?${new URLSearchParams(query).toString()}`,
      headers: authorization !== undefined ? { authorization } : {},
      remoteAddress: freshIp(),
    });

  describe('POST /clientes/auth/temp-authorization (seed "Token temporário")', () => {
    it.each(['POST', 'GET'] as const)('%s: success body has exactly status, data{token, expireAt}, message, statusCode, timestamp', async (method) => {
      const before = Date.now();
      const response = await mint(parent.plaintext, method);
      expect(response.statusCode, response.body).toBe(200);
      expect(response.headers['x-request-id']).toMatch(REQUEST_ID);
      const body = JSON.parse(response.body) as Record<string, unknown>;
      expect(Object.keys(body)).toEqual(SEED_TEMP_AUTH_KEYS);
      expect(body).not.toHaveProperty('critical');
      expect(body).not.toHaveProperty('requestId');
      expect(body.status).toBe(true);
      expect(body.message).toBe('Token gerado com sucesso!');
      expect(body.statusCode).toBe(200);
      expect(isMsEpochNear(body.timestamp, before)).toBe(true);
      const data = body.data as Record<string, unknown>;
      expect(Object.keys(data)).toEqual(SEED_TEMP_AUTH_DATA_KEYS);
      expect(typeof data.token).toBe('string');
      expect(typeof data.expireAt).toBe('number');
      expect(Number.isInteger(data.expireAt)).toBe(true);
      // "O token sempre será expirado 12 horas após ser gerado", in milliseconds.
      expect(data.expireAt as number).toBeGreaterThanOrEqual(before + 43_200_000);
      expect(data.expireAt as number).toBeLessThanOrEqual(Date.now() + 43_200_000);
    });

    it('the JWT has the seed example\'s header and claims, typed as there: idCliente a Number, key 64 lowercase hex characters', async () => {
      const body = (await mint(parent.plaintext)).json();
      const token = body.data.token as string;
      expect(token.split('.')).toHaveLength(3);
      expect(decodeProtectedHeader(token)).toMatchObject({ alg: 'HS256', typ: 'JWT' });
      const claims = decodeJwt(token);
      expect(Object.keys(claims)).toEqual(SEED_CLAIM_KEYS);
      expect(claims.aud).toBe('cliente_temporario');
      expect(typeof claims.idCliente).toBe('number');
      expect(Number.isSafeInteger(claims.idCliente)).toBe(true);
      expect(claims.idCliente).toBe(cliente.codigo);
      expect(typeof claims.key).toBe('string');
      expect(claims.key).toMatch(/^[0-9a-f]{64}$/);
      expect(claims.key).toBe(parent.token.chavePublica);
      // It names the parent token without being the token, its id or what is stored of it.
      for (const secretish of [parent.plaintext, parent.token.id, sha256Hex(parent.plaintext), createHash('sha256').update(parent.plaintext).digest('base64url')]) {
        expect(claims.key).not.toBe(secretish);
      }
      expect(typeof claims.iat).toBe('number');
      expect(typeof claims.exp).toBe('number');
      expect(claims.exp! - claims.iat!).toBe(43_200);
      expect(Math.floor(body.data.expireAt / 1000)).toBe(claims.exp);
    });

    it('every cliente has its own stable code: the same idCliente for every temp token of its tokens', async () => {
      const other = await createCliente(t, 'Outra operadora');
      expect(other.codigo).not.toBe(cliente.codigo);
      const sibling = await createClientToken(t, cliente.id, ['chavePasse']);
      const [a, b, c] = await Promise.all([mint(parent.plaintext), mint(sibling.plaintext), mint((await createClientToken(t, other.id)).plaintext)]);
      const claimsOf = (r: LightMyRequestResponse) => decodeJwt(r.json().data.token as string);
      expect(claimsOf(a).idCliente).toBe(cliente.codigo);
      expect(claimsOf(b).idCliente).toBe(cliente.codigo);
      expect(claimsOf(c).idCliente).toBe(other.codigo);
      // One key per parent token.
      expect(claimsOf(a).key).not.toBe(claimsOf(b).key);
      expect((await t.services.clientes.get(cliente.id))?.codigo).toBe(cliente.codigo);
    });

    it.each([
      ['no Authorization', undefined],
      ['an unknown token', `ptk_${randomBytes(32).toString('base64url')}`],
      ['garbage', 'lixo'],
    ])('refuses %s with HTTP 401 and exactly {success: false, message: "Invalid token."}', async (_label, authorization) => {
      expectInvalidToken(await mint(authorization));
    });

    it.each([
      ['malformed JSON', 'application/json', '{"a":'],
      ['a media type Ponte does not read', 'text/plain', 'oi'],
      ['JSON nested past the limit', 'application/json', `${'['.repeat(100)}${']'.repeat(100)}`],
    ])('"O erro sempre é retornado no status code 401": a body with %s is the same 401 body', async (_label, contentType, payload) => {
      for (const authorization of [undefined, parent.plaintext]) {
        const response = await t.app.inject({ method: 'POST', url: TEMP_AUTH, headers: { ...(authorization ? { authorization } : {}), 'content-type': contentType }, payload, remoteAddress: freshIp() });
        expectInvalidToken(response);
      }
    });

    it('refuses a temp token presented to mint another one with the same 401 body', async () => {
      const temp = (await mint(parent.plaintext)).json().data.token as string;
      expectInvalidToken(await mint(temp));
    });
  });

  describe('the temp token where its parent is accepted', () => {
    it('is accepted by the chave passe data API (the parent is found by the key claim): the seed success envelope', async () => {
      const temp = (await mint(parent.plaintext)).json().data.token as string;
      const { chavePasse: chave } = await chavePasse();
      const query = { instanciaApp: '1', chavePasse: chave, chaveFuncionalidade };
      for (const authorization of [parent.plaintext, temp, `Bearer ${temp}`]) {
        const body = expectClientesEnvelope(await dados('usuario', query, authorization), 200);
        expect(body.message).toBe('Dados carregados com sucesso.');
        expect(body.critical).toEqual([]);
        expect(body.data).toMatchObject({ chaveUnica: ana.cpf });
      }
    });

    it('dies with its parent: revoked, the temp token is a 401 in the envelope', async () => {
      const doomed = await createClientToken(t, cliente.id, ['chavePasse']);
      const temp = (await mint(doomed.plaintext)).json().data.token as string;
      const query = { instanciaApp: '1', chavePasse: 'x'.repeat(43), chaveFuncionalidade };
      expectClientesEnvelope(await dados('usuario', query, temp), 403);
      await t.services.tokens.revoke({ tokenId: doomed.token.id, actor: { userId: null, label: 'teste' } });
      expectClientesEnvelope(await dados('usuario', query, temp), 401);
    });

    it('refuses a temp token of the old form (string claims, before migration 0008), signed with the current key', async () => {
      const [jwtKey] = t.keyring.jwtKeys;
      const iat = Math.floor(Date.now() / 1000);
      const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
      const signingInput = `${encode({ alg: 'HS256', typ: 'JWT', kid: jwtKey!.kid })}.${encode({ key: parent.token.id, aud: 'cliente_temporario', idCliente: cliente.id, iat, exp: iat + 43_200 })}`;
      const old = `${signingInput}.${createHmac('sha256', jwtKey!.secret).update(signingInput).digest('base64url')}`;
      const query = { instanciaApp: '1', chavePasse: 'x'.repeat(43), chaveFuncionalidade };
      expectClientesEnvelope(await dados('usuario', query, old), 401);
    });
  });

  describe('/clientes/chavePasse/* (seed "API de acesso a dados")', () => {
    it('answers each endpoint with exactly the six attributes, in the seed\'s order', async () => {
      const { chavePasse: chave } = await chavePasse();
      for (const endpoint of ['usuario', 'grupoFamiliar', 'sistema', 'chavePasse']) {
        const body = expectClientesEnvelope(await dados(endpoint, { instanciaApp: '1', chavePasse: chave, chaveFuncionalidade }, parent.plaintext), 200);
        expect(body.critical).toEqual([]);
      }
    });

    it('appends chavePasse to the funcionalidade\'s own query with "&", keeping that query as written', async () => {
      const { url, chavePasse: chave } = await chavePasse();
      expect(url).toBe(`${PAGINA_URL}&chavePasse=${chave}`);
    });

    it('failures carry the six attributes only (the request id is in x-request-id): 400, 401, 403, 404', async () => {
      const missing = expectClientesEnvelope(await dados('usuario', {}, parent.plaintext), 400);
      expect(missing.critical.length).toBeGreaterThan(0);
      for (const item of missing.critical) expect(Object.keys(item as object).sort()).toEqual(['campo', 'mensagem']);
      expectClientesEnvelope(await dados('usuario', { instanciaApp: '1', chavePasse: 'x', chaveFuncionalidade }), 401);
      expectClientesEnvelope(await dados('usuario', { instanciaApp: '1', chavePasse: 'x', chaveFuncionalidade }, 'ptk_errado'), 401);
      expectClientesEnvelope(await dados('usuario', { instanciaApp: '1', chavePasse: 'x'.repeat(43), chaveFuncionalidade }, parent.plaintext), 403);
      expectClientesEnvelope(await t.app.inject({ method: 'GET', url: '/clientes/nao-existe' }), 404);
    });
  });
});
