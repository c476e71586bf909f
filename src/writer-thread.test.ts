import { randomBytes } from 'node:crypto';
import { renameSync } from 'node:fs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { databaseKinds, openTestDatabase, openTestKv, type TestDatabase } from '../test/support/infrastructure.ts';
import { createTestApp } from '../test/support/test-app.ts';
import { createAuditService } from './modules/audit/audit.service.ts';
import { createClientesService } from './modules/clientes/clientes.service.ts';
import type { OutboundCallRecord } from './modules/log-center/log-center.types.ts';
import { createLogCenterWriter } from './modules/log-center/log-center.writer.ts';
import { systemClock } from './platform/clock.ts';
import type { AppSessionsTable } from './platform/db/schema.ts';
import { randomKeyring } from './platform/keyring.ts';
import { createLogger } from './platform/logger.ts';
import { createOperatorSimulator, type OperatorSimulator } from './simulator/simulator.ts';
import { seedPeople } from './simulator/seed-data.ts';
import { createWriterThread } from './writer-thread.ts';
import { createRepositories } from './repositories.ts';

/**
 * The writer thread (writer-thread.ts): the central de logs and, on SQLite, new app sessions and
 * the WAL checkpoints are written by a thread with its own connection. Whatever it holds is written
 * before `close` resolves; when it dies, what it held is counted (log entries) or fails as an outage
 * (inserts), the request connection checkpoints again, and a new thread takes over.
 */
const logger = createLogger({ logLevel: 'silent', nodeEnv: 'test' });
const hashKey = randomBytes(32);
const CPF = '52998224725';

function entry(clienteId: string, correlationId: string, bodyText = JSON.stringify({ usuarioLogado: { login: CPF } })): OutboundCallRecord {
  return {
    clienteId,
    instancia: 1,
    operacao: 'login',
    url: 'https://operadora.example/api/login',
    requestHeaders: { 'content-type': 'application/json', 'x-grupo': 'segredo-do-grupo' },
    requestBody: { login: CPF, senha: 'senha-secreta-123' },
    result: { kind: 'response', status: 200, statusText: 'OK', headers: { 'set-cookie': 'x' }, bodyText, latencyMs: 12 },
    violations: [],
    outcome: 'sucesso',
    chaveUsuario: CPF,
    correlationId,
    at: Date.now(),
  };
}

describe.each(databaseKinds())('writer thread on %s', (kind) => {
  let database: TestDatabase;
  let clienteId: string;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    clienteId = (await createClientesService({ db: database.db, repos: createRepositories(database.db), clock: systemClock, audit: createAuditService({ repos: createRepositories(database.db), clock: systemClock }) }).create({ nome: 'Operadora Thread' })).id;
  });
  afterAll(async () => {
    await database.dispose();
  });

  const rowsOf = (correlationId: string) => database.db.selectFrom('outbound_logs').selectAll().where('correlation_id', '=', correlationId).execute();
  const autocheckpoint = async () => Number(Object.values((await sql`pragma wal_autocheckpoint`.execute(database.db)).rows[0] as object)[0]);

  function setUp() {
    const dropped: number[] = [];
    const checkpointing: boolean[] = [];
    const thread = createWriterThread({
      connection: database.connection!,
      db: database.db,
      hashKey,
      clock: systemClock,
      logger,
      restartDelayMs: 0,
      onCheckpointing: (active) => {
        checkpointing.push(active);
        database.checkpointOnCommit(!active);
      },
    });
    const writer = createLogCenterWriter({
      sink: thread.logSink,
      clock: systemClock,
      logger,
      flushIntervalMs: 60_000,
      onDropped: (n) => dropped.push(n),
    });
    const close = async () => {
      await writer.close();
      await thread.close();
    };
    return { thread, writer, dropped, checkpointing, close, totalDropped: () => dropped.reduce((a, b) => a + b, 0) };
  }

  it('the thread redacts and writes every entry; closing writes everything recorded before it', async () => {
    const { writer, close, totalDropped } = setUp();
    const tag = `req_${randomBytes(4).toString('hex')}`;
    for (let i = 0; i < 250; i += 1) writer.record(entry(clienteId, tag));
    await close();
    const rows = await rowsOf(tag);
    expect(rows).toHaveLength(250);
    expect(rows[0]).toMatchObject({
      request_headers_json: JSON.stringify({ 'content-type': 'application/json', 'x-grupo': '***' }),
      request_body_json: JSON.stringify({ login: '***********', senha: '***' }),
      response_body: JSON.stringify({ usuarioLogado: { login: '***********' } }),
      chave_usuario_mascarada: '529***',
    });
    expect(JSON.stringify(rows)).not.toContain(CPF);
    expect(totalDropped()).toBe(0);
  });

  it('an entry that cannot cross to the thread still leaves a partial row, without its content', async () => {
    const { writer, close, totalDropped } = setUp();
    const tag = `req_${randomBytes(4).toString('hex')}`;
    writer.record({ ...entry(clienteId, tag), requestBody: { senha: () => 'uma função não atravessa' } });
    writer.record(entry(clienteId, tag));
    await close();
    const rows = await rowsOf(tag);
    expect(rows.map((row) => row.request_body_json)).toEqual(expect.arrayContaining([JSON.stringify({ login: '***********', senha: '***' }), null]));
    expect(rows).toHaveLength(2);
    expect(totalDropped()).toBe(0);
  });

  it('a thread that dies costs the entries it held, counted, never an exception', async () => {
    // The thread's connection cannot open (an SQLite file that is not there, a PostgreSQL port
    // nobody listens on): it dies at start holding the batch.
    const base = database.connection!;
    const connection = base.kind === 'sqlite' ? { ...base, file: `${base.file}.inexistente` } : { ...base, url: base.url.replace(/:\d+\//, ':1/') };
    const dropped: number[] = [];
    const thread = createWriterThread({ connection, db: database.db, hashKey, clock: systemClock, logger, restartDelayMs: 0 });
    const writer = createLogCenterWriter({ sink: thread.logSink, clock: systemClock, logger, flushIntervalMs: 60_000, onDropped: (n) => dropped.push(n) });
    for (let i = 0; i < 3; i += 1) writer.record(entry(clienteId, 'req_perdido'));
    await expect(writer.flush()).resolves.toBeUndefined();
    expect(dropped).toEqual([3]);
    await writer.close();
    await thread.close();
  });

  it.runIf(kind === 'sqlite')('after a thread died, the next batch starts a new one, which writes it', async () => {
    const base = database.connection!;
    const file = base.kind === 'sqlite' ? base.file : '';
    // The database is away (moved aside) when the first thread starts, and back for the next one.
    const aside = `${file}.fora`;
    const dropped: number[] = [];
    const thread = createWriterThread({ connection: base, db: database.db, hashKey, clock: systemClock, logger, restartDelayMs: 0 });
    const writer = createLogCenterWriter({ sink: thread.logSink, clock: systemClock, logger, flushIntervalMs: 60_000, onDropped: (n) => dropped.push(n) });
    const tag = `req_${randomBytes(4).toString('hex')}`;
    renameSync(file, aside);
    try {
      writer.record(entry(clienteId, tag));
      await writer.flush();
    } finally {
      renameSync(aside, file);
    }
    expect(dropped).toEqual([1]);
    writer.record(entry(clienteId, tag));
    await writer.flush();
    expect(await rowsOf(tag)).toHaveLength(1);
    await writer.close();
    await thread.close();
  });

  it.runIf(kind === 'sqlite')('takes over the WAL checkpoints while it runs; the request connection does them again once it stops', async () => {
    const { writer, close, checkpointing } = setUp();
    expect(await autocheckpoint()).toBe(1000);
    writer.record(entry(clienteId, `req_${randomBytes(4).toString('hex')}`));
    await writer.flush();
    expect(checkpointing).toEqual([true]);
    expect(await autocheckpoint()).toBe(0);
    await close();
    expect(checkpointing).toEqual([true, false]);
    expect(await autocheckpoint()).toBe(1000);
  });

  it.runIf(kind === 'sqlite')('inserts are committed before they resolve, together; a bad row fails only its own caller', async () => {
    const { thread, writer, close } = setUp();
    // The thread starts with the first write and takes inserts once it is up.
    writer.record(entry(clienteId, `req_${randomBytes(4).toString('hex')}`));
    await writer.flush();
    const now = Date.now();
    const session = (cliente: string): AppSessionsTable => ({
      id: `asn_${randomBytes(12).toString('hex')}`,
      token_hash: randomBytes(32).toString('hex'),
      cliente_id: cliente,
      instancia: 1,
      chave_unica_hash: randomBytes(32).toString('hex'),
      perfil_selado: 'selado',
      seguranca_selada: null,
      created_at: now,
      last_seen_at: now,
      idle_expires_at: now + 60_000,
      expires_at: now + 120_000,
      revoked_at: null,
    });
    const good = Array.from({ length: 20 }, () => session(clienteId));
    const bad = session('cli_inexistente');
    const results = await Promise.allSettled([...good.slice(0, 10), bad, ...good.slice(10)].map((row) => thread.insert('app_sessions', row)));
    expect(results.filter((r) => r.status === 'rejected').map((r) => ((r as PromiseRejectedResult).reason as { code?: string }).code)).toEqual(['SQLITE_CONSTRAINT_FOREIGNKEY']);
    const stored = await database.db.selectFrom('app_sessions').select('id').where('id', 'in', [...good, bad].map((row) => row.id)).execute();
    expect(stored.map((row) => row.id).sort()).toEqual(good.map((row) => row.id).sort());
    await close();
  });
});

describe('writer thread in a whole app', () => {
  let sim: OperatorSimulator;
  beforeAll(async () => {
    sim = await createOperatorSimulator({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await sim.close();
  });

  it('logins answered 201 have their session stored, and closing the app writes every central de logs entry', async () => {
    const database = await openTestDatabase();
    const kv = openTestKv();
    const t = await createTestApp({ database, kv, keyring: randomKeyring(), env: { PONTE_APP_LOGIN_MAX_PER_IP: '1000', PONTE_APP_LOGIN_MAX_PER_IDENTIFIER: '1000' } });
    try {
      const cliente = await t.services.clientes.create({ nome: 'Operadora Fechamento' });
      const actor = { userId: null, label: 'teste' };
      const grupo = await t.services.grupos.create({ clienteId: cliente.id, instancia: 1, nome: 'Grupo', url: `${sim.url}/autorizacao`, usuario: 'demo', senha: 'demo', actor });
      await t.services.integracoes.save({ clienteId: cliente.id, instancia: 1, baseUrl: sim.url, grupoId: grupo.id, metodos: {}, headers: [], actor });
      const appId = cliente.instancias.find((i) => i.numero === 1)!.appId;
      const ana = seedPeople[0]!;
      const logins = await Promise.all(
        Array.from({ length: 30 }, () => t.app.inject({ method: 'POST', url: '/app/v1/sessoes', headers: { 'x-app-id': appId }, payload: { campos: { login: ana.cpf, senha: ana.senha } } })),
      );
      expect(logins.map((r) => r.statusCode)).toEqual(Array(30).fill(201));
      const sessions = await database.db.selectFrom('app_sessions').select('id').where('cliente_id', '=', cliente.id).execute();
      expect(sessions).toHaveLength(30);
      await t.close();
      // The grupo's live check and first fetch, then the 30 logins: every entry written, none dropped.
      const logged = await database.db.selectFrom('outbound_logs').select('operacao').where('cliente_id', '=', cliente.id).where('operacao', '=', 'login').execute();
      expect(logged).toHaveLength(30);
      const metrics = await t.services.metrics.registry.getSingleMetricAsString('ponte_log_center_dropped_total');
      expect(metrics).toMatch(/ponte_log_center_dropped_total 0/);
    } finally {
      await kv.close();
      await database.dispose();
    }
  });

  it('closing waits for operator calls still in flight: their entries are written, none dropped', async () => {
    const database = await openTestDatabase();
    const kv = openTestKv();
    const t = await createTestApp({ database, kv, keyring: randomKeyring() });
    try {
      const cliente = await t.services.clientes.create({ nome: 'Operadora Lenta' });
      const actor = { userId: null, label: 'teste' };
      const grupo = await t.services.grupos.create({ clienteId: cliente.id, instancia: 1, nome: 'Grupo', url: `${sim.url}/autorizacao`, usuario: 'demo', senha: 'demo', actor });
      await t.services.integracoes.save({ clienteId: cliente.id, instancia: 1, baseUrl: sim.url, grupoId: grupo.id, metodos: {}, headers: [], actor });
      const ana = seedPeople[0]!;
      sim.setFault('latency:400', { methods: ['login'] });
      const before = sim.calls().login.count;
      const call = t.services.outbound.call({ clienteId: cliente.id, instancia: 1, method: 'login', body: { login: ana.cpf, senha: ana.senha }, correlationId: 'req_em_voo' });
      // The operator has the request (and answers after its latency) when the app starts closing.
      await vi.waitFor(() => expect(sim.calls().login.count).toBe(before + 1), { timeout: 10_000, interval: 10 });
      await t.close();
      expect((await call).kind).toBe('sucesso');
      const logged = await database.db.selectFrom('outbound_logs').select('operacao').where('correlation_id', '=', 'req_em_voo').execute();
      expect(logged).toEqual([{ operacao: 'login' }]);
      expect(await t.services.metrics.registry.getSingleMetricAsString('ponte_log_center_dropped_total')).toMatch(/ponte_log_center_dropped_total 0/);
    } finally {
      sim.setFault(null);
      await kv.close();
      await database.dispose();
    }
  });

  it('a session sealed by this version keeps only what later requests read', async () => {
    const t = await createTestApp();
    try {
      const cliente = await t.services.clientes.create({ nome: 'Operadora Perfil' });
      const actor = { userId: null, label: 'teste' };
      const ana = seedPeople[0]!;
      const app = { clienteId: cliente.id, clienteNome: cliente.nome, instancia: 1 as const };
      const grupo = await t.services.grupos.create({ clienteId: cliente.id, instancia: 1, nome: 'Grupo', url: `${sim.url}/autorizacao`, usuario: 'demo', senha: 'demo', actor });
      await t.services.integracoes.save({ clienteId: cliente.id, instancia: 1, baseUrl: sim.url, grupoId: grupo.id, metodos: {}, headers: [], actor });
      const login = await t.services.sessions.login({ app, campos: { login: ana.cpf, senha: ana.senha }, ip: '127.0.0.1', correlationId: 'req_perfil' });
      const session = await t.services.sessions.resolve(login.token);
      expect(Object.keys(session!.login).sort()).toEqual(['beneficiarios', 'contratos', 'usuarioLogado']);
      expect(Object.keys(session!.login.usuarioLogado).sort()).toEqual(['chaveUnica', 'esquemaCor', 'integracao', 'login', 'nome']);
      for (const b of session!.login.beneficiarios ?? []) expect(Object.keys(b.dadosPessoais).sort()).toEqual(['dataNascimento', 'nome']);
      const serialized = JSON.stringify(session!.login);
      expect(serialized).not.toContain(ana.email);
      expect(serialized).not.toContain('cartao');
      expect(session!.seguranca.length).toBeGreaterThan(0);
    } finally {
      await t.close();
    }
  });
});
