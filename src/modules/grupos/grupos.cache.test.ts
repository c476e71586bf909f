import { SignJWT } from 'jose';
import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createCliente, loginAs } from '../../../test/support/fixtures.ts';
import { openTestKv, redisUrl } from '../../../test/support/infrastructure.ts';
import { createTestApp, type TestApp } from '../../../test/support/test-app.ts';
import { manualClock, type Clock } from '../../platform/clock.ts';
import { createOutboundClient } from '../../platform/http-client/http-client.ts';
import { parseCidrList } from '../../platform/http-client/ssrf-guard.ts';
import { createMemoryKv } from '../../platform/kv/memory-kv.ts';
import { createLogger } from '../../platform/logger.ts';
import { createOperatorSimulator, GRUPO_CLIENTE, GRUPO_CLIENTE_HEADER, GRUPO_TOKEN_HEADER, type OperatorSimulator } from '../../simulator/simulator.ts';
import { createLogCenterWriter } from '../log-center/log-center.writer.ts';
import { createOperatorCaller } from '../operator-call/operator-call.ts';
import { createGrupoPairsCache, grupoCachePolicy, type AuthPair } from './grupos.cache.ts';
import { createGruposRepo, type Grupo } from './grupos.repo.ts';

/**
 * The grupo de autorização cache (docs/ESPECIFICACAO.md §7) through the real app, proven by counting calls where
 * it matters: at the operator (the simulator's `/autorizacao` counter).
 */

const USUARIO = 'grupo-ponte';
const SENHA = `senha-do-grupo-${randomBytes(4).toString('hex')}`;
// Enough room in the per-operator bulkhead (default 32 in flight + 128 queued) for 200 logins at once.
const ENV = { PONTE_OUTBOUND_MAX_CONCURRENCY: '64' };

type Entry = { pairs: AuthPair[]; fetchedAt: number; refreshAt: number; expiresAt: number; fingerprint: string };

const pairsKey = (grupoId: string) => `grupo:${grupoId}:pares`;
const painel = (clienteId: string, instancia: 1 | 2 = 1) => `/painel/api/clientes/${clienteId}/instancias/${instancia}`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `probe` until it returns something truthy; fails after `timeoutMs` saying what it waited for. */
async function until<T>(what: string, probe: () => Promise<T> | T, timeoutMs = 5_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

/** The cache entry as stored in the key-value port, opened with the app's own keys. */
async function entryOf(t: TestApp, grupoId: string): Promise<Entry | undefined> {
  const sealed = await t.kv.get(pairsKey(grupoId));
  return sealed === null ? undefined : (JSON.parse(t.services.secretBox.open(sealed, pairsKey(grupoId))) as Entry);
}

const tokenOf = (entry: Entry) => entry.pairs.find((p) => p.chave === GRUPO_TOKEN_HEADER)!.token;

async function simulator(options: { grupoTtlSeconds?: number; clock?: Clock } = {}) {
  return createOperatorSimulator({ port: 0, usuario: USUARIO, senha: SENHA, ...options });
}

/** A cliente with a grupo at the simulator (created through the painel API) linked to its instância 1 integração. */
async function linkedGrupo(t: TestApp, sim: OperatorSimulator) {
  const cliente = await createCliente(t);
  const admin = await loginAs(t, { clienteId: cliente.id, role: 'admin' });
  const before = sim.calls().autorizacao.count;
  const created = await t.app.inject({
    method: 'POST',
    url: `${painel(cliente.id)}/grupos`,
    headers: admin.headers,
    payload: { nome: 'Grupo principal', url: `${sim.url}/autorizacao`, usuario: USUARIO, senha: SENHA },
  });
  expect(created.statusCode, created.body).toBe(201);
  expect(created.body).not.toContain(SENHA);
  expect(created.json()).toMatchObject({ status: 'ativo', usuario: USUARIO, senhaDefinida: true, ultimoErro: null });
  // The live check is the only call, and it sent the grupo's credentials.
  expect(sim.calls().autorizacao.count).toBe(before + 1);
  expect(sim.calls().autorizacao.lastBody).toEqual({ usuario: USUARIO, senha: SENHA });
  const grupoId = created.json().id as string;

  const saved = await t.app.inject({
    method: 'PUT',
    url: `${painel(cliente.id)}/integracao`,
    headers: admin.headers,
    payload: { baseUrl: sim.url, grupoId, metodos: {}, headers: [] },
  });
  expect(saved.statusCode, saved.body).toBe(200);
  expect(saved.json().grupoId).toBe(grupoId);
  return { clienteId: cliente.id, grupoId, admin };
}

function loginVia(t: TestApp, sim: OperatorSimulator, clienteId: string) {
  const ana = sim.people[0]!;
  return t.services.outbound.call({ clienteId, instancia: 1, method: 'login', body: { login: ana.cpf, senha: ana.senha } });
}

/** Every outcome a success; otherwise the distinct failures, so a red test says why. */
function expectAllSucceeded(outcomes: { kind: string }[]): void {
  const failures = outcomes.filter((o) => o.kind !== 'sucesso').map((o) => JSON.stringify({ ...o, exchange: undefined }));
  expect([...new Set(failures)]).toEqual([]);
}

/** The simulator only answers a login that carries both grupo headers it issued; this checks the last one too. */
function expectLastLoginCarried(sim: OperatorSimulator, token: string): void {
  const headers = sim.calls().login.lastHeaders!;
  expect(headers[GRUPO_TOKEN_HEADER]).toBe(token);
  expect(headers[GRUPO_CLIENTE_HEADER]).toBe(GRUPO_CLIENTE);
}

describe('grupo cache: cold start, one /autorizacao call', () => {
  let t: TestApp;
  let sim: OperatorSimulator;
  beforeAll(async () => {
    sim = await simulator();
    t = await createTestApp({ env: ENV });
  });
  afterAll(async () => {
    await t?.close();
    await sim?.close();
  });

  it('200 concurrent logins with a cold cache cause exactly one /autorizacao call', async () => {
    const { clienteId, grupoId } = await linkedGrupo(t, sim);
    await t.kv.delete(pairsKey(grupoId)); // cold: nothing cached anywhere
    sim.reset();

    const outcomes = await Promise.all(Array.from({ length: 200 }, () => loginVia(t, sim, clienteId)));

    expectAllSucceeded(outcomes);
    expect(sim.calls().autorizacao.count).toBe(1);
    // No login was rejected and retried: each carried valid grupo headers the first time.
    expect(sim.calls().login.count).toBe(200);
    const entry = (await entryOf(t, grupoId))!;
    expectLastLoginCarried(sim, tokenOf(entry));
  });
});

describe('grupo cache: two Ponte nodes share one refresh', () => {
  const sims: OperatorSimulator[] = [];
  const opened: { close(): Promise<void> }[] = [];
  afterEach(async () => {
    for (const item of opened.reverse().splice(0)) await item.close();
    for (const s of sims.splice(0)) await s.close();
  });

  /** Node A owns the database; node B shares it, the keyring and the key-value data. */
  async function twoNodes(kvA: TestApp['kv'], kvB: TestApp['kv']) {
    const a = await createTestApp({ env: ENV, kv: kvA });
    const b = await createTestApp({ env: ENV, database: a.database, kv: kvB, keyring: a.keyring });
    // Closed in reverse order: B before A, whose close disposes the database B uses.
    opened.push(a, b);
    return { a, b };
  }

  async function hundredOnEach(a: TestApp, b: TestApp) {
    const sim = await simulator();
    sims.push(sim);
    const { clienteId, grupoId } = await linkedGrupo(a, sim);
    await a.kv.delete(pairsKey(grupoId));
    expect(await entryOf(b, grupoId)).toBeUndefined();
    sim.reset();

    const outcomes = await Promise.all(
      Array.from({ length: 100 }, () => [loginVia(a, sim, clienteId), loginVia(b, sim, clienteId)]).flat(),
    );

    expectAllSucceeded(outcomes);
    expect(sim.calls().autorizacao.count).toBe(1);
    expect(sim.calls().login.count).toBe(200);
    // Both nodes read the very same pairs.
    expect((await entryOf(a, grupoId))!.fingerprint).toBe((await entryOf(b, grupoId))!.fingerprint);
  }

  it('100 concurrent logins on each of two nodes sharing one memory store: one /autorizacao call', async () => {
    const shared = createMemoryKv();
    opened.push(shared);
    const { a, b } = await twoNodes(shared, shared);
    await hundredOnEach(a, b);
  });

  it.skipIf(!redisUrl)('100 concurrent logins on each of two nodes sharing Redis: one /autorizacao call', async () => {
    const prefix = `ponte-test:${randomBytes(6).toString('hex')}:`;
    const kvA = openTestKv('redis', prefix);
    const kvB = openTestKv('redis', prefix);
    opened.push(kvA, kvB);
    const { a, b } = await twoNodes(kvA, kvB);
    await hundredOnEach(a, b);
  });
});

describe('grupo cache: refresh ahead of expiry', () => {
  let t: TestApp;
  let sim: OperatorSimulator;
  // One clock for Ponte and the simulator: the JWT `exp` the simulator signs and the refresh point
  // Ponte derives from it are on the same timeline, and the test moves it instead of sleeping.
  const clock = manualClock(Date.now());
  beforeAll(async () => {
    sim = await simulator({ grupoTtlSeconds: 4, clock });
    t = await createTestApp({ env: ENV, clock });
  });
  afterAll(async () => {
    await t?.close();
    await sim?.close();
  });

  it('refreshes once in the background after the jittered refresh point, while calls keep succeeding', async () => {
    const { clienteId, grupoId } = await linkedGrupo(t, sim);
    const first = (await entryOf(t, grupoId))!;
    // Lifetime from the JWT exp (4 s, rounded up to the second), refresh point at 75–85 % of it.
    const lifetime = first.expiresAt - first.fetchedAt;
    expect(lifetime).toBeGreaterThanOrEqual(4_000);
    expect(lifetime).toBeLessThanOrEqual(5_000);
    const share = (first.refreshAt - first.fetchedAt) / lifetime;
    expect(share).toBeGreaterThanOrEqual(0.75);
    expect(share).toBeLessThanOrEqual(0.85);

    // Just before the refresh point: served from the cache, no call to /autorizacao.
    clock.set(first.refreshAt - 1);
    expectAllSucceeded([await loginVia(t, sim, clienteId)]);
    await sleep(100); // room for a refresh that must not have been started
    expect(sim.calls().autorizacao.count).toBe(1);

    // At the refresh point: this call still goes out with the current pairs…
    clock.set(first.refreshAt);
    expectAllSucceeded([await loginVia(t, sim, clienteId)]);
    expectLastLoginCarried(sim, tokenOf(first));
    // …and one refresh runs behind it.
    await until('the background refresh', async () => (await entryOf(t, grupoId))?.fingerprint !== first.fingerprint);
    expect(sim.calls().autorizacao.count).toBe(2);
    const second = (await entryOf(t, grupoId))!;
    expect(tokenOf(second)).not.toBe(tokenOf(first));
    expect(second.fetchedAt).toBe(first.refreshAt);

    // Many calls after the refresh: new pairs, and no further refresh.
    const outcomes = await Promise.all(Array.from({ length: 20 }, () => loginVia(t, sim, clienteId)));
    expectAllSucceeded(outcomes);
    expectLastLoginCarried(sim, tokenOf(second));
    expect(sim.calls().autorizacao.count).toBe(2);
  });
});

describe('grupo cache: refresh point jitter', () => {
  let t: TestApp;
  let sim: OperatorSimulator;
  const clock = manualClock(Date.now());
  let grupo: Grupo;
  let random = 0;
  let cache: ReturnType<typeof createGrupoPairsCache>;
  let kv: ReturnType<typeof createMemoryKv>;
  let close: () => Promise<void>;

  beforeAll(async () => {
    sim = await simulator({ grupoTtlSeconds: 100, clock });
    t = await createTestApp({ env: ENV });
    const { grupoId } = await linkedGrupo(t, sim);
    const repo = createGruposRepo(t.database.db);
    grupo = (await repo.findById(grupoId))!;

    // A cache built directly, as src/app.ts builds it, but with the jitter source and clock in hand
    // and its own (cold) store.
    const logger = createLogger({ logLevel: 'silent', nodeEnv: 'test' });
    const http = createOutboundClient({ allowlist: parseCidrList('127.0.0.0/8'), clock, maxConcurrentPerOrigin: 8, maxQueuedPerOrigin: 32, breaker: { failureThreshold: 5, openMs: 30_000 } });
    const writer = createLogCenterWriter({ db: t.database.db, clock, logger, hashKey: randomBytes(32) });
    kv = createMemoryKv();
    cache = createGrupoPairsCache({
      kv,
      secretBox: t.services.secretBox,
      repo,
      callOperator: createOperatorCaller({ http, logCenter: writer, clock }),
      clock,
      logger,
      random: () => random,
    });
    close = async () => {
      await writer.close();
      await http.close();
      await kv.close();
    };
  });
  afterAll(async () => {
    await close?.();
    await t?.close();
    await sim?.close();
  });

  const stored = async () => JSON.parse(t.services.secretBox.open((await kv.get(pairsKey(grupo.id)))!, pairsKey(grupo.id))) as Entry;

  it.each([
    { random: 0, share: 0.75 },
    { random: 0.5, share: 0.8 },
    { random: 0.999_999, share: 0.85 },
  ])('with random() = $random the refresh point is at $share of the JWT lifetime, not before', async ({ random: r, share }) => {
    random = r;
    await cache.forget(grupo.id);
    const calls = sim.calls().autorizacao.count;
    expect((await cache.pairsFor(grupo)).ok).toBe(true);
    expect(sim.calls().autorizacao.count).toBe(calls + 1);
    const entry = await stored();
    const lifetime = entry.expiresAt - entry.fetchedAt;
    expect(Math.abs(entry.refreshAt - entry.fetchedAt - lifetime * share)).toBeLessThanOrEqual(1);

    clock.set(entry.refreshAt - 1);
    expect((await cache.pairsFor(grupo)).ok).toBe(true);
    await sleep(100); // room for a refresh that must not have been started
    expect(sim.calls().autorizacao.count).toBe(calls + 1);

    clock.set(entry.refreshAt);
    expect((await cache.pairsFor(grupo)).ok).toBe(true);
    await until('the background refresh', () => sim.calls().autorizacao.count === calls + 2);
    // Finished (stored, lock released) before the next case forgets the entry.
    await until('the refreshed entry', async () => (await stored()).fetchedAt === entry.refreshAt && (await kv.get(`grupo:${grupo.id}:renovando`)) === null);
    expect(sim.calls().autorizacao.count).toBe(calls + 2);
  });

  it('Math.random spreads refresh points over [75 %, 85 %] of the lifetime (non-JWT tokens: the grupo TTL)', async () => {
    const shares = new Set<number>();
    for (let i = 0; i < 200; i++) {
      random = Math.random();
      await cache.prime(grupo, [{ chave: 'x-chave', token: `opaco-${i}` }]);
      const entry = await stored();
      expect(entry.expiresAt - entry.fetchedAt).toBe(grupo.ttlSegundos * 1000);
      const share = (entry.refreshAt - entry.fetchedAt) / (entry.expiresAt - entry.fetchedAt);
      expect(share).toBeGreaterThanOrEqual(grupoCachePolicy.refreshAtShare);
      expect(share).toBeLessThanOrEqual(grupoCachePolicy.refreshAtShare + grupoCachePolicy.jitterShare);
      shares.add(Math.round(share * 1000));
    }
    // Real jitter: nodes refreshing the same grupo do not all pick one instant.
    expect(shares.size).toBeGreaterThan(20);
  });

  it('takes the earliest JWT exp among the pairs, a scheme prefix allowed', async () => {
    random = 0;
    const jwt = (seconds: number) =>
      new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setExpirationTime(Math.floor(clock.now() / 1000) + seconds).sign(randomBytes(32));
    await cache.prime(grupo, [
      { chave: 'x-longo', token: await jwt(600) },
      { chave: 'x-curto', token: `Bearer ${await jwt(120)}` },
      { chave: 'x-opaco', token: 'nao-e-jwt' },
    ]);
    const entry = await stored();
    expect(entry.expiresAt).toBe((Math.floor(clock.now() / 1000) + 120) * 1000);
  });
});

describe('grupo cache: operator 401 → refresh once, retry once', () => {
  let t: TestApp;
  let sim: OperatorSimulator;
  beforeAll(async () => {
    sim = await simulator();
    t = await createTestApp({ env: ENV });
  });
  afterAll(async () => {
    await t?.close();
    await sim?.close();
  });

  it('one login after the operator expired the grupo tokens: 401, one refresh, a successful retry', async () => {
    const { clienteId, grupoId } = await linkedGrupo(t, sim);
    const old = (await entryOf(t, grupoId))!;
    sim.reset();
    sim.expireGrupoTokens();

    expectAllSucceeded([await loginVia(t, sim, clienteId)]);

    expect(sim.calls().login.count).toBe(2); // 401 with the old pairs, 200 with the new ones
    expect(sim.calls().autorizacao.count).toBe(1);
    const renewed = (await entryOf(t, grupoId))!;
    expect(tokenOf(renewed)).not.toBe(tokenOf(old));
    expectLastLoginCarried(sim, tokenOf(renewed));
  });

  it('20 concurrent logins after expiry: exactly one extra /autorizacao call, no login retried twice, all successful', async () => {
    const { clienteId } = await linkedGrupo(t, sim);
    sim.reset();
    sim.expireGrupoTokens();

    const outcomes = await Promise.all(Array.from({ length: 20 }, () => loginVia(t, sim, clienteId)));

    expectAllSucceeded(outcomes);
    expect(sim.calls().autorizacao.count).toBe(1);
    // A login whose cache read lands after the refresh was stored goes out with the new pairs at once (one call);
    // every other one is refused once and retried once. Two calls at most each, and the refusal did happen.
    expect(sim.calls().login.count).toBeGreaterThan(20);
    expect(sim.calls().login.count).toBeLessThanOrEqual(40);
  });

  it('a 401 the new pairs do not fix (a wrong user senha) is returned after the single retry', async () => {
    const { clienteId } = await linkedGrupo(t, sim);
    // The operator rejects this login whatever the grupo headers: a 401 that renewing cannot fix.
    sim.reset();
    const ana = sim.people[0]!;
    const outcome = await t.services.outbound.call({ clienteId, instancia: 1, method: 'login', body: { login: ana.cpf, senha: 'errada' } });
    expect(outcome).toMatchObject({ kind: 'recusado_pela_operadora', status: 401 });
    // One renewal was tried, one retry sent, then the refusal returned.
    expect(sim.calls().autorizacao.count).toBe(1);
    expect(sim.calls().login.count).toBe(2);
  });
});

describe('grupo cache: keep valid pairs on failure, negative cache', () => {
  let t: TestApp;
  let sim: OperatorSimulator;
  const clock = manualClock(Date.now());
  beforeAll(async () => {
    sim = await simulator({ grupoTtlSeconds: 120, clock });
    t = await createTestApp({ env: ENV, clock });
  });
  afterEach(() => sim.setFault(null));
  afterAll(async () => {
    await t?.close();
    await sim?.close();
  });

  const listed = async (clienteId: string, cookie: string) => {
    const response = await t.app.inject({ method: 'GET', url: `${painel(clienteId)}/grupos`, headers: { cookie } });
    expect(response.statusCode).toBe(200);
    expect(response.body).not.toContain(SENHA);
    return response.json().grupos as { id: string; status: string; ultimoErro: string | null; ultimoErroEm: number | null }[];
  };

  it('a failed refresh keeps the valid pairs, flags the grupo and stops further attempts for the negative TTL', async () => {
    const { clienteId, grupoId, admin } = await linkedGrupo(t, sim);
    const warm = (await entryOf(t, grupoId))!;
    sim.reset();
    sim.setFault('status-500', { methods: ['autorizacao'] });

    // "Renovar agora" fails at the operator…
    const renovar = await t.app.inject({ method: 'POST', url: `${painel(clienteId)}/grupos/${grupoId}/renovar`, headers: admin.headers });
    expect(renovar.statusCode).toBe(200);
    expect(renovar.body).not.toContain(SENHA);
    expect(renovar.json()).toMatchObject({ id: grupoId, status: 'falhando' });
    expect(sim.calls().autorizacao.count).toBe(1);
    const [flagged] = await listed(clienteId, admin.cookieHeader);
    expect(flagged).toMatchObject({ id: grupoId, status: 'falhando', ultimoErroEm: clock.now() });
    expect(flagged!.ultimoErro).toContain('500');

    // …and the pairs still valid keep working.
    expectAllSucceeded([await loginVia(t, sim, clienteId)]);
    expectLastLoginCarried(sim, tokenOf(warm));

    // Past the refresh point, still valid: every call would try a refresh; the negative cache stops them.
    clock.set(warm.refreshAt);
    const stillValid = await Promise.all(Array.from({ length: 50 }, () => loginVia(t, sim, clienteId)));
    expectAllSucceeded(stillValid);
    expectLastLoginCarried(sim, tokenOf(warm));
    await sleep(100); // room for background refreshes that must not have been started
    expect(sim.calls().autorizacao.count).toBe(1);

    // Expired pairs and the operator still failing: calls fail fast, without reaching the operator at all.
    clock.set(warm.expiresAt);
    const logins = sim.calls().login.count;
    const expired = await Promise.all(Array.from({ length: 50 }, () => loginVia(t, sim, clienteId)));
    expect(sim.calls().autorizacao.count).toBe(1);
    expect(sim.calls().login.count).toBe(logins);
    for (const outcome of expired) {
      expect(outcome).toMatchObject({ kind: 'falha_comunicacao', message: expect.stringContaining('Grupo de autorização indisponível') });
      expect((outcome as { message: string }).message).toContain('HTTP 500');
    }

    // The operator recovers; "renovar agora" ignores the negative cache and clears the flag.
    sim.setFault(null);
    const recovered = await t.app.inject({ method: 'POST', url: `${painel(clienteId)}/grupos/${grupoId}/renovar`, headers: admin.headers });
    expect(recovered.json()).toMatchObject({ status: 'ativo', ultimoErro: null });
    expect(sim.calls().autorizacao.count).toBe(2);
    expectAllSucceeded([await loginVia(t, sim, clienteId)]);
  });

  it('with nothing cached and /autorizacao failing, 50 + 50 calls make a single /autorizacao call', async () => {
    const { clienteId, grupoId, admin } = await linkedGrupo(t, sim);
    await t.kv.delete(pairsKey(grupoId));
    sim.reset();
    sim.setFault('status-500', { methods: ['autorizacao'] });

    const first = await Promise.all(Array.from({ length: 50 }, () => loginVia(t, sim, clienteId)));
    // Later callers, after that refresh failed: answered from the negative cache.
    const later = await Promise.all(Array.from({ length: 50 }, () => loginVia(t, sim, clienteId)));

    expect(sim.calls().autorizacao.count).toBe(1);
    expect(sim.calls().login.count).toBe(0);
    for (const outcome of [...first, ...later]) {
      expect(outcome.kind).toBe('falha_comunicacao');
      expect((outcome as { message: string }).message).toMatch(/^Grupo de autorização indisponível: A operadora recusou \(HTTP 500\)/);
    }
    const [flagged] = await listed(clienteId, admin.cookieHeader);
    expect(flagged).toMatchObject({ status: 'falhando' });
  });
});

describe('grupo cache: forced refreshes and a vanished lock holder', () => {
  let t: TestApp;
  let sim: OperatorSimulator;
  beforeAll(async () => {
    sim = await simulator();
    t = await createTestApp({ env: ENV });
  });
  afterEach(() => sim.setFault(null));
  afterAll(async () => {
    await t?.close();
    await sim?.close();
  });

  it('the operator refusing every grupo pair while /autorizacao fails: one /autorizacao per negative-cache window, every call an outage', async () => {
    const { clienteId } = await linkedGrupo(t, sim);
    sim.reset();
    sim.expireGrupoTokens();
    sim.setFault('status-500', { methods: ['autorizacao'] });

    // Waves of logins, one after another: each would force a refresh without the window.
    const outcomes = [];
    for (let wave = 0; wave < 5; wave += 1) outcomes.push(...(await Promise.all(Array.from({ length: 20 }, () => loginVia(t, sim, clienteId)))));

    expect(sim.calls().autorizacao.count).toBe(1);
    for (const outcome of outcomes) {
      expect(outcome).toMatchObject({ kind: 'falha_comunicacao' });
      expect((outcome as { message: string }).message).toContain('grupo de autorização');
    }
  });

  it('a 401 that fresh pairs do not fix (a wrong password) forces one refresh per window, not one per login', async () => {
    const { clienteId } = await linkedGrupo(t, sim);
    sim.reset();
    const ana = sim.people[0]!;
    const wrong = () => t.services.outbound.call({ clienteId, instancia: 1, method: 'login', body: { login: ana.cpf, senha: 'errada' } });

    const outcomes = [];
    for (let attempt = 0; attempt < 10; attempt += 1) outcomes.push(await wrong());

    expect(sim.calls().autorizacao.count).toBe(1);
    for (const outcome of outcomes) expect(outcome).toMatchObject({ kind: 'recusado_pela_operadora', status: 401, mensagem: 'Login ou senha inválidos' });
  });

  it('a holder that died with the refresh lock: waiting callers take it over and succeed, with one /autorizacao call', async () => {
    const { clienteId, grupoId } = await linkedGrupo(t, sim);
    await t.kv.delete(pairsKey(grupoId));
    // Another node took the lock and died before writing anything: only its TTL frees the lock.
    expect(await t.kv.acquireLock(`grupo:${grupoId}:renovando`, grupoCachePolicy.lockTtlMs)).not.toBeNull();
    sim.reset();

    const outcomes = await Promise.all(Array.from({ length: 10 }, () => loginVia(t, sim, clienteId)));

    expectAllSucceeded(outcomes);
    expect(sim.calls().autorizacao.count).toBe(1);
  });
});
