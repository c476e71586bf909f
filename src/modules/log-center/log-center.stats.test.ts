import type { LightMyRequestResponse } from 'fastify';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCliente, loginAs } from '../../../test/support/fixtures.ts';
import { createTestApp, type TestApp } from '../../../test/support/test-app.ts';
import { manualClock } from '../../platform/clock.ts';
import type { OutboundResult } from '../../platform/http-client/http-client.ts';
import { newId } from '../../platform/ids.ts';
import { createLogger } from '../../platform/logger.ts';
import type { OperatorMethod } from '../contracts/contract-spec.ts';
import type { Violation } from '../contracts/validator.ts';
import { createGruposRepo } from '../grupos/grupos.repo.ts';
import { createPainelInicialService, nearestRank, statsWindowOf } from './log-center.stats.ts';
import type { PainelInicial } from './log-center.stats.schemas.ts';
import type { Outcome } from './log-center.types.ts';
import { createLogCenterWriter } from './log-center.writer.ts';
import { createRepositories } from '../../repositories.ts';

/**
 * The painel inicial through the painel API of a real app: calls are written by the central de
 * logs' own writer (redaction, batched INSERT), then read back as totals, percentiles and a
 * continuous series. The clock is fixed, so every bucket boundary is known to the millisecond.
 */

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** "Now": 12:30 UTC. The 24h window is [09/03 13:00, 10/03 13:00) in hourly buckets. */
const NOW = Date.UTC(2026, 2, 10, 12, 30);
const ATE_24H = Date.UTC(2026, 2, 10, 13);
const DESDE_24H = ATE_24H - 24 * HOUR;

const silent = createLogger({ logLevel: 'silent', nodeEnv: 'test' });
const violation: Violation = { caminho: 'usuarioLogado.nome', tipo: 'ausente', criterio: 'M', esperado: 'String', recebido: 'atributo ausente', mensagem: 'Envie usuarioLogado.nome.' };

type Call = { at: number; operacao?: OperatorMethod; outcome?: Outcome; latencyMs?: number; instancia?: 1 | 2; violations?: Violation[] };

function record(clienteId: string, call: Call) {
  const outcome = call.outcome ?? 'sucesso';
  const latencyMs = call.latencyMs ?? 25;
  const result: OutboundResult =
    outcome === 'falha_comunicacao' || outcome === 'bloqueado'
      ? { kind: 'failure', reason: outcome === 'bloqueado' ? 'circuito_aberto' : 'tempo_esgotado', message: 'falhou', latencyMs }
      : { kind: 'response', status: outcome === 'recusado_pela_operadora' ? 401 : 200, statusText: 'OK', headers: {}, bodyText: '{}', latencyMs };
  return {
    clienteId,
    instancia: call.instancia ?? 1,
    operacao: call.operacao ?? 'login',
    url: 'https://operadora.example/api/login',
    requestHeaders: { 'content-type': 'application/json' },
    requestBody: { login: '52998224725', senha: 'segredo' },
    result,
    violations: call.violations ?? (outcome === 'violacao_contrato' ? [violation] : []),
    outcome,
    at: call.at,
  };
}

const zeros = { sucesso: 0, recusado_pela_operadora: 0, violacao_contrato: 0, falha_comunicacao: 0, bloqueado: 0 };
const emptyPoint = { chamadas: 0, sucesso: 0, p50Ms: null, p95Ms: null, violacoesContrato: 0 };
const emptyTotals = { chamadas: 0, sucesso: 0, taxaSucesso: null, p50Ms: null, p95Ms: null, violacoesContrato: 0, falhas: 0, porResultado: zeros };

type Session = Awaited<ReturnType<typeof loginAs>>;

describe('painel inicial API', () => {
  let t: TestApp;
  const clock = manualClock(NOW);
  let clienteId: string;
  let outroClienteId: string;
  let vazioClienteId: string;
  let leitor: Session;
  let leitorVazio: Session;
  let outroAdmin: Session;
  let grupoId: string;

  const url = (query = '', cliente = clienteId, instancia: number | string = 1) => `/painel/api/clientes/${cliente}/instancias/${instancia}/painel-inicial${query}`;
  const get = (target: string, who?: Session) => t.app.inject({ method: 'GET', url: target, headers: who ? { cookie: who.cookieHeader } : {} });
  const painel = async (target: string, who: Session = leitor): Promise<PainelInicial> => {
    const response = await get(target, who);
    expect(response.statusCode, response.body).toBe(200);
    return response.json();
  };
  const expectError = (response: LightMyRequestResponse, status: number, code: string) =>
    expect({ status: response.statusCode, code: response.json().error?.code }, response.body).toEqual({ status, code });

  beforeAll(async () => {
    t = await createTestApp({ clock });
    clienteId = (await createCliente(t)).id;
    outroClienteId = (await createCliente(t, 'Outra Operadora')).id;
    vazioClienteId = (await createCliente(t, 'Operadora Sem Chamadas')).id;
    leitor = await loginAs(t, { clienteId, role: 'leitor' });
    leitorVazio = await loginAs(t, { clienteId: vazioClienteId, role: 'leitor' });
    outroAdmin = await loginAs(t, { clienteId: outroClienteId, role: 'admin' });

    const writer = createLogCenterWriter({ db: t.database.db, clock, logger: silent, hashKey: randomBytes(32) });
    const lastBucket = ATE_24H - HOUR; // 10/03 12:00
    // Login, last bucket: latencies 10…100 ms; 8 successes, one contract violation, one refusal.
    for (let i = 1; i <= 10; i += 1) {
      const outcome: Outcome = i === 9 ? 'violacao_contrato' : i === 10 ? 'recusado_pela_operadora' : 'sucesso';
      writer.record(record(clienteId, { at: lastBucket + i * 60_000, latencyMs: i * 10, outcome }));
    }
    // Grupo refreshes, bucket 22 (11:00–12:00): one success, one timeout, one never sent.
    writer.record(record(clienteId, { at: lastBucket - HOUR, operacao: 'autorizacao', latencyMs: 5 }));
    writer.record(record(clienteId, { at: lastBucket - 1, operacao: 'autorizacao', outcome: 'falha_comunicacao', latencyMs: 10_000 }));
    writer.record(record(clienteId, { at: lastBucket - HOUR / 2, operacao: 'autorizacao', outcome: 'bloqueado', latencyMs: 0 }));
    // Edges: the first millisecond of the window (bucket 0), the last one (bucket 23, though
    // after "now": the bucket in progress counts whole), and just outside on both sides.
    writer.record(record(clienteId, { at: DESDE_24H, operacao: 'trocarSenha', outcome: 'recusado_pela_operadora', latencyMs: 300, violations: [violation] }));
    writer.record(record(clienteId, { at: ATE_24H - 1, operacao: 'recuperarSenhaIdentificacao', latencyMs: 7 }));
    writer.record(record(clienteId, { at: DESDE_24H - 1, operacao: 'recuperarSenhaNovaSenha', latencyMs: 1 }));
    writer.record(record(clienteId, { at: ATE_24H, operacao: 'recuperarSenhaNovaSenha', latencyMs: 1 }));
    // Four days ago: only in the 7d and 30d views.
    writer.record(record(clienteId, { at: NOW - 4 * DAY, operacao: 'login', latencyMs: 500 }));
    // Produção and another cliente: never in this view.
    writer.record(record(clienteId, { at: lastBucket, instancia: 2, latencyMs: 999 }));
    writer.record(record(outroClienteId, { at: lastBucket, latencyMs: 888 }));
    await writer.close();

    const grupos = createGruposRepo(t.database.db);
    grupoId = newId('grupo');
    await grupos.insert({
      id: grupoId,
      clienteId,
      instancia: 1,
      nome: 'Grupo principal',
      url: 'https://operadora.example/api/autorizacao',
      usuario: 'ponte',
      senhaSelada: t.services.secretBox.seal('senha-do-grupo'),
      ttlSegundos: 3600,
      status: 'ativo',
      ultimaRenovacaoEm: null,
      ultimoErro: null,
      ultimoErroEm: null,
      createdAt: NOW - DAY,
      updatedAt: NOW - DAY,
    });
    await grupos.recordRefresh(grupoId, { ok: true, at: lastBucket - HOUR });
    await grupos.recordRefresh(grupoId, { ok: false, at: lastBucket - 1, error: 'A API da operadora não respondeu dentro do tempo limite.' });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('24h: exact totals, rates and nearest-rank percentiles per operação, and overall', async () => {
    const body = await painel(url('?periodo=24h'));
    expect({ periodo: body.periodo, desde: body.desde, ate: body.ate, intervaloMs: body.intervaloMs, fusoMinutos: body.fusoMinutos, amostrado: body.amostrado }).toEqual({
      periodo: '24h',
      desde: DESDE_24H,
      ate: ATE_24H,
      intervaloMs: HOUR,
      fusoMinutos: 0,
      amostrado: false,
    });
    expect(body.totais).toEqual([
      {
        operacao: 'autorizacao',
        chamadas: 3,
        sucesso: 1,
        taxaSucesso: 1 / 3,
        // `bloqueado` never left Ponte: measured latencies are [5, 10000].
        p50Ms: 5,
        p95Ms: 10_000,
        violacoesContrato: 0,
        falhas: 2,
        porResultado: { ...zeros, sucesso: 1, falha_comunicacao: 1, bloqueado: 1 },
      },
      {
        operacao: 'login',
        chamadas: 10,
        sucesso: 8,
        taxaSucesso: 0.8,
        p50Ms: 50,
        p95Ms: 100,
        violacoesContrato: 1,
        falhas: 2,
        porResultado: { ...zeros, sucesso: 8, violacao_contrato: 1, recusado_pela_operadora: 1 },
      },
      { operacao: 'recuperarSenhaIdentificacao', chamadas: 1, sucesso: 1, taxaSucesso: 1, p50Ms: 7, p95Ms: 7, violacoesContrato: 0, falhas: 0, porResultado: { ...zeros, sucesso: 1 } },
      { operacao: 'recuperarSenhaNovaSenha', ...emptyTotals },
      // A refusal whose failure body broke the contract counts as a contract failure too.
      { operacao: 'trocarSenha', chamadas: 1, sucesso: 0, taxaSucesso: 0, p50Ms: 300, p95Ms: 300, violacoesContrato: 1, falhas: 1, porResultado: { ...zeros, recusado_pela_operadora: 1 } },
      { operacao: 'elegibilidade', ...emptyTotals },
    ]);
    // Overall latencies (14 measured): 5, 7, 10…100, 300, 10000 → p50 rank 7 = 50, p95 rank 14 = 10000.
    expect(body.geral).toEqual({
      chamadas: 15,
      sucesso: 10,
      taxaSucesso: 10 / 15,
      p50Ms: 50,
      p95Ms: 10_000,
      violacoesContrato: 2,
      falhas: 5,
      porResultado: { sucesso: 10, recusado_pela_operadora: 2, violacao_contrato: 1, falha_comunicacao: 1, bloqueado: 1 },
      falhasGrupo: 2,
    });
  });

  it('24h: one point per hour, every bucket present, the edges in the right bucket', async () => {
    const { serie } = await painel(url());
    expect(serie.map((p) => p.inicio)).toEqual(Array.from({ length: 24 }, (_, i) => DESDE_24H + i * HOUR));
    const point = (chamadas: number, sucesso: number, p50Ms: number | null, p95Ms: number | null, violacoesContrato = 0) => ({ chamadas, sucesso, p50Ms, p95Ms, violacoesContrato });
    const emptyOps = { autorizacao: emptyPoint, login: emptyPoint, recuperarSenhaIdentificacao: emptyPoint, recuperarSenhaNovaSenha: emptyPoint, trocarSenha: emptyPoint, elegibilidade: emptyPoint };

    expect(serie[0]).toEqual({ inicio: DESDE_24H, geral: point(1, 0, 300, 300, 1), porOperacao: { ...emptyOps, trocarSenha: point(1, 0, 300, 300, 1) }, falhasGrupo: 0 });
    for (let i = 1; i <= 21; i += 1) expect(serie[i]).toEqual({ inicio: DESDE_24H + i * HOUR, geral: emptyPoint, porOperacao: emptyOps, falhasGrupo: 0 });
    // 11:00–12:00: the grupo refreshes, one of them at 11:59:59.999.
    expect(serie[22]).toEqual({ inicio: ATE_24H - 2 * HOUR, geral: point(3, 1, 5, 10_000), porOperacao: { ...emptyOps, autorizacao: point(3, 1, 5, 10_000) }, falhasGrupo: 2 });
    // 12:00–13:00: the ten logins and the call at 12:59:59.999 (latencies 7, 10…100: p50 rank 6 = 50).
    expect(serie[23]).toEqual({
      inicio: ATE_24H - HOUR,
      geral: point(11, 9, 50, 100, 1),
      porOperacao: { ...emptyOps, login: point(10, 8, 50, 100, 1), recuperarSenhaIdentificacao: point(1, 1, 7, 7) },
      falhasGrupo: 0,
    });
  });

  it('7d: 28 buckets of 6 hours; 30d: 30 daily buckets; both include older calls', async () => {
    const seteDias = await painel(url('?periodo=7d'));
    const ate7d = Date.UTC(2026, 2, 10, 18);
    expect({ desde: seteDias.desde, ate: seteDias.ate, intervaloMs: seteDias.intervaloMs, pontos: seteDias.serie.length }).toEqual({ desde: ate7d - 7 * DAY, ate: ate7d, intervaloMs: 6 * HOUR, pontos: 28 });
    expect(seteDias.serie.at(-1)!.inicio).toBe(Date.UTC(2026, 2, 10, 12));
    // The two calls just outside the 24h window are inside this one.
    expect(seteDias.totais.map((o) => [o.operacao, o.chamadas])).toEqual([
      ['autorizacao', 3],
      ['login', 11],
      ['recuperarSenhaIdentificacao', 1],
      ['recuperarSenhaNovaSenha', 2],
      ['trocarSenha', 1],
      ['elegibilidade', 0],
    ]);
    const quatroDiasAtras = seteDias.serie.find((p) => p.inicio === Date.UTC(2026, 2, 6, 12))!;
    expect(quatroDiasAtras.porOperacao.login).toEqual({ chamadas: 1, sucesso: 1, p50Ms: 500, p95Ms: 500, violacoesContrato: 0 });

    const trintaDias = await painel(url('?periodo=30d'));
    const ate30d = Date.UTC(2026, 2, 11);
    expect({ desde: trintaDias.desde, ate: trintaDias.ate, intervaloMs: trintaDias.intervaloMs, pontos: trintaDias.serie.length }).toEqual({ desde: ate30d - 30 * DAY, ate: ate30d, intervaloMs: DAY, pontos: 30 });
    expect(trintaDias.serie.at(-1)!.geral.chamadas).toBe(15); // 10/03: logins, grupo refreshes, 12:59:59.999 and 13:00:00.000
    expect(trintaDias.geral.chamadas).toBe(18);
  });

  it('1h ("Última hora"): twelve buckets of 5 minutes ending with the one in progress', async () => {
    const MIN = 60_000;
    const ultimaHora = await painel(url('?periodo=1h'));
    const ate = Date.UTC(2026, 2, 10, 12, 35);
    expect({ periodo: ultimaHora.periodo, desde: ultimaHora.desde, ate: ultimaHora.ate, intervaloMs: ultimaHora.intervaloMs }).toEqual({ periodo: '1h', desde: ate - HOUR, ate, intervaloMs: 5 * MIN });
    expect(ultimaHora.serie.map((p) => p.inicio)).toEqual(Array.from({ length: 12 }, (_, i) => ate - HOUR + i * 5 * MIN));
    // 11:59:59.999 (a grupo refresh) and the ten logins of 12:01…12:10; 11:30 and 12:59:59.999 are outside.
    expect(ultimaHora.totais.filter((o) => o.chamadas > 0).map((o) => [o.operacao, o.chamadas])).toEqual([
      ['autorizacao', 1],
      ['login', 10],
    ]);
    expect(ultimaHora.serie.map((p) => p.geral.chamadas)).toEqual([0, 0, 0, 0, 1, 4, 5, 1, 0, 0, 0, 0]);
  });

  it('aligns buckets to whole days of the viewer’s time zone', async () => {
    const body = await painel(url('?periodo=30d&fusoMinutos=-180'));
    // 12:30 UTC is 09:30 in Brasília: today ends at 11/03 00:00 -03:00 = 03:00 UTC.
    expect({ ate: body.ate, fusoMinutos: body.fusoMinutos }).toEqual({ ate: Date.UTC(2026, 2, 11, 3), fusoMinutos: -180 });
    expect(body.serie.every((p) => (p.inicio - 3 * HOUR) % DAY === 0)).toBe(true);
  });

  it('shows the instância’s grupos with their last refresh and last error', async () => {
    const body = await painel(url());
    expect(body.grupos).toEqual([
      {
        id: grupoId,
        nome: 'Grupo principal',
        status: 'falhando',
        ultimaRenovacaoEm: ATE_24H - 2 * HOUR,
        ultimoErro: 'A API da operadora não respondeu dentro do tempo limite.',
        ultimoErroEm: ATE_24H - HOUR - 1,
      },
    ]);
    expect((await painel(url('', clienteId, 2))).grupos).toEqual([]);
  });

  it('keeps each instância to itself', async () => {
    const producao = await painel(url('', clienteId, 2));
    expect(producao.geral).toMatchObject({ chamadas: 1, sucesso: 1, p50Ms: 999, p95Ms: 999 });
    expect(producao.totais.find((o) => o.operacao === 'login')).toMatchObject({ chamadas: 1 });
  });

  it('an empty period: every bucket and operação present, zeros, null latencies and rates', async () => {
    const body = await painel(url('?periodo=7d', vazioClienteId), leitorVazio);
    expect(body.amostrado).toBe(false);
    expect(body.geral).toEqual({ ...emptyTotals, falhasGrupo: 0 });
    expect(body.totais.map((o) => o.operacao)).toEqual(['autorizacao', 'login', 'recuperarSenhaIdentificacao', 'recuperarSenhaNovaSenha', 'trocarSenha', 'elegibilidade']);
    for (const total of body.totais) expect(total).toEqual({ operacao: total.operacao, ...emptyTotals });
    expect(body.serie).toHaveLength(28);
    for (const point of body.serie) {
      expect(point.geral).toEqual(emptyPoint);
      expect(Object.values(point.porOperacao)).toEqual(Array(6).fill(emptyPoint));
      expect(point.falhasGrupo).toBe(0);
    }
    expect(body.grupos).toEqual([]);
  });

  describe('security', () => {
    it('without a session: 401', async () => {
      expectError(await get(url()), 401, 'UNAUTHENTICATED');
    });

    it('another cliente’s painel is not found, even for that cliente’s admin elsewhere', async () => {
      expectError(await get(url('', clienteId), outroAdmin), 404, 'NOT_FOUND');
      expectError(await get(url('', outroClienteId), leitor), 404, 'NOT_FOUND');
    });

    it('the other cliente sees only its own call', async () => {
      const body = await painel(url('', outroClienteId), outroAdmin);
      expect(body.geral).toMatchObject({ chamadas: 1, p50Ms: 888 });
    });
  });

  describe('validation', () => {
    it('rejects an unknown period with a message in Portuguese on periodo', async () => {
      const response = await get(url('?periodo=1ano'), leitor);
      expectError(response, 400, 'VALIDATION_FAILED');
      const details = response.json().error.details as { field: string; message: string }[];
      expect(details.map((d) => d.field)).toEqual(['periodo']);
      expect(details[0]!.message).toMatch(/^Período desconhecido: use 1h, 24h, 7d, 30d\.$/);
    });

    it.each([
      ['an instância other than 1 or 2', () => url('', clienteId, 3)],
      ['a fuso that is not a number', () => url('?fusoMinutos=brasilia')],
      ['a fuso beyond 14 hours', () => url('?fusoMinutos=900')],
    ])('rejects %s with 400 VALIDATION_FAILED', async (_label, target) => {
      expectError(await get(target(), leitor), 400, 'VALIDATION_FAILED');
    });
  });

  describe('sampling', () => {
    it('beyond the cap, percentiles come from every k-th call in time order, flagged; counts stay exact', async () => {
      const amostradoId = (await createCliente(t, 'Operadora Amostrada')).id;
      const writer = createLogCenterWriter({ db: t.database.db, clock, logger: silent, hashKey: randomBytes(32) });
      for (let i = 1; i <= 10; i += 1) writer.record(record(amostradoId, { at: ATE_24H - HOUR + i * 60_000, latencyMs: i * 10 }));
      await writer.close();

      const sem = createPainelInicialService({ repos: createRepositories(t.database.db), clock, grupos: t.services.grupos });
      const input = { clienteId: amostradoId, instancia: 1 as const, periodo: '24h' as const, fusoMinutos: 0 };
      expect((await sem.get(input)).geral).toMatchObject({ chamadas: 10, p50Ms: 50, p95Ms: 100 });

      // A cap of 4 for 10 calls reads every ⌈10/4⌉ = 3rd: latencies 30, 60, 90.
      const com = createPainelInicialService({ repos: createRepositories(t.database.db), clock, grupos: t.services.grupos, latencySampleCap: 4 });
      const body = await com.get(input);
      expect(body.amostrado).toBe(true);
      expect(body.geral).toMatchObject({ chamadas: 10, sucesso: 10, p50Ms: 60, p95Ms: 90 });
      expect(body.totais.find((o) => o.operacao === 'login')).toMatchObject({ chamadas: 10, p50Ms: 60, p95Ms: 90 });
      expect(body.serie.at(-1)!.porOperacao.login).toEqual({ chamadas: 10, sucesso: 10, p50Ms: 60, p95Ms: 90, violacoesContrato: 0 });
      // Exactly at the cap nothing is sampled.
      const noLimite = createPainelInicialService({ repos: createRepositories(t.database.db), clock, grupos: t.services.grupos, latencySampleCap: 10 });
      expect((await noLimite.get(input)).amostrado).toBe(false);
    });
  });
});

describe('nearestRank', () => {
  it('is the smallest observed value with at least p% at or below it', () => {
    const ten = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100];
    expect([nearestRank(ten, 50), nearestRank(ten, 95), nearestRank(ten, 100), nearestRank(ten, 1)]).toEqual([50, 100, 100, 10]);
    expect([nearestRank([7], 50), nearestRank([7], 95)]).toEqual([7, 7]);
    expect([nearestRank([1, 2], 50), nearestRank([1, 2], 95)]).toEqual([1, 2]);
    expect(nearestRank([], 50)).toBeNull();
  });
});

describe('statsWindowOf', () => {
  it('ends at the end of the bucket holding now, aligned to the time zone', () => {
    expect(statsWindowOf('24h', NOW, 0)).toEqual({ desde: DESDE_24H, ate: ATE_24H, intervaloMs: HOUR, buckets: 24 });
    // Exactly on a boundary, "now" opens a new bucket.
    expect(statsWindowOf('24h', ATE_24H, 0).ate).toBe(ATE_24H + HOUR);
    // India (+05:30): hourly buckets start at half past in UTC.
    expect(statsWindowOf('24h', NOW, 330).ate).toBe(Date.UTC(2026, 2, 10, 12, 30) + HOUR);
    expect(statsWindowOf('7d', NOW, -180).ate).toBe(Date.UTC(2026, 2, 10, 15));
    // The last hour: twelve 5-minute buckets, the one holding 12:30 being the last.
    expect(statsWindowOf('1h', NOW + 61_000, 0)).toEqual({ desde: Date.UTC(2026, 2, 10, 11, 35), ate: Date.UTC(2026, 2, 10, 12, 35), intervaloMs: 5 * 60_000, buckets: 12 });
  });
});
