import type { Clock } from '../../platform/clock.ts';
import { operatorMethods, type OperatorMethod } from '../contracts/contract-spec.ts';
import type { GruposService } from '../grupos/grupos.service.ts';
import type { LogStatsRepo, StatsWindow } from './log-center.stats.repo.ts';
import { periodos, type PainelInicial, type Periodo } from './log-center.stats.schemas.ts';
import { outcomes, type Outcome } from './log-center.types.ts';

/** Latencies read per request at most; above it the percentiles come from a deterministic sample. */
export const DEFAULT_LATENCY_SAMPLE_CAP = 200_000;

/**
 * Nearest-rank percentile of an ascending array: the smallest value with at least `p`% of the
 * values at or below it (rank ⌈p/100 · n⌉). Always one of the observed values; null when empty.
 */
export function nearestRank(sortedAscending: readonly number[], p: number): number | null {
  const n = sortedAscending.length;
  if (n === 0) return null;
  const rank = Math.min(n, Math.max(1, Math.ceil((p / 100) * n)));
  return sortedAscending[rank - 1]!;
}

/**
 * The window a period covers: buckets of `intervaloMs` aligned to whole hours/days of the viewer's
 * time zone (`fusoMinutos` east of UTC), the last one being the bucket that holds `now` — so the
 * chart ends at "now" and every point covers a whole, comparable interval.
 */
export function statsWindowOf(periodo: Periodo, now: number, fusoMinutos: number): { desde: number; ate: number; intervaloMs: number; buckets: number } {
  const { buckets, intervaloMs } = periodos[periodo];
  const offsetMs = fusoMinutos * 60_000;
  const ate = (Math.floor((now + offsetMs) / intervaloMs) + 1) * intervaloMs - offsetMs;
  return { desde: ate - buckets * intervaloMs, ate, intervaloMs, buckets };
}

type Counter = { chamadas: number; sucesso: number; violacoesContrato: number; porResultado: Record<Outcome, number> };
const newCounter = (): Counter => ({ chamadas: 0, sucesso: 0, violacoesContrato: 0, porResultado: Object.fromEntries(outcomes.map((o) => [o, 0])) as Record<Outcome, number> });
const isOperacao = (value: string): value is OperatorMethod => (operatorMethods as readonly string[]).includes(value);
const isOutcome = (value: string): value is Outcome => (outcomes as readonly string[]).includes(value);

/** Sorted latencies per key, then read as p50/p95. */
class LatencyBuckets {
  private readonly values = new Map<string, number[]>();
  add(key: string, value: number) {
    const list = this.values.get(key);
    if (list) list.push(value);
    else this.values.set(key, [value]);
  }
  percentiles(key: string): { p50Ms: number | null; p95Ms: number | null } {
    const list = this.values.get(key);
    if (!list) return { p50Ms: null, p95Ms: null };
    list.sort((a, b) => a - b);
    return { p50Ms: nearestRank(list, 50), p95Ms: nearestRank(list, 95) };
  }
}

/**
 * The painel inicial: per-operação volume, success, latency and contract failures over a period,
 * as totals and as a continuous time series, plus the state of the instância's grupos de
 * autorização. Counts come from one GROUP BY in the database; percentiles from the latencies
 * themselves (nearest rank, computed here so both engines agree to the millisecond), read up to
 * `latencySampleCap` rows — beyond that, every k-th call in time order, flagged `amostrado`.
 */
export function createPainelInicialService(deps: { repos: { logStats: LogStatsRepo }; clock: Clock; grupos: Pick<GruposService, 'list'>; latencySampleCap?: number }) {
  const repo = deps.repos.logStats;
  const cap = Math.max(1, deps.latencySampleCap ?? DEFAULT_LATENCY_SAMPLE_CAP);

  return {
    async get(input: { clienteId: string; instancia: 1 | 2; periodo: Periodo; fusoMinutos: number }): Promise<PainelInicial> {
      const { desde, ate, intervaloMs, buckets } = statsWindowOf(input.periodo, deps.clock.now(), input.fusoMinutos);
      const window: StatsWindow = { clienteId: input.clienteId, instancia: input.instancia, desde, ate, intervaloMs };

      const [counts, grupos] = await Promise.all([repo.countByBucket(window), deps.grupos.list(input.clienteId, input.instancia)]);

      const geral = newCounter();
      const porOperacao = new Map<OperatorMethod, Counter>(operatorMethods.map((op) => [op, newCounter()]));
      const porBucket = Array.from({ length: buckets }, () => ({ geral: newCounter(), porOperacao: new Map<OperatorMethod, Counter>(operatorMethods.map((op) => [op, newCounter()])) }));
      let medidas = 0;
      for (const row of counts) {
        // Only the methods Ponte calls are charted; the window bounds keep the bucket in range.
        if (!isOperacao(row.operacao) || row.bucket < 0 || row.bucket >= buckets) continue;
        const slot = porBucket[row.bucket]!;
        for (const counter of [geral, porOperacao.get(row.operacao)!, slot.geral, slot.porOperacao.get(row.operacao)!]) {
          counter.chamadas += row.chamadas;
          counter.violacoesContrato += row.comViolacoes;
          if (row.resultado === 'sucesso') counter.sucesso += row.chamadas;
          if (isOutcome(row.resultado)) counter.porResultado[row.resultado] += row.chamadas;
        }
        if (row.resultado !== 'bloqueado') medidas += row.chamadas;
      }

      const everyNth = medidas > cap ? Math.ceil(medidas / cap) : 1;
      const latencias = new LatencyBuckets();
      if (medidas > 0) {
        for (const row of await repo.latencies(window, { everyNth, limit: cap })) {
          if (!isOperacao(row.operacao) || row.bucket < 0 || row.bucket >= buckets) continue;
          latencias.add('*', row.latencyMs);
          latencias.add(row.operacao, row.latencyMs);
          latencias.add(`${row.bucket}`, row.latencyMs);
          latencias.add(`${row.bucket}:${row.operacao}`, row.latencyMs);
        }
      }

      const totals = (c: Counter, key: string) => ({
        chamadas: c.chamadas,
        sucesso: c.sucesso,
        taxaSucesso: c.chamadas === 0 ? null : c.sucesso / c.chamadas,
        ...latencias.percentiles(key),
        violacoesContrato: c.violacoesContrato,
        falhas: c.chamadas - c.sucesso,
        porResultado: c.porResultado,
      });
      const point = (c: Counter, key: string) => ({ chamadas: c.chamadas, sucesso: c.sucesso, ...latencias.percentiles(key), violacoesContrato: c.violacoesContrato });
      const grupoFailures = (c: Counter) => c.chamadas - c.sucesso;

      return {
        periodo: input.periodo,
        desde,
        ate,
        intervaloMs,
        fusoMinutos: input.fusoMinutos,
        amostrado: everyNth > 1,
        geral: { ...totals(geral, '*'), falhasGrupo: grupoFailures(porOperacao.get('autorizacao')!) },
        totais: operatorMethods.map((operacao) => ({ operacao, ...totals(porOperacao.get(operacao)!, operacao) })),
        serie: porBucket.map((slot, index) => ({
          inicio: desde + index * intervaloMs,
          geral: point(slot.geral, `${index}`),
          porOperacao: Object.fromEntries(operatorMethods.map((op) => [op, point(slot.porOperacao.get(op)!, `${index}:${op}`)])) as Record<OperatorMethod, ReturnType<typeof point>>,
          falhasGrupo: grupoFailures(slot.porOperacao.get('autorizacao')!),
        })),
        grupos: grupos.map((g) => ({
          id: g.id,
          nome: g.nome,
          status: g.status,
          ultimaRenovacaoEm: g.ultimaRenovacaoEm,
          ultimoErro: g.ultimoErro,
          ultimoErroEm: g.ultimoErroEm,
        })),
      };
    },
  };
}

export type PainelInicialService = ReturnType<typeof createPainelInicialService>;
