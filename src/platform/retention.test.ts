import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createClientToken, loginAs } from '../../test/support/fixtures.ts';
import { databaseKinds, openTestDatabase, type TestDatabase } from '../../test/support/infrastructure.ts';
import { createTestApp, type TestApp } from '../../test/support/test-app.ts';
import { createAppSessionsRepo } from '../modules/app-sessions/app-sessions.repo.ts';
import { appSessionPolicy } from '../modules/app-sessions/app-sessions.service.ts';
import { createChavePasseRepo } from '../modules/chave-passe/chave-passe.repo.ts';
import { createPainelSessionsRepo } from '../modules/painel-users/painel-users.repo.ts';
import { createRecuperacaoRepo } from '../modules/recuperacao/recuperacao.repo.ts';
import { recuperacaoPolicy } from '../modules/recuperacao/recuperacao.service.ts';
import { appClient, identificationOf, operadoraAt } from '../modules/recuperacao/recuperacao.test-support.ts';
import { retentionTasks } from '../retention-tasks.ts';
import { seedPeople, type SeedPerson } from '../simulator/seed-data.ts';
import { createOperatorSimulator, type OperatorSimulator } from '../simulator/simulator.ts';
import { manualClock } from './clock.ts';
import { ConfigError, loadConfig } from './config.ts';
import { sha256Hex } from './crypto.ts';
import type { Db } from './db/schema.ts';
import { newId } from './ids.ts';
import { createLogger } from './logger.ts';
import { createMetrics, type Metrics } from './metrics.ts';
import { startRetentionJob, type RetentionTask } from './retention.ts';

const silent = createLogger({ logLevel: 'silent', nodeEnv: 'test' });
const NOW = Date.UTC(2026, 5, 1, 12);
const HOUR = 60 * 60 * 1000;

/** Rows purged per table, as `/metrics` would show them. */
async function purgedRows(metrics: Metrics): Promise<Record<string, number>> {
  const { values } = await metrics.retentionPurgedRows.get();
  return Object.fromEntries(values.map((v) => [String(v.labels.tabela), v.value]));
}

/** A task over `rows` fake rows that records the size of every batch it was asked for and gave. */
function fakeTask(name: string, rows: number, behaviour: { failFirst?: boolean; gate?: Promise<void> } = {}) {
  let left = rows;
  let failNext = behaviour.failFirst ?? false;
  const batches: number[] = [];
  const task: RetentionTask = {
    name,
    async purge(_now, batchSize) {
      if (behaviour.gate) await behaviour.gate;
      if (failNext) {
        failNext = false;
        throw new Error('conexão recusada');
      }
      const count = Math.min(left, batchSize);
      left -= count;
      batches.push(count);
      return count;
    },
  };
  return { task, batches, left: () => left };
}

function capturingLogger() {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger({ logLevel: 'info', nodeEnv: 'test' }, { destination: { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) } });
  return { logger, lines };
}

const jobOf = (tasks: RetentionTask[], options: { batchSize?: number; metrics?: Metrics; logger?: ReturnType<typeof createLogger>; intervalMs?: number; firstRunDelayMs?: number } = {}) =>
  startRetentionJob({
    tasks,
    intervalMs: options.intervalMs ?? HOUR,
    firstRunDelayMs: options.firstRunDelayMs ?? HOUR,
    batchSize: options.batchSize ?? 3,
    logger: options.logger ?? silent,
    metrics: options.metrics ?? createMetrics(),
    clock: manualClock(NOW),
  });

describe('retention job', () => {
  it('purges each task in batches until one comes back short, and counts the rows per table', async () => {
    const metrics = createMetrics();
    const sessions = fakeTask('app_sessions', 7);
    const exact = fakeTask('recuperacoes', 6);
    const none = fakeTask('painel_sessions', 0);
    const job = jobOf([sessions.task, exact.task, none.task], { metrics, batchSize: 3 });

    expect(await job.runOnce()).toEqual({ app_sessions: 7, recuperacoes: 6, painel_sessions: 0 });
    expect(sessions.batches).toEqual([3, 3, 1]);
    // A full last batch may hide more rows: only an empty one proves the table is done.
    expect(exact.batches).toEqual([3, 3, 0]);
    expect(none.batches).toEqual([0]);
    expect(await purgedRows(metrics)).toEqual({ app_sessions: 7, recuperacoes: 6 });

    expect(await job.runOnce()).toEqual({ app_sessions: 0, recuperacoes: 0, painel_sessions: 0 });
    expect(await purgedRows(metrics)).toEqual({ app_sessions: 7, recuperacoes: 6 });
    await job.stop();
  });

  it('lets the event loop run between batches', async () => {
    const task = fakeTask('app_sessions', 30);
    const job = jobOf([task.task], { batchSize: 3 });
    let batchesBeforeOthersRan: number | undefined;
    setImmediate(() => {
      batchesBeforeOthersRan = task.batches.length;
    });
    await job.runOnce();
    expect(task.batches).toHaveLength(11);
    expect(batchesBeforeOthersRan).toBeLessThan(3);
    await job.stop();
  });

  it('logs a failing task and goes on with the others; the next run retries it', async () => {
    const { logger, lines } = capturingLogger();
    const metrics = createMetrics();
    const broken = fakeTask('chaves_passe', 2, { failFirst: true });
    const healthy = fakeTask('app_sessions', 2);
    const job = jobOf([broken.task, healthy.task], { logger, metrics });

    await expect(job.runOnce()).resolves.toEqual({ chaves_passe: 0, app_sessions: 2 });
    const failure = lines.find((l) => l.msg === 'retenção: a limpeza falhou');
    expect(failure).toMatchObject({ level: 50, tabela: 'chaves_passe', err: { message: 'conexão recusada' } });

    expect(await job.runOnce()).toEqual({ chaves_passe: 2, app_sessions: 0 });
    expect(await purgedRows(metrics)).toEqual({ chaves_passe: 2, app_sessions: 2 });
    await job.stop();
  });

  it('never overlaps runs: a second call joins the run in progress', async () => {
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const task = fakeTask('app_sessions', 2, { gate });
    const job = jobOf([task.task]);

    const first = job.runOnce();
    const second = job.runOnce();
    expect(second).toBe(first);
    open();
    expect(await first).toEqual({ app_sessions: 2 });
    expect(task.batches).toEqual([2]);
    await job.stop();
  });

  it('runs on its own schedule until stopped; stop ends a run after its current batch', async () => {
    const scheduled = fakeTask('outbound_logs', 0);
    const job = jobOf([scheduled.task], { firstRunDelayMs: 5, intervalMs: 10 });
    await vi.waitFor(() => expect(scheduled.batches.length).toBeGreaterThanOrEqual(3), { timeout: 5000, interval: 10 });
    await job.stop();
    const runs = scheduled.batches.length;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(scheduled.batches).toHaveLength(runs);

    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const backlog = fakeTask('app_sessions', 100, { gate });
    const busy = jobOf([backlog.task], { batchSize: 3 });
    const run = busy.runOnce();
    const stopped = busy.stop();
    open();
    await stopped;
    expect(await run).toEqual({ app_sessions: 3 });
    expect(backlog.batches).toEqual([3]);
  });

  it('keeps running when the database is gone (logged, no unhandled rejection)', async () => {
    const doomed = await openTestDatabase();
    await doomed.dispose();
    const { logger, lines } = capturingLogger();
    const job = jobOf(retentionTasks({ db: doomed.db, logCenter: { retentionTask: { name: 'outbound_logs', purge: async () => 0 } } }), { logger });
    expect(await job.runOnce()).toEqual({ outbound_logs: 0, chaves_passe: 0, app_sessions: 0, recuperacoes: 0, painel_sessions: 0, painel_redefinicoes_senha: 0 });
    expect(lines.filter((l) => l.msg === 'retenção: a limpeza falhou').map((l) => l.tabela)).toEqual(['chaves_passe', 'app_sessions', 'recuperacoes', 'painel_sessions', 'painel_redefinicoes_senha']);
    await job.stop();
  });
});

describe.each(databaseKinds())('retention repositories on %s', (kind) => {
  let database: TestDatabase;
  let db: Db;
  let clienteId: string;
  let funcionalidadeId: string;
  let userId: string;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    db = database.db;
    clienteId = newId('cliente');
    await db.insertInto('clientes').values({ id: clienteId, codigo: 1, nome: 'Operadora', created_at: NOW, updated_at: NOW }).execute();
    funcionalidadeId = newId('funcionalidade');
    await db
      .insertInto('funcionalidades')
      .values({ id: funcionalidadeId, cliente_id: clienteId, instancia: 1, nome: 'Carteirinha', url: 'https://webview.operadora.example/', chave: randomBytes(8).toString('hex'), codigo: 'carteirinha', validade_minutos: 5, ativa: 1, created_at: NOW, updated_at: NOW })
      .execute();
    userId = newId('painelUser');
    await db
      .insertInto('painel_users')
      .values({ id: userId, email: `${randomBytes(4).toString('hex')}@exemplo.com.br`, nome: 'Pessoa', password_hash: 'x', is_platform_admin: 0, active: 1, last_login_at: null, created_at: NOW, updated_at: NOW })
      .execute();
  });
  afterAll(async () => {
    await database.dispose();
  });

  async function session(times: { idleExpiresAt: number; expiresAt?: number; revokedAt?: number | null }): Promise<string> {
    const id = newId('appSession');
    await db
      .insertInto('app_sessions')
      .values({
        id,
        token_hash: sha256Hex(id),
        cliente_id: clienteId,
        instancia: 1,
        chave_unica_hash: 'h',
        perfil_selado: 'selado',
        seguranca_selada: null,
        created_at: NOW - HOUR,
        last_seen_at: NOW - HOUR,
        idle_expires_at: times.idleExpiresAt,
        expires_at: times.expiresAt ?? times.idleExpiresAt + HOUR,
        revoked_at: times.revokedAt ?? null,
      })
      .execute();
    return id;
  }
  async function chave(sessionId: string, times: { expiresAt: number; revokedAt?: number | null }): Promise<string> {
    const id = newId('chavePasse');
    await db
      .insertInto('chaves_passe')
      .values({ id, key_hash: sha256Hex(id), session_id: sessionId, cliente_id: clienteId, instancia: 1, funcionalidade_id: funcionalidadeId, sistema_selado: 'selado', created_at: NOW - 60_000, expires_at: times.expiresAt, revoked_at: times.revokedAt ?? null })
      .execute();
    return id;
  }
  async function recuperacao(expiresAt: number, concluidoEm: number | null = null): Promise<string> {
    const id = newId('recuperacao');
    await createRecuperacaoRepo(db).insert({ id, clienteId, instancia: 1, estadoSelado: 'selado', contatoEscolhido: null, codigoHash: null, codigoExpiresAt: null, tentativas: 0, verificadoEm: null, concluidoEm, createdAt: NOW - HOUR, expiresAt });
    return id;
  }
  const idsIn = async (table: 'app_sessions' | 'chaves_passe' | 'recuperacoes' | 'painel_sessions', ids: string[]) =>
    (await db.selectFrom(table).select('id').where('id', 'in', ids).execute()).map((r) => r.id).sort();
  /** Calls `purge` until a batch comes back short; returns every batch's count. */
  async function drain(purge: (now: number, batchSize: number) => Promise<number>, batchSize: number): Promise<number[]> {
    const batches: number[] = [];
    for (;;) {
      const count = await purge(NOW, batchSize);
      batches.push(count);
      if (count < batchSize) return batches;
    }
  }

  it('app sessions: revoked and expired (idle, absolute, at exactly now) go in bounded batches; live ones stay', async () => {
    const gone = [
      await session({ idleExpiresAt: NOW + HOUR, revokedAt: NOW - HOUR }),
      await session({ idleExpiresAt: NOW - 1 }),
      await session({ idleExpiresAt: NOW }),
      await session({ idleExpiresAt: NOW - 2 * HOUR, expiresAt: NOW - HOUR }),
      await session({ idleExpiresAt: NOW - 5 * HOUR, revokedAt: NOW - 6 * HOUR }),
    ];
    const kept = [await session({ idleExpiresAt: NOW + 1 }), await session({ idleExpiresAt: NOW + HOUR, expiresAt: NOW + 30 * 24 * HOUR })];
    const repo = createAppSessionsRepo(db);

    expect(await drain((now, n) => repo.deleteExpired(now, n), 2)).toEqual([2, 2, 1]);
    expect(await idsIn('app_sessions', gone)).toEqual([]);
    expect(await idsIn('app_sessions', kept)).toEqual([...kept].sort());
    expect(await repo.deleteExpired(NOW, 2)).toBe(0);
  });

  it('chaves passe: revoked and expired go; a live key stays; a purged session takes its keys along', async () => {
    const live = await session({ idleExpiresAt: NOW + HOUR });
    const gone = [
      await chave(live, { expiresAt: NOW - 1 }),
      await chave(live, { expiresAt: NOW }),
      await chave(live, { expiresAt: NOW + 60_000, revokedAt: NOW - 1_000 }),
    ];
    const kept = await chave(live, { expiresAt: NOW + 1 });
    const repo = createChavePasseRepo(db);

    expect(await drain((now, n) => repo.deleteExpired(now, n), 2)).toEqual([2, 1]);
    expect(await idsIn('chaves_passe', gone)).toEqual([]);
    expect(await idsIn('chaves_passe', [kept])).toEqual([kept]);

    // ON DELETE CASCADE: deleting an ended session neither fails on its keys nor orphans them.
    const ended = await session({ idleExpiresAt: NOW - 1 });
    const orphanCandidate = await chave(ended, { expiresAt: NOW + 60_000 });
    expect(await createAppSessionsRepo(db).deleteExpired(NOW, 10)).toBe(1);
    expect(await idsIn('chaves_passe', [orphanCandidate, kept])).toEqual([kept]);
  });

  it('recuperações: gone once expired, concluded or not; a live flow stays, concluded too', async () => {
    const gone = [await recuperacao(NOW - HOUR), await recuperacao(NOW), await recuperacao(NOW - 1, NOW - HOUR)];
    const kept = [await recuperacao(NOW + 1), await recuperacao(NOW + HOUR, NOW - 1_000)];
    const repo = createRecuperacaoRepo(db);

    expect(await drain((now, n) => repo.deleteExpired(now, n), 2)).toEqual([2, 1]);
    expect(await idsIn('recuperacoes', gone)).toEqual([]);
    expect(await idsIn('recuperacoes', kept)).toEqual([...kept].sort());
  });

  it('painel sessions: idle- or absolutely-expired go in bounded batches; live ones stay', async () => {
    const repo = createPainelSessionsRepo(db);
    const insert = async (idleExpiresAt: number, expiresAt: number) => {
      const id = newId('painelSession');
      await repo.insert({ id, tokenHash: sha256Hex(id), userId, now: NOW - HOUR, idleExpiresAt, expiresAt });
      return id;
    };
    const gone = [await insert(NOW - 1, NOW + HOUR), await insert(NOW + HOUR, NOW), await insert(NOW, NOW)];
    const kept = [await insert(NOW + 1, NOW + HOUR)];

    expect(await drain((now, n) => repo.deleteExpired(now, n), 2)).toEqual([2, 1]);
    expect(await idsIn('painel_sessions', gone)).toEqual([]);
    expect(await idsIn('painel_sessions', kept)).toEqual(kept);
  });

  it('nodes purging at the same time delete every row once: the counts add up to the rows gone', async () => {
    const ids = await Promise.all(Array.from({ length: 40 }, (_, i) => session({ idleExpiresAt: NOW - i - 1 })));
    const repo = createAppSessionsRepo(db);
    // On PostgreSQL the four run on separate pooled connections: truly concurrent statements.
    const counts = await Promise.all(Array.from({ length: 4 }, () => drain((now, n) => repo.deleteExpired(now, n), 5)));
    // A node whose batch came back short stops for this run even if others left rows: the next run takes them.
    const leftover = await drain((now, n) => repo.deleteExpired(now, n), 100);
    expect(counts.flat().reduce((a, b) => a + b, 0) + leftover[0]!).toBe(40);
    expect(await idsIn('app_sessions', ids)).toEqual([]);
  });
});

describe.each(databaseKinds())('retention through the app on %s', (kind) => {
  const [ana, carlos, lucas, rosa, helena] = seedPeople.slice(0, 5) as [SeedPerson, SeedPerson, SeedPerson, SeedPerson, SeedPerson];
  const sistema = { plataforma: 'android', versaoApp: '3.2.1', dispositivo: null, idioma: 'pt-BR', geolocalizacao: null };
  const clock = manualClock(Date.now());
  let database: TestDatabase;
  let t: TestApp;
  let sim: OperatorSimulator;

  beforeAll(async () => {
    // The operator shares the clock: its grupo JWTs and sessions must not look 12 h old to Ponte.
    sim = await createOperatorSimulator({ port: 0, clock });
    database = await openTestDatabase(kind);
    // The app's own job first runs 30 s after start: not during this test.
    t = await createTestApp({ database, clock, env: { PONTE_RETENTION_INTERVAL_SECONDS: '86400' } });
  });
  afterAll(async () => {
    await t?.close();
    await database?.dispose();
    await sim?.close();
  });

  it('deletes what ended in all four tables, in batches, counts it in /metrics, and a live session and its chave passe keep working', async () => {
    const op = await operadoraAt(t, sim);
    const funcionalidade = await t.app.inject({
      method: 'POST',
      url: `/painel/api/clientes/${op.clienteId}/instancias/1/funcionalidades`,
      headers: op.painel,
      payload: { nome: 'Carteirinha', url: 'https://webview.operadora.example/carteirinha', validadeMinutos: 5 },
    });
    expect(funcionalidade.statusCode, funcionalidade.body).toBe(201);
    const chaveFuncionalidade = funcionalidade.json().chaveFuncionalidade as string;
    const token = (await createClientToken(t, op.clienteId, ['chavePasse'])).plaintext;
    const app = appClient(t, op.appId);
    const bearer = (session: string) => ({ 'x-app-id': op.appId, authorization: `Bearer ${session}` });
    const login = async (person: SeedPerson) => {
      const response = await app.login({ login: person.cpf, senha: person.senha });
      expect(response.statusCode, response.body).toBe(201);
      return response.json().token as string;
    };
    const abrir = async (session: string) => {
      const response = await t.app.inject({ method: 'POST', url: `/app/v1/funcionalidades/${chaveFuncionalidade}/abrir`, headers: bearer(session), payload: { sistema } });
      expect(response.statusCode, response.body).toBe(200);
      return new URL(response.json().url as string).searchParams.get('chavePasse')!;
    };
    const identificar = async (person: SeedPerson) => {
      const response = await app.identificar(identificationOf(person));
      expect(response.statusCode, response.body).toBe(201);
      return response.json().id as string;
    };
    const dados = (chavePasse: string) =>
      t.app.inject({ method: 'GET', url: `/clientes/chavePasse/usuario?${new URLSearchParams({ instanciaApp: '1', chavePasse, chaveFuncionalidade })}`, headers: { authorization: token } });
    const sessionIds = async (tokens: string[]) =>
      (await database.db.selectFrom('app_sessions').select('id').where('token_hash', 'in', tokens.map(sha256Hex)).execute()).map((r) => r.id);
    const chaveIds = async (keys: string[]) => (await database.db.selectFrom('chaves_passe').select('id').where('key_hash', 'in', keys.map(sha256Hex)).execute()).map((r) => r.id);
    const painelSessions = async () => (await database.db.selectFrom('painel_sessions').select('id').execute()).map((r) => r.id).sort();

    // Before: sessions that will idle out with their keys, one logged out (session and key
    // revoked), recovery flows that will expire, painel sessions that will idle out.
    const idle = [await login(ana), await login(carlos)];
    const idleKeys = [await abrir(idle[0]!), await abrir(idle[1]!)];
    const loggedOut = await login(lucas);
    const loggedOutKey = await abrir(loggedOut);
    const logout = await t.app.inject({ method: 'DELETE', url: '/app/v1/sessoes/atual', headers: bearer(loggedOut) });
    expect(logout.statusCode, logout.body).toBe(204);
    const oldFlows = [await identificar(rosa), await identificar(helena), await identificar(ana)];
    await loginAs(t, { clienteId: op.clienteId, role: 'leitor' });
    const oldPainel = await painelSessions();
    expect(oldPainel.length).toBeGreaterThanOrEqual(2);

    // Past the app's idle limit (12 h), and so the painel's (2 h) and a recovery flow's (30 min).
    expect(recuperacaoPolicy.flowMs).toBeLessThan(appSessionPolicy.idleMs);
    clock.advance(appSessionPolicy.idleMs);

    // After: what must survive.
    const live = await login(rosa);
    const liveKey = await abrir(live);
    const liveFlow = await identificar(carlos);
    const painelNow = await loginAs(t, { platformAdmin: true });
    const livePainel = (await painelSessions()).filter((id) => !oldPainel.includes(id));
    const ended = { sessions: await sessionIds([...idle, loggedOut]), keys: await chaveIds([...idleKeys, loggedOutKey]) };
    expect(ended.sessions).toHaveLength(3);
    expect(ended.keys).toHaveLength(3);

    const batches: Record<string, number[]> = {};
    const tasks = retentionTasks({ db: t.database.db, logCenter: t.services.logCenter }).map((task) => ({
      name: task.name,
      purge: async (now: number, batchSize: number) => {
        const count = await task.purge(now, batchSize);
        (batches[task.name] ??= []).push(count);
        return count;
      },
    }));
    const job = startRetentionJob({ tasks, intervalMs: HOUR, firstRunDelayMs: HOUR, batchSize: 2, logger: silent, metrics: t.services.metrics, clock });
    await job.runOnce();
    await job.stop();

    // Gone: every ended row, in batches of at most 2.
    expect(await sessionIds([...idle, loggedOut])).toEqual([]);
    expect(await chaveIds([...idleKeys, loggedOutKey])).toEqual([]);
    expect(await database.db.selectFrom('recuperacoes').select('id').where('id', 'in', oldFlows).execute()).toEqual([]);
    expect((await painelSessions()).filter((id) => oldPainel.includes(id))).toEqual([]);
    for (const [name, counts] of Object.entries(batches)) expect({ name, tooBig: counts.filter((n) => n > 2) }).toEqual({ name, tooBig: [] });
    expect(batches.app_sessions!.length).toBeGreaterThan(1);

    const metrics = await t.app.inject({ url: '/metrics' });
    const counted = Object.fromEntries([...metrics.body.matchAll(/^ponte_retention_purged_rows_total\{tabela="(\w+)"\} (\d+)$/gm)].map((m) => [m[1], Number(m[2])]));
    expect(counted).toEqual({ chaves_passe: 3, app_sessions: 3, recuperacoes: 3, painel_sessions: oldPainel.length });

    // Kept, and still working: the live session, its chave passe, the open flow, the painel session.
    expect(await sessionIds([live])).toHaveLength(1);
    expect((await t.app.inject({ method: 'GET', url: '/app/v1/sessoes/atual', headers: bearer(live) })).statusCode).toBe(200);
    const data = await dados(liveKey);
    expect(data.statusCode, data.body).toBe(200);
    expect(data.json().data).toMatchObject({ chaveUnica: rosa.cpf });
    expect(await database.db.selectFrom('recuperacoes').select('id').where('id', '=', liveFlow).execute()).toEqual([{ id: liveFlow }]);
    expect((await t.app.inject({ method: 'GET', url: '/painel/api/auth/sessao', headers: { cookie: painelNow.cookieHeader } })).statusCode).toBe(200);
    expect(await painelSessions()).toEqual(livePainel);
  });
});

describe('the app runs the job on PONTE_RETENTION_INTERVAL_SECONDS', () => {
  it('defaults to 600 s and refuses what is not a whole number of seconds from 1 to 86 400', () => {
    expect(loadConfig({}).retentionIntervalSeconds).toBe(600);
    expect(loadConfig({ PONTE_RETENTION_INTERVAL_SECONDS: '60' }).retentionIntervalSeconds).toBe(60);
    for (const bad of ['0', '86401', '1.5', 'hora']) expect(() => loadConfig({ PONTE_RETENTION_INTERVAL_SECONDS: bad })).toThrow(ConfigError);
  });

  it('buildApp starts it (first run within the interval) and app.close stops it', async () => {
    const clock = manualClock(NOW);
    const t = await createTestApp({ clock, env: { PONTE_RETENTION_INTERVAL_SECONDS: '1' } });
    try {
      const clienteId = (await t.services.clientes.create({ nome: 'Operadora' })).id;
      const id = newId('recuperacao');
      await createRecuperacaoRepo(t.database.db).insert({ id, clienteId, instancia: 1, estadoSelado: 'selado', contatoEscolhido: null, codigoHash: null, codigoExpiresAt: null, tentativas: 0, verificadoEm: null, concluidoEm: null, createdAt: NOW - HOUR, expiresAt: NOW - 1 });
      await vi.waitFor(async () => expect(await t.database.db.selectFrom('recuperacoes').select('id').where('id', '=', id).execute()).toEqual([]), { timeout: 5000, interval: 50 });
      expect(await purgedRows(t.services.metrics)).toMatchObject({ recuperacoes: 1 });
    } finally {
      await t.close();
    }
  });
});
