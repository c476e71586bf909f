import { ponteEnv } from './data.ts';
import type { Summary } from './report.ts';
import type { WrkRequest } from './wrk.ts';

/** What the scenarios may use, prepared once per run by bench/run.ts. */
export type BenchContext = {
  /** Repository root (where bin/ and bench/ are). */
  root: string;
  /** SQLite data folder created for this run, with the cliente and token below. */
  dataDir: string;
  clienteId: string;
  /** Plaintext token do cliente (chavePasse + seguranca). */
  token: string;
  /** A real temp-authorization answer, byte for byte, for references that must move the same bytes. */
  tempAuthAnswerFile: string;
  /** Core for the server under test and core for wrk and upstreams (null when not pinning). */
  serverCore: number | null;
  loadCore: number | null;
  freePort(): Promise<number>;
};

export type ServerSpec = {
  name: string;
  /** `ctx.serverCore` for the server under test, `ctx.loadCore` for upstreams. */
  core: number | null;
  command: string;
  args: string[];
  /** Only the variables the scenario sets; the harness adds the inherited environment (see cleanEnv). */
  env: Record<string, string>;
  port: number;
  /** GET path answering 2xx once the server is up. */
  readyPath: string;
  /** The one server whose CPU and RSS are reported; wrk targets it. */
  measured?: boolean;
};

export type Target = {
  /** As it reads in the report, e.g. "≥ 3,500 tokens/s per core". */
  text: string;
  met(self: Summary, reference: Summary | undefined): boolean;
};

/**
 * One benchmark configuration. To add one, add an object to `scenarios` below: the rounds
 * interleave every selected scenario and the report gains a row in its section.
 */
export type Scenario = {
  name: string;
  /** The BENCHMARKS.md section (see `sections`) the row belongs to. */
  section: string;
  description: string;
  /** Started in order (upstreams first), stopped after each measurement: every sample starts cold. */
  servers(ctx: BenchContext): Promise<ServerSpec[]>;
  request(ctx: BenchContext): WrkRequest;
  /** Checks one answer before loading the server, so a broken setup never reports numbers. */
  checkAnswer?(status: number, body: string): string | undefined;
  /** Name of the scenario this one is compared to (always run alongside it). */
  comparesTo?: string;
  target?: Target;
};

export const sections: Record<string, string> = {
  foundation: 'Foundation — temporary tokens and framework overhead',
};

/** The environment a child inherits, minus anything that would point Ponte at other storage or keys. */
export function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (name.startsWith('PONTE_') || ['DATABASE_URL', 'REDIS_URL', 'NODE_ENV', 'LOG_LEVEL', 'PORT', 'HOST', 'NODE_OPTIONS'].includes(name)) continue;
    env[name] = value;
  }
  return { ...env, ...extra };
}

/** Ponte itself, as `npm start` runs it, on the server core. */
export async function ponteServer(ctx: Pick<BenchContext, 'dataDir' | 'serverCore' | 'freePort'>): Promise<ServerSpec> {
  const port = await ctx.freePort();
  return {
    name: 'ponte',
    core: ctx.serverCore,
    command: process.execPath,
    args: ['bin/ponte.js', 'serve'],
    env: { ...ponteEnv(ctx.dataDir), PORT: String(port), HOST: '127.0.0.1' },
    port,
    readyPath: '/healthz',
    measured: true,
  };
}

/** How operators call temp-authorization (the seed): POST, raw token, JSON content type, no body. */
export function tempAuthRequest(ctx: Pick<BenchContext, 'token'>, path: string): WrkRequest {
  return { method: 'POST', path, headers: { Authorization: ctx.token, 'Content-Type': 'application/json' }, body: '' };
}

export const TEMP_AUTH_TOKENS_PER_SECOND_TARGET = 3500;

export const scenarios: Scenario[] = [
  {
    name: 'temp-authorization',
    section: 'foundation',
    description: 'Ponte `POST /clientes/auth/temp-authorization` with a valid token do cliente: verification (cached), HS256 JWT minted per request.',
    servers: async (ctx) => [await ponteServer(ctx)],
    request: (ctx) => tempAuthRequest(ctx, '/clientes/auth/temp-authorization'),
    checkAnswer: (status, body) => {
      if (status !== 200) return `expected 200, got ${status}: ${body.slice(0, 200)}`;
      const parsed = JSON.parse(body) as { status?: unknown; data?: { token?: unknown } };
      return parsed.status === true && typeof parsed.data?.token === 'string' ? undefined : `not a temp token answer: ${body.slice(0, 200)}`;
    },
    comparesTo: 'fastify-fixed-json',
    target: {
      text: `≥ ${TEMP_AUTH_TOKENS_PER_SECOND_TARGET.toLocaleString('en-US')} tokens/s per core (PERFORMANCE.md)`,
      met: (self) => self.requestsPerSecond.median >= TEMP_AUTH_TOKENS_PER_SECOND_TARGET,
    },
  },
  {
    name: 'fastify-fixed-json',
    section: 'foundation',
    description: 'Reference: bare Fastify 5 (`bench/reference-server.ts`, no plugins, no logging) answering the same request with a fixed JSON of the same bytes as a temp-authorization answer.',
    servers: async (ctx) => {
      const port = await ctx.freePort();
      return [
        {
          name: 'reference',
          core: ctx.serverCore,
          command: process.execPath,
          args: ['--import', 'tsx', 'bench/reference-server.ts'],
          env: { PORT: String(port), BENCH_BODY_FILE: ctx.tempAuthAnswerFile },
          port,
          readyPath: '/healthz',
          measured: true,
        },
      ];
    },
    request: (ctx) => tempAuthRequest(ctx, '/fixed-json'),
    checkAnswer: (status) => (status === 200 ? undefined : `expected 200, got ${status}`),
  },
  {
    name: 'healthz',
    section: 'foundation',
    description: "Ponte `GET /healthz`: the smallest route, so the gap to the bare reference is our app's per-request overhead (hooks, metrics, request id).",
    servers: async (ctx) => [await ponteServer(ctx)],
    request: () => ({ method: 'GET', path: '/healthz' }),
    checkAnswer: (status, body) => (status === 200 && body === '{"status":"ok"}' ? undefined : `expected 200 {"status":"ok"}, got ${status} ${body}`),
    comparesTo: 'fastify-fixed-json',
  },
];
