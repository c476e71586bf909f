import { createAuditService } from '../audit/audit.service.ts';
import { randomBytes } from 'node:crypto';
import { InsertQueryNode, ValuesNode, type KyselyPlugin } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { databaseKinds, openTestDatabase, type TestDatabase } from '../../../test/support/infrastructure.ts';
import { systemClock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/schema.ts';
import { createLogger } from '../../platform/logger.ts';
import { createClientesService } from '../clientes/clientes.service.ts';
import { PARTIAL_ROW_NOTE } from './log-center.redaction.ts';
import { createLogCenterWriter, type LogCenterWriterOptions } from './log-center.writer.ts';
import type { OutboundCallRecord } from './log-center.types.ts';
import { createRepositories } from '../../repositories.ts';

const logger = createLogger({ logLevel: 'silent', nodeEnv: 'test' });
const hashKey = randomBytes(32);
const CPF = '52998224725';

function entry(clienteId: string, overrides: Partial<OutboundCallRecord> = {}): OutboundCallRecord {
  return {
    clienteId,
    instancia: 1,
    operacao: 'login',
    url: 'https://operadora.example/api/login?token=abc',
    requestHeaders: { 'content-type': 'application/json', 'x-grupo': 'segredo-do-grupo' },
    requestBody: { login: CPF, senha: 'senha-secreta-123' },
    result: { kind: 'response', status: 200, statusText: 'OK', headers: {}, bodyText: JSON.stringify({ usuarioLogado: { login: CPF } }), latencyMs: 12 },
    violations: [],
    outcome: 'sucesso',
    chaveUsuario: CPF,
    correlationId: 'req_1',
    at: Date.now(),
    ...overrides,
  };
}

/** Counts INSERT statements and the rows each carried, as the database receives them. */
function countingInserts(db: Db) {
  const inserts: number[] = [];
  const plugin: KyselyPlugin = {
    transformQuery(args) {
      if (InsertQueryNode.is(args.node)) {
        const values = args.node.values;
        inserts.push(values && ValuesNode.is(values) ? values.values.length : -1);
      }
      return args.node;
    },
    async transformResult(args) {
      return args.result;
    },
  };
  return { db: db.withPlugin(plugin), inserts };
}

describe.each(databaseKinds())('log center writer on %s', (kind) => {
  let database: TestDatabase;
  let clienteId: string;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    clienteId = (await createClientesService({ db: database.db, repos: createRepositories(database.db), clock: systemClock, audit: createAuditService({ repos: createRepositories(database.db), clock: systemClock }) }).create({ nome: 'Operadora Logs' })).id;
  });
  afterAll(async () => {
    await database.dispose();
  });

  const rowsOf = (correlationId: string) => database.db.selectFrom('outbound_logs').selectAll().where('correlation_id', '=', correlationId).execute();

  function writer(options: Partial<LogCenterWriterOptions> = {}) {
    const dropped: number[] = [];
    const instance = createLogCenterWriter({
      db: database.db,
      clock: systemClock,
      logger,
      hashKey,
      flushIntervalMs: 60_000,
      onDropped: (n) => dropped.push(n),
      ...options,
    });
    return { writer: instance, dropped, totalDropped: () => dropped.reduce((a, b) => a + b, 0) };
  }

  it('record returns at once without writing; flush writes the redacted row', async () => {
    const { writer: w } = writer();
    const tag = `req_${randomBytes(4).toString('hex')}`;
    expect(w.record(entry(clienteId, { correlationId: tag }))).toBeUndefined();
    expect(await rowsOf(tag)).toHaveLength(0);
    await w.flush();
    const [row] = await rowsOf(tag);
    expect(row).toMatchObject({
      cliente_id: clienteId,
      url: 'https://operadora.example/api/login',
      request_headers_json: JSON.stringify({ 'content-type': 'application/json', 'x-grupo': '***' }),
      request_body_json: JSON.stringify({ login: '***********', senha: '***' }),
      status: 200,
      response_body: JSON.stringify({ usuarioLogado: { login: '***********' } }),
      chave_usuario_mascarada: '529***',
    });
    expect(row!.id).toMatch(/^log_[0-9a-f]{24}$/);
    expect(JSON.stringify(row)).not.toContain(CPF);
    await w.close();
  });

  it('writes one multi-row INSERT per batch', async () => {
    const counting = countingInserts(database.db);
    const { writer: w } = writer({ db: counting.db, batchSize: 100 });
    const tag = `req_${randomBytes(4).toString('hex')}`;
    for (let i = 0; i < 250; i += 1) w.record(entry(clienteId, { correlationId: tag }));
    await w.flush();
    expect(counting.inserts).toEqual([100, 100, 50]);
    expect(await rowsOf(tag)).toHaveLength(250);
    await w.close();
  });

  it('the timer flushes what was recorded without anyone asking', async () => {
    const { writer: w } = writer({ flushIntervalMs: 20 });
    const tag = `req_${randomBytes(4).toString('hex')}`;
    w.record(entry(clienteId, { correlationId: tag }));
    await vi.waitFor(async () => expect(await rowsOf(tag)).toHaveLength(1), { timeout: 5000, interval: 20 });
    await w.close();
  });

  it('a full batch is written without waiting for the timer', async () => {
    const { writer: w } = writer({ batchSize: 5 });
    const tag = `req_${randomBytes(4).toString('hex')}`;
    for (let i = 0; i < 5; i += 1) w.record(entry(clienteId, { correlationId: tag }));
    await vi.waitFor(async () => expect(await rowsOf(tag)).toHaveLength(5), { timeout: 5000, interval: 20 });
    await w.close();
  });

  it('drops and counts what exceeds maxQueued, at the moment it is recorded', async () => {
    const { writer: w, dropped } = writer({ maxQueued: 3 });
    const tag = `req_${randomBytes(4).toString('hex')}`;
    for (let i = 0; i < 5; i += 1) w.record(entry(clienteId, { correlationId: tag }));
    expect(dropped).toEqual([1, 1]);
    await w.flush();
    expect(await rowsOf(tag)).toHaveLength(3);
    await w.close();
  });

  it('drops and counts what exceeds maxQueuedBytes of waiting response bodies', async () => {
    const { writer: w, dropped } = writer({ maxQueuedBytes: 1000 });
    const tag = `req_${randomBytes(4).toString('hex')}`;
    const big = (n: number) => entry(clienteId, { correlationId: tag, result: { kind: 'response', status: 200, statusText: 'OK', headers: {}, bodyText: 'x'.repeat(n), latencyMs: 1 } });
    w.record(big(600));
    w.record(big(600));
    w.record(big(300));
    expect(dropped).toEqual([1]);
    await w.flush();
    expect(await rowsOf(tag)).toHaveLength(2);
    await w.close();
  });

  it('a body that cannot be redacted still leaves a partial row, without its content', async () => {
    const { writer: w, dropped } = writer();
    const tag = `req_${randomBytes(4).toString('hex')}`;
    const weird = {
      get senha(): string {
        throw new Error('getter that fails');
      },
    };
    expect(() => w.record(entry(clienteId, { correlationId: tag, requestBody: weird, outcome: 'recusado_pela_operadora' }))).not.toThrow();
    await w.flush();
    const [row] = await rowsOf(tag);
    expect(row).toMatchObject({
      cliente_id: clienteId,
      operacao: 'login',
      resultado: 'recusado_pela_operadora',
      status: 200,
      request_body_json: null,
      request_headers_json: '{}',
      response_body: PARTIAL_ROW_NOTE,
      chave_usuario_hash: null,
    });
    expect(dropped).toEqual([]);
    await w.close();
  });

  it('one row the database refuses does not take its batch with it; it is counted and the writer goes on', async () => {
    const { writer: w, dropped } = writer();
    const tag = `req_${randomBytes(4).toString('hex')}`;
    w.record(entry(clienteId, { correlationId: tag }));
    w.record(entry('cli_inexistente', { correlationId: tag }));
    w.record(entry(clienteId, { correlationId: tag }));
    await w.flush();
    expect(await rowsOf(tag)).toHaveLength(2);
    expect(dropped).toEqual([1]);
    w.record(entry(clienteId, { correlationId: tag }));
    await w.flush();
    expect(await rowsOf(tag)).toHaveLength(3);
    await w.close();
  });

  it('nonsense handed to record never throws; it is counted as dropped', async () => {
    const { writer: w, totalDropped } = writer();
    expect(() => w.record(null as never)).not.toThrow();
    expect(() => w.record(undefined as never)).not.toThrow();
    await w.flush();
    expect(totalDropped()).toBe(2);
    await w.close();
  });

  it('a database that is gone costs the entries, counted, and never an exception', async () => {
    const doomed = await openTestDatabase(kind);
    const cliente = await createClientesService({ db: doomed.db, repos: createRepositories(doomed.db), clock: systemClock, audit: createAuditService({ repos: createRepositories(doomed.db), clock: systemClock }) }).create({ nome: 'Operadora Efêmera' });
    const dropped: number[] = [];
    const w = createLogCenterWriter({ db: doomed.db, clock: systemClock, logger, hashKey, flushIntervalMs: 60_000, onDropped: (n) => dropped.push(n) });
    await doomed.dispose();
    for (let i = 0; i < 3; i += 1) w.record(entry(cliente.id));
    await expect(w.flush()).resolves.toBeUndefined();
    expect(dropped.reduce((a, b) => a + b, 0)).toBe(3);
    await w.close();
  });

  it('close drains the queue; what arrives afterwards is dropped and counted', async () => {
    const { writer: w, dropped } = writer();
    const tag = `req_${randomBytes(4).toString('hex')}`;
    w.record(entry(clienteId, { correlationId: tag }));
    w.record(entry(clienteId, { correlationId: tag }));
    await w.close();
    expect(await rowsOf(tag)).toHaveLength(2);
    w.record(entry(clienteId, { correlationId: tag }));
    expect(dropped).toEqual([1]);
    await w.flush();
    expect(await rowsOf(tag)).toHaveLength(2);
  });
});
