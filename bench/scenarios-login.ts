import { join } from 'node:path';
import { BENCH_LOGIN, BENCH_STATIC_HEADERS, LOGIN_LIMITS_ENV } from './data.ts';
import { ensureNginx, writeNginxConfig } from './nginx.ts';
import type { Summary } from './report.ts';
import type { BenchContext, BenchRequest, Scenario, ServerSpec } from './scenario-types.ts';
import { grupoHeaders, operatorLoginRequest, ponteServer, simulatorServer } from './servers.ts';

/**
 * "Outbound — login through Ponte" (issue 3 and docs/DESEMPENHO.md): the app's login through Ponte
 * against the operator simulator, compared in the same run with the same call made straight to the
 * simulator, through nginx and through a bare Fastify + undici proxy, both adding the headers
 * Ponte adds; and one request in flight through Ponte and straight, for the latency Ponte adds.
 */


/** Issue 11's targets (docs/DESEMPENHO.md): CPU per login ≤ 2× the bare proxy's (stretch 1.5×); at light load ≤ 0.5 ms p50 and ≤ 5 ms p99 added. */
export const LOGIN_CPU_TARGET_RATIO = 2;
export const ADDED_P50_TARGET_MS = 0.5;
export const ADDED_P99_TARGET_MS = 5;
/** docs/DESEMPENHO.md: embedded Ponte's RSS after 60 s under load. */
export const RSS_AFTER_MINUTE_TARGET_MB = 150;
const MEMORY_RUN_SECONDS = 60;

const staticHeaders = () => Object.fromEntries(BENCH_STATIC_HEADERS.map((h) => [h.nome, h.valor]));

/** The headers Ponte sends the operator besides its own JSON ones: grupo ∪ static. */
async function operatorHeaders(ctx: BenchContext): Promise<Record<string, string>> {
  return { ...staticHeaders(), ...(await grupoHeaders(ctx.simulatorPort)) };
}

export function ponteLoginRequest(ctx: BenchContext): BenchRequest {
  return { method: 'POST', path: '/app/v1/sessoes', headers: { 'X-App-Id': ctx.appId, 'Content-Type': 'application/json' }, body: JSON.stringify({ campos: BENCH_LOGIN }) };
}

export function checkPonteLogin(status: number, body: string): string | undefined {
  if (status !== 201) return `expected 201, got ${status}: ${body.slice(0, 300)}`;
  const parsed = JSON.parse(body) as { token?: unknown; perfil?: { usuario?: { chaveUnica?: unknown } } };
  if (typeof parsed.token !== 'string' || !parsed.token.startsWith('pap_')) return `no session token in ${body.slice(0, 300)}`;
  return parsed.perfil?.usuario?.chaveUnica === BENCH_LOGIN.login ? undefined : `not ${BENCH_LOGIN.login}'s profile: ${body.slice(0, 300)}`;
}

function checkOperatorLogin(status: number, body: string): string | undefined {
  if (status !== 200) return `expected 200, got ${status}: ${body.slice(0, 300)}`;
  const parsed = JSON.parse(body) as { usuarioLogado?: { chaveUnica?: unknown } };
  return parsed.usuarioLogado?.chaveUnica === BENCH_LOGIN.login ? undefined : `not a login answer: ${body.slice(0, 300)}`;
}

/** Entries the central de logs dropped (queue full or insert failed), from Ponte's own metric. */
export async function logEntriesDropped(baseUrl: string): Promise<string> {
  const metrics = await (await fetch(`${baseUrl}/metrics`)).text();
  const dropped = /^ponte_log_center_dropped_total\s+(\d+)/m.exec(metrics)?.[1] ?? '0';
  return `central de logs: ${dropped} entries dropped`;
}

async function ponteLoginServers(ctx: BenchContext): Promise<ServerSpec[]> {
  return [simulatorServer(ctx), await ponteServer(ctx, LOGIN_LIMITS_ENV)];
}

export const ponteLoginDescription =
  'Ponte `POST /app/v1/sessoes` (`X-App-Id` of the Sandbox, `{"campos":{"login","senha"}}`): form check, abuse limits, grupo (cached) + 2 static headers (one stored encrypted), outbound `/login` to the simulator (`ponte operator-sim`, core 0), contract validation, a durable session written to SQLite, the central de logs entry (batched). Answers 201 with the session.';

function nginxServer(ctx: BenchContext, port: number): ServerSpec {
  const dir = join(ctx.workDir, 'nginx');
  const spec: ServerSpec = {
    name: 'nginx',
    core: ctx.serverCore,
    command: 'nginx',
    args: ['-c', join(dir, 'nginx.conf'), '-p', dir, '-e', join(dir, 'error.log')],
    env: {},
    port,
    readyPath: '/healthz',
    measured: true,
    processName: 'nginx',
    prepare: async () => {
      const config = writeNginxConfig({ dir, port, upstreamPort: ctx.simulatorPort, headers: await operatorHeaders(ctx) });
      spec.files = [{ path: config.file, text: config.text }];
    },
  };
  return spec;
}

function undiciProxyServer(ctx: BenchContext, port: number): ServerSpec {
  const spec: ServerSpec = {
    name: 'proxy',
    core: ctx.serverCore,
    command: process.execPath,
    args: ['--import', 'tsx', 'bench/proxy-server.ts'],
    env: { PORT: String(port), BENCH_UPSTREAM: `http://127.0.0.1:${ctx.simulatorPort}` },
    port,
    readyPath: '/healthz',
    measured: true,
    prepare: async () => {
      spec.env.BENCH_UPSTREAM_HEADERS = JSON.stringify(await operatorHeaders(ctx));
    },
  };
  return spec;
}

const cpuRatio = (self: Summary, reference: Summary | undefined) => (reference ? self.cpuMicrosPerRequest.median / reference.cpuMicrosPerRequest.median : Number.POSITIVE_INFINITY);
const added = (self: Summary, reference: Summary | undefined, key: 'p50Ms' | 'p99Ms') => (reference ? self[key].median - reference[key].median : Number.POSITIVE_INFINITY);

export const loginScenarios: Scenario[] = [
  {
    name: 'login-via-ponte',
    section: 'login',
    description: ponteLoginDescription,
    servers: ponteLoginServers,
    request: ponteLoginRequest,
    checkAnswer: checkPonteLogin,
    comparesTo: 'proxy-fastify-undici',
    alsoComparedTo: ['login-nginx', 'login-direct'],
    inspect: logEntriesDropped,
    target: {
      text: `CPU per login ≤ ${LOGIN_CPU_TARGET_RATIO}× the bare Fastify + undici proxy of the same call (docs/DESEMPENHO.md)`,
      met: (self, reference) => cpuRatio(self, reference) <= LOGIN_CPU_TARGET_RATIO,
      detail: (self, reference) =>
        `median ${Math.round(self.cpuMicrosPerRequest.median)} µs/req = ${cpuRatio(self, reference).toFixed(2)}× proxy-fastify-undici's ${reference ? Math.round(reference.cpuMicrosPerRequest.median) : '—'} µs/req; ${Math.round(self.requestsPerSecond.median).toLocaleString('en-US')} logins/s`,
    },
  },
  {
    name: 'login-direct',
    section: 'login',
    description:
      "The same login straight to the simulator's `POST /login` (body `{\"login\",\"senha\"}` as Ponte sends it, with the grupo headers it requires and the static headers): the simulator alone, here on the server core — the operator side's own cost.",
    servers: async (ctx) => [simulatorServer(ctx, true)],
    request: async (ctx) => operatorLoginRequest('/login', await operatorHeaders(ctx)),
    checkAnswer: checkOperatorLogin,
  },
  {
    name: 'login-nginx',
    section: 'login',
    description:
      'Reference: nginx (Debian `nginx-light`, one process, `master_process off`) as a reverse proxy to the simulator adding the same grupo + static headers, upstream keepalive 256. It is faster than the simulator behind it, so it is not expected to saturate its core: compare its CPU per request.',
    servers: async (ctx) => [simulatorServer(ctx), nginxServer(ctx, await ctx.freePort())],
    request: () => operatorLoginRequest('/login', {}),
    checkAnswer: checkOperatorLogin,
    saturates: false,
    unavailable: () => (ensureNginx() ? undefined : 'nginx is not installed and `apt-get install -y nginx-light` failed'),
  },
  {
    name: 'proxy-fastify-undici',
    section: 'login',
    description:
      'Reference: bare Fastify 5 route forwarding the body to the simulator with undici `Pool.request` (keep-alive, 32 connections like Ponte\'s bulkhead), adding the same grupo + static headers (`bench/proxy-server.ts`): the bare Node proxy docs/DESEMPENHO.md compares Ponte\'s login to.',
    servers: async (ctx) => [simulatorServer(ctx), undiciProxyServer(ctx, await ctx.freePort())],
    request: () => operatorLoginRequest('/login', {}),
    checkAnswer: checkOperatorLogin,
  },
  {
    name: 'login-via-ponte-c1',
    section: 'login',
    description: `Light load: \`login-via-ponte\` with one request in flight (wrk \`-c1\`), simulator on core 0.`,
    servers: ponteLoginServers,
    request: ponteLoginRequest,
    checkAnswer: checkPonteLogin,
    connections: 1,
    comparesTo: 'login-direct-c1',
    comparison: 'latency',
    target: {
      text: `≤ ${ADDED_P50_TARGET_MS} ms p50 and ≤ ${ADDED_P99_TARGET_MS} ms p99 added at light load (one request in flight) over the direct call (docs/DESEMPENHO.md)`,
      met: (self, reference) => added(self, reference, 'p50Ms') <= ADDED_P50_TARGET_MS && added(self, reference, 'p99Ms') <= ADDED_P99_TARGET_MS,
      detail: (self, reference) =>
        `p50 ${self.p50Ms.median.toFixed(2)} ms vs ${reference?.p50Ms.median.toFixed(2) ?? '—'} ms direct (+${added(self, reference, 'p50Ms').toFixed(2)} ms), p99 ${self.p99Ms.median.toFixed(2)} ms vs ${reference?.p99Ms.median.toFixed(2) ?? '—'} ms (+${added(self, reference, 'p99Ms').toFixed(2)} ms)`,
    },
  },
  {
    name: 'login-direct-c1',
    section: 'login',
    description: 'Light load: `login-direct` with one request in flight (wrk `-c1`).',
    servers: async (ctx) => [simulatorServer(ctx, true)],
    request: async (ctx) => operatorLoginRequest('/login', await operatorHeaders(ctx)),
    checkAnswer: checkOperatorLogin,
    connections: 1,
  },
  {
    name: 'login-via-ponte-60s',
    section: 'memory',
    description: `\`login-via-ponte\` measured for ${MEMORY_RUN_SECONDS} s whatever \`--duration\` says (after the same warm-up), for the RSS of embedded Ponte (SQLite) once a minute of logins has grown its caches, session table and central de logs; RSS is read from /proc right after the run.`,
    servers: ponteLoginServers,
    request: ponteLoginRequest,
    checkAnswer: checkPonteLogin,
    durationSeconds: MEMORY_RUN_SECONDS,
    inspect: logEntriesDropped,
    target: {
      text: `RSS ≤ ${RSS_AFTER_MINUTE_TARGET_MB} MB after ${MEMORY_RUN_SECONDS} s under load (docs/DESEMPENHO.md)`,
      met: (self) => self.rssMb.median <= RSS_AFTER_MINUTE_TARGET_MB,
      detail: (self) =>
        `median RSS ${Math.round(self.rssMb.median)} MB (${Math.round(self.rssMb.min)}–${Math.round(self.rssMb.max)}) after ${MEMORY_RUN_SECONDS} s at ${Math.round(self.requestsPerSecond.median).toLocaleString('en-US')} logins/s`,
    },
  },
];
