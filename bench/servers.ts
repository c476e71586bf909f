import { BENCH_GRUPO, BENCH_LOGIN, ponteEnv } from './data.ts';
import type { BenchContext, ServerSpec } from './scenario-types.ts';
import type { WrkRequest } from './wrk.ts';

/** The environment a child inherits, minus anything that would point Ponte at other storage or keys. */
export function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (name.startsWith('PONTE_') || ['DATABASE_URL', 'REDIS_URL', 'NODE_ENV', 'LOG_LEVEL', 'PORT', 'HOST', 'NODE_OPTIONS'].includes(name)) continue;
    env[name] = value;
  }
  return { ...env, ...extra };
}

/** Ponte itself, as `npm start` runs it, on the server core and the context's storage; `env` adds scenario settings. */
export async function ponteServer(ctx: Pick<BenchContext, 'dataDir' | 'storageEnv' | 'serverCore' | 'freePort'>, env: Record<string, string> = {}): Promise<ServerSpec> {
  const port = await ctx.freePort();
  return {
    name: 'ponte',
    core: ctx.serverCore,
    command: process.execPath,
    args: ['bin/ponte.js', 'serve'],
    env: { ...ponteEnv(ctx.dataDir, ctx.storageEnv), ...env, PORT: String(port), HOST: '127.0.0.1' },
    port,
    readyPath: '/healthz',
    measured: true,
  };
}

/** Bare Fastify answering `BENCH_BODY_FILE` at `/fixed-json` (bench/reference-server.ts). */
export async function fixedJsonServer(ctx: Pick<BenchContext, 'serverCore' | 'freePort'>, bodyFile: string): Promise<ServerSpec> {
  const port = await ctx.freePort();
  return {
    name: 'reference',
    core: ctx.serverCore,
    command: process.execPath,
    args: ['--import', 'tsx', 'bench/reference-server.ts'],
    env: { PORT: String(port), BENCH_BODY_FILE: bodyFile },
    port,
    readyPath: '/healthz',
    measured: true,
  };
}

/**
 * The operator simulator (`ponte operator-sim`), on the port the run's integração points at. As an
 * upstream it runs on the load core next to wrk; `measured` puts it on the server core instead.
 */
export function simulatorServer(ctx: Pick<BenchContext, 'simulatorPort' | 'serverCore' | 'loadCore'>, measured = false): ServerSpec {
  return {
    name: 'simulador',
    core: measured ? ctx.serverCore : ctx.loadCore,
    command: process.execPath,
    args: ['bin/ponte.js', 'operator-sim', '--port', String(ctx.simulatorPort), '--host', '127.0.0.1'],
    env: {},
    port: ctx.simulatorPort,
    readyPath: '/__simulador/chamadas',
    ...(measured ? { measured: true } : {}),
  };
}

/**
 * The grupo headers a running simulator accepts, fetched from its `/autorizacao` as Ponte does:
 * every simulator process signs its own tokens, so each measurement asks its own simulator.
 */
export async function grupoHeaders(simulatorPort: number): Promise<Record<string, string>> {
  const response = await fetch(`http://127.0.0.1:${simulatorPort}/autorizacao`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(BENCH_GRUPO),
  });
  const body = (await response.json()) as { auth?: { chave: string; token: string }[] };
  if (response.status !== 200 || !Array.isArray(body.auth)) throw new Error(`simulator /autorizacao answered ${response.status}: ${JSON.stringify(body)}`);
  return Object.fromEntries(body.auth.map((pair) => [pair.chave, pair.token]));
}

/** What the operator receives at `/login`, whoever calls it: the login form's fields. */
export function operatorLoginRequest(path: string, extraHeaders: Record<string, string>): WrkRequest {
  return { method: 'POST', path, headers: { 'Content-Type': 'application/json', Accept: 'application/json', ...extraHeaders }, body: JSON.stringify(BENCH_LOGIN) };
}
