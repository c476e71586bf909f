import type { BenchContext, Scenario } from './scenario-types.ts';
import { chavePasseScenarios } from './scenarios-chave-passe.ts';
import { loginScenarios } from './scenarios-login.ts';
import { scaleOutScenarios } from './scenarios-scale-out.ts';
import { fixedJsonServer, ponteServer } from './servers.ts';
import type { WrkRequest } from './wrk.ts';

export const sections: Record<string, string> = {
  foundation: 'Foundation — temporary tokens and framework overhead',
  login: 'Outbound — login through Ponte',
  chavePasse: 'Chave passe data API',
  memory: 'Memory — embedded Ponte after a minute under login load',
  scaleOut: 'Scale-out — PostgreSQL + Redis and --workers',
};

/** How operators call temp-authorization (the seed): POST, raw token, JSON content type, no body. */
export function tempAuthRequest(ctx: Pick<BenchContext, 'token'>, path: string): WrkRequest {
  return { method: 'POST', path, headers: { Authorization: ctx.token, 'Content-Type': 'application/json' }, body: '' };
}

export const TEMP_AUTH_TOKENS_PER_SECOND_TARGET = 3500;

const foundationScenarios: Scenario[] = [
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
      text: `≥ ${TEMP_AUTH_TOKENS_PER_SECOND_TARGET.toLocaleString('en-US')} tokens/s per core (docs/DESEMPENHO.md)`,
      met: (self) => self.requestsPerSecond.median >= TEMP_AUTH_TOKENS_PER_SECOND_TARGET,
    },
  },
  {
    name: 'fastify-fixed-json',
    section: 'foundation',
    description: 'Reference: bare Fastify 5 (`bench/reference-server.ts`, no plugins, no logging) answering the same request with a fixed JSON of the same bytes as a temp-authorization answer.',
    servers: async (ctx) => [await fixedJsonServer(ctx, ctx.tempAuthAnswerFile)],
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

export const scenarios: Scenario[] = [...foundationScenarios, ...loginScenarios, ...chavePasseScenarios, ...scaleOutScenarios];
