import { randomBytes } from 'node:crypto';
import { DeleteQueryNode, type KyselyPlugin } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { databaseKinds, openTestDatabase, type TestDatabase } from '../../../test/support/infrastructure.ts';
import { manualClock, systemClock, type Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/schema.ts';
import { AppError } from '../../platform/errors.ts';
import type { OutboundResult } from '../../platform/http-client/http-client.ts';
import { createLogger, type Logger } from '../../platform/logger.ts';
import { createMetrics } from '../../platform/metrics.ts';
import { startRetentionJob } from '../../platform/retention.ts';
import { createAuditService } from '../audit/audit.service.ts';
import { createClientesService } from '../clientes/clientes.service.ts';
import type { Violation } from '../contracts/validator.ts';
import { createLogCenterService, type LogCenterService } from './log-center.service.ts';
import type { OutboundCallRecord } from './log-center.types.ts';
import { createLogCenterWriter } from './log-center.writer.ts';
import { createRepositories } from '../../repositories.ts';

const silent = createLogger({ logLevel: 'silent', nodeEnv: 'test' });
const hashKey = randomBytes(32);
const DAY = 24 * 60 * 60 * 1000;
const T0 = Date.UTC(2026, 0, 10);
const CPF_1 = '52998224725';
const CPF_2 = '11144477735';
const formatCpf = (d: string) => `${d.slice(0, 3)}.${d.slice(3, 6)}.${d.slice(6, 9)}-${d.slice(9)}`;

const ok = (status = 200, body: unknown = { mensagem: 'ok' }): OutboundResult => ({
  kind: 'response',
  status,
  statusText: status === 200 ? 'OK' : 'Unauthorized',
  headers: {},
  bodyText: JSON.stringify(body),
  latencyMs: 20,
});

const violation: Violation = { caminho: 'contatos', tipo: 'itens_insuficientes', criterio: 'M', esperado: 'Array com ao menos 1 item', recebido: 'Array com 0 itens', mensagem: 'Envie ao menos um contato.' };

function call(clienteId: string, tag: string, at: number, overrides: Partial<OutboundCallRecord> = {}): OutboundCallRecord {
  return {
    clienteId,
    instancia: 1,
    operacao: 'login',
    url: 'https://operadora.example/api/login',
    requestHeaders: { 'content-type': 'application/json', 'x-grupo': 'segredo' },
    requestBody: { login: CPF_1, senha: 'segredo-123' },
    result: ok(),
    violations: [],
    outcome: 'sucesso',
    correlationId: tag,
    at,
    ...overrides,
  };
}

async function writeAll(db: Db, entries: OutboundCallRecord[]) {
  const writer = createLogCenterWriter({ db, clock: systemClock, logger: silent, hashKey, flushIntervalMs: 60_000 });
  for (const entry of entries) writer.record(entry);
  await writer.close();
}

/** Every DELETE statement and how many rows it removed, as the database reports them. */
function countingDeletes(db: Db) {
  const deletes: number[] = [];
  const deleteQueries = new WeakSet<object>();
  const plugin: KyselyPlugin = {
    transformQuery(args) {
      if (DeleteQueryNode.is(args.node)) deleteQueries.add(args.queryId);
      return args.node;
    },
    async transformResult(args) {
      if (deleteQueries.has(args.queryId)) deletes.push(Number(args.result.numAffectedRows ?? 0));
      return args.result;
    },
  };
  return { db: db.withPlugin(plugin), deletes };
}

describe.each(databaseKinds())('log center service on %s', (kind) => {
  let database: TestDatabase;
  let service: ReturnType<typeof createLogCenterService>;
  let clienteA: string;
  let clienteB: string;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    const clientes = createClientesService({ db: database.db, repos: createRepositories(database.db), clock: systemClock, audit: createAuditService({ repos: createRepositories(database.db), clock: systemClock }) });
    clienteA = (await clientes.create({ nome: 'Operadora A' })).id;
    clienteB = (await clientes.create({ nome: 'Operadora B' })).id;
    service = createLogCenterService({ repos: createRepositories(database.db), hashKey });
    await writeAll(database.db, [
      call(clienteA, 'r1', T0, { chaveUsuario: CPF_1 }),
      call(clienteA, 'r2', T0 + 1000, { chaveUsuario: CPF_2, result: ok(401, { mensagem: 'Senha inválida' }), outcome: 'recusado_pela_operadora' }),
      call(clienteA, 'r3', T0 + 2000, {
        operacao: 'recuperarSenhaIdentificacao',
        chaveUsuario: formatCpf(CPF_1),
        violations: [violation, { ...violation, caminho: 'chaveUnica' }],
        outcome: 'violacao_contrato',
      }),
      call(clienteA, 'r4', T0 + 3000, {
        operacao: 'trocarSenha',
        result: { kind: 'failure', reason: 'tempo_esgotado', message: 'A API da operadora não respondeu dentro do tempo limite.', latencyMs: 10_000 },
        outcome: 'falha_comunicacao',
      }),
      call(clienteA, 'r5', T0 + 4000, { instancia: 2, chaveUsuario: CPF_1 }),
      call(clienteB, 'b1', T0 + 500, { chaveUsuario: CPF_1 }),
    ]);
    const rows = await database.db.selectFrom('outbound_logs').select(['id', 'correlation_id']).execute();
    for (const row of rows) ids[row.correlation_id!] = row.id;
  });
  afterAll(async () => {
    await database.dispose();
  });

  const tagsOf = (page: { items: { correlationId: string | null }[] }) => page.items.map((i) => i.correlationId);
  const search = (filters: Partial<Parameters<typeof service.search>[0]> = {}) =>
    service.search({ clienteId: clienteA, instancia: 1, pagina: 1, porPagina: 20, ...filters });

  it('lists one cliente and instância, newest first, with summaries and the total', async () => {
    const page = await search();
    expect(tagsOf(page)).toEqual(['r4', 'r3', 'r2', 'r1']);
    expect(page).toMatchObject({ pagina: 1, porPagina: 20, total: 4 });
    expect(page.items[1]).toEqual({
      id: ids.r3,
      instancia: 1,
      operacao: 'recuperarSenhaIdentificacao',
      url: 'https://operadora.example/api/login',
      status: 200,
      statusText: 'OK',
      resultado: 'violacao_contrato',
      latencyMs: 20,
      chaveUsuarioMascarada: '529***',
      correlationId: 'r3',
      createdAt: T0 + 2000,
      violationCount: 2,
      direcao: 'saida',
      motivo: null,
      tokenId: null,
    });
    expect(page.items[0]).toMatchObject({ status: null, statusText: 'tempo_esgotado', violationCount: 0, chaveUsuarioMascarada: null });
    expect(tagsOf(await search({ instancia: 2 }))).toEqual(['r5']);
    expect(tagsOf(await search({ clienteId: clienteB }))).toEqual(['b1']);
  });

  it('filters by operação, status, resultado and period (inclusive)', async () => {
    expect(tagsOf(await search({ operacao: 'login' }))).toEqual(['r2', 'r1']);
    expect(tagsOf(await search({ status: 401 }))).toEqual(['r2']);
    expect(tagsOf(await search({ resultado: 'violacao_contrato' }))).toEqual(['r3']);
    expect(tagsOf(await search({ de: T0 + 1000, ate: T0 + 2000 }))).toEqual(['r3', 'r2']);
    expect(tagsOf(await search({ de: T0 + 3000 }))).toEqual(['r4']);
    expect(tagsOf(await search({ ate: T0 }))).toEqual(['r1']);
    const combined = await search({ status: 200, operacao: 'login' });
    expect({ tags: tagsOf(combined), total: combined.total }).toEqual({ tags: ['r1'], total: 1 });
  });

  it('finds a user by key, formatted or not, only within the cliente', async () => {
    expect(tagsOf(await search({ chaveUsuario: formatCpf(CPF_1) }))).toEqual(['r3', 'r1']);
    expect(tagsOf(await search({ chaveUsuario: ` ${CPF_1} ` }))).toEqual(['r3', 'r1']);
    expect(tagsOf(await search({ chaveUsuario: CPF_2 }))).toEqual(['r2']);
    expect(tagsOf(await search({ chaveUsuario: '00000000000' }))).toEqual([]);
    expect(tagsOf(await search({ clienteId: clienteB, chaveUsuario: CPF_1 }))).toEqual(['b1']);
  });

  it('pages with a total, and never more than 100 per page', async () => {
    const second = await search({ porPagina: 3, pagina: 2 });
    expect({ tags: tagsOf(second), total: second.total, pagina: second.pagina, porPagina: second.porPagina }).toEqual({ tags: ['r1'], total: 4, pagina: 2, porPagina: 3 });
    const beyond = await search({ porPagina: 3, pagina: 3 });
    expect({ tags: tagsOf(beyond), total: beyond.total }).toEqual({ tags: [], total: 4 });
    expect((await search({ porPagina: 5000 })).porPagina).toBe(100);
  });

  it('reads one entry in full, only for its own cliente', async () => {
    const entry = await service.get(clienteA, ids.r3!);
    expect(entry).toEqual({
      id: ids.r3,
      clienteId: clienteA,
      instancia: 1,
      operacao: 'recuperarSenhaIdentificacao',
      url: 'https://operadora.example/api/login',
      requestHeaders: { 'content-type': 'application/json', 'x-grupo': '***' },
      requestBody: JSON.stringify({ login: '***********', senha: '***' }),
      status: 200,
      statusText: 'OK',
      responseBody: JSON.stringify({ mensagem: 'ok' }),
      latencyMs: 20,
      resultado: 'violacao_contrato',
      violations: [violation, { ...violation, caminho: 'chaveUnica' }],
      chaveUsuarioMascarada: '529***',
      correlationId: 'r3',
      createdAt: T0 + 2000,
      direcao: 'saida',
      motivo: null,
      tokenId: null,
    });
    await expect(service.get(clienteB, ids.r3!)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(service.get(clienteA, ids.b1!)).rejects.toBeInstanceOf(AppError);
    await expect(service.get(clienteA, 'log_inexistente')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe.each(databaseKinds())('log center retention on %s', (kind) => {
  let database: TestDatabase;
  const now = Date.UTC(2026, 5, 1);

  beforeAll(async () => {
    database = await openTestDatabase(kind);
  });
  afterAll(async () => {
    await database.dispose();
  });

  async function clienteWithRetention(days?: number) {
    const cliente = await createClientesService({ db: database.db, repos: createRepositories(database.db), clock: systemClock, audit: createAuditService({ repos: createRepositories(database.db), clock: systemClock }) }).create({ nome: `Operadora ${randomBytes(3).toString('hex')}` });
    if (days !== undefined) await database.db.updateTable('clientes').set({ log_retention_days: days }).where('id', '=', cliente.id).execute();
    return cliente.id;
  }
  /** The retention job (platform/retention.ts) with only the central de logs' task. */
  const retentionJob = (service: LogCenterService, options: { clock: Clock; intervalMs?: number; batchSize?: number; logger?: Logger }) =>
    startRetentionJob({
      tasks: [service.retentionTask],
      intervalMs: options.intervalMs ?? 60 * 60_000,
      firstRunDelayMs: options.intervalMs ?? 60 * 60_000,
      batchSize: options.batchSize ?? 1000,
      logger: options.logger ?? silent,
      metrics: createMetrics(),
      clock: options.clock,
    });
  const remaining = async (clienteId: string) =>
    (await database.db.selectFrom('outbound_logs').select('correlation_id').where('cliente_id', '=', clienteId).orderBy('created_at').execute()).map((r) => r.correlation_id);

  it("deletes what is older than each cliente's retention, in bounded batches, and says how many", async () => {
    const padrao = await clienteWithRetention(); // 30 days, the column default
    const curta = await clienteWithRetention(7);
    await writeAll(database.db, [
      ...Array.from({ length: 5 }, (_, i) => call(padrao, `p-old-${i}`, now - 31 * DAY - i)),
      call(padrao, 'p-edge', now - 30 * DAY),
      call(padrao, 'p-new', now - 29 * DAY),
      ...Array.from({ length: 4 }, (_, i) => call(curta, `c-old-${i}`, now - 8 * DAY - i)),
      call(curta, 'c-new', now - 6 * DAY),
    ]);
    const counting = countingDeletes(database.db);
    const service = createLogCenterService({ repos: createRepositories(counting.db), hashKey });
    const job = retentionJob(service, { clock: manualClock(now), batchSize: 2 });

    expect(await job.runOnce()).toEqual({ outbound_logs: 9 });
    expect(await remaining(padrao)).toEqual(['p-edge', 'p-new']);
    expect(await remaining(curta)).toEqual(['c-new']);
    expect(counting.deletes.every((n) => n <= 2)).toBe(true);
    expect(counting.deletes.reduce((a, b) => a + b, 0)).toBe(9);
    expect(await job.runOnce()).toEqual({ outbound_logs: 0 });
    await job.stop();
  });

  it('the retention job purges on its own schedule and stops when told', async () => {
    const cliente = await clienteWithRetention(1);
    await writeAll(database.db, [call(cliente, 'job-old', now - 2 * DAY), call(cliente, 'job-new', now)]);
    const service = createLogCenterService({ repos: createRepositories(database.db), hashKey });
    const job = retentionJob(service, { clock: manualClock(now), intervalMs: 20 });
    await vi.waitFor(async () => expect(await remaining(cliente)).toEqual(['job-new']), { timeout: 5000, interval: 20 });
    await job.stop();
  });

  it('a failing purge is logged and the job goes on until stopped', async () => {
    const doomed = await openTestDatabase(kind);
    await doomed.dispose();
    const lines: string[] = [];
    const logger = createLogger({ logLevel: 'error', nodeEnv: 'test' }, { destination: { write: (line: string) => lines.push(line) } });
    const service = createLogCenterService({ repos: createRepositories(doomed.db), hashKey });
    const job = retentionJob(service, { clock: systemClock, intervalMs: 20, logger });
    await vi.waitFor(() => expect(lines.filter((l) => l.includes('retenção: a limpeza falhou')).length).toBeGreaterThanOrEqual(2), { timeout: 5000, interval: 20 });
    await job.stop();
  });
});
