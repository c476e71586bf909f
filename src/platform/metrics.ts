import cluster from 'node:cluster';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import { clusterMetricsSource } from './cluster-metrics.ts';

/** How long a worker's scrape waits for the primary to gather every worker's metrics. */
const CLUSTER_SCRAPE_TIMEOUT_MS = 3_000;

/** One registry per app instance, so several apps in one process (tests) never collide. */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'ponte_' });
  const httpDuration = new Histogram({
    name: 'ponte_http_request_duration_seconds',
    help: 'Duração das requisições HTTP atendidas pela Ponte',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const logEntriesDropped = new Counter({
    name: 'ponte_log_center_dropped_total',
    help: 'Registros da central de logs descartados (fila cheia ou falha ao gravar)',
    registers: [registry],
  });
  const kvFallbacks = new Counter({
    name: 'ponte_kv_fallback_total',
    help: 'Operações do armazenamento chave-valor atendidas pelo gêmeo local deste nó porque o compartilhado (Redis) falhou',
    labelNames: ['operation'] as const,
    registers: [registry],
  });
  const dependencyOutages = new Counter({
    name: 'ponte_dependency_unavailable_total',
    help: 'Requisições respondidas 503 porque uma dependência (banco de dados, chave-valor) estava indisponível',
    labelNames: ['dependency'] as const,
    registers: [registry],
  });
  const retentionPurgedRows = new Counter({
    name: 'ponte_retention_purged_rows_total',
    help: 'Linhas expiradas ou revogadas apagadas pelo job de retenção, por tabela',
    labelNames: ['tabela'] as const,
    registers: [registry],
  });
  // `/metrics` text: this process's registry, or under `serve --workers` the whole node's (cluster-metrics.ts).
  const text = cluster.isWorker ? clusterMetricsSource(registry, CLUSTER_SCRAPE_TIMEOUT_MS) : () => registry.metrics();
  // Recovery codes (and test messages) handed to an SMS provider or an SMTP server, one per attempt (modules/mensagens).
  const mensagensEnviadas = new Counter({
    name: 'ponte_mensagens_envios_total',
    help: 'Tentativas de envio de código (SMS ou e-mail) a um provedor, por canal, provedor e resultado',
    labelNames: ['canal', 'provedor', 'resultado'] as const,
    registers: [registry],
  });
  const mensagensDuracao = new Histogram({
    name: 'ponte_mensagens_envio_duration_seconds',
    help: 'Duração de cada tentativa de envio de código a um provedor',
    labelNames: ['canal', 'provedor'] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  return { registry, text, httpDuration, logEntriesDropped, kvFallbacks, dependencyOutages, retentionPurgedRows, mensagensEnviadas, mensagensDuracao };
}

export type Metrics = ReturnType<typeof createMetrics>;
