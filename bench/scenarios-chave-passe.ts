import { BENCH_LOGIN, openChavePasse } from './data.ts';
import type { BenchContext, BenchRequest, Scenario } from './scenario-types.ts';
import { fixedJsonServer, ponteServer } from './servers.ts';

/**
 * "Chave passe data API" (issue 4 and docs/DESEMPENHO.md): `GET /clientes/chavePasse/usuario` as an
 * operator's page calls it, against a bare Fastify route returning the same bytes.
 */

export const CHAVE_PASSE_SHARE_TARGET = 0.6;

/** The query of a data API call; the bare reference gets the same request line with a stand-in key of the same length. */
export function chavePasseUsuarioPath(ctx: Pick<BenchContext, 'chaveFuncionalidade'>, route: string, chavePasse: string): string {
  const query = new URLSearchParams({ instanciaApp: '1', chavePasse, chaveFuncionalidade: ctx.chaveFuncionalidade });
  return `${route}?${query.toString()}`;
}

/**
 * A fresh key for every measurement (opened through the real services, as `abrir` does): keys live
 * 10 minutes and a full run is longer than that.
 */
export async function chavePasseRequest(ctx: BenchContext): Promise<BenchRequest> {
  const chavePasse = await openChavePasse(ctx.dataDir, ctx, ctx.storageEnv);
  return {
    method: 'GET',
    path: chavePasseUsuarioPath(ctx, '/clientes/chavePasse/usuario', chavePasse),
    headers: { Authorization: ctx.token },
    placeholders: { [chavePasse]: '$CHAVE_PASSE' },
  };
}

export function checkChavePasseAnswer(status: number, body: string): string | undefined {
  if (status !== 200) return `expected 200, got ${status}: ${body.slice(0, 300)}`;
  const parsed = JSON.parse(body) as { status?: unknown; data?: { chaveUnica?: unknown } };
  return parsed.status === true && parsed.data?.chaveUnica === BENCH_LOGIN.login ? undefined : `not the user's data: ${body.slice(0, 300)}`;
}

/** One token makes every request of the run: the per-token limit (600/min by default) is raised, as the login limits are for login. */
export const PER_TOKEN_LIMIT_ENV = { PONTE_CLIENTES_MAX_PER_TOKEN_PER_MINUTE: '100000000' };

/** base64url of 32 random bytes, as long as a real key. */
const STAND_IN_KEY = 'A'.repeat(43);

export const chavePasseScenarios: Scenario[] = [
  {
    name: 'chavepasse-usuario',
    section: 'chavePasse',
    description:
      'Ponte `GET /clientes/chavePasse/usuario?instanciaApp=1&chavePasse=…&chaveFuncionalidade=…` with the token do cliente (raw `Authorization`): token verification (cached), key lookup (cached 5 s after the first SQLite read), the envelope with the logged-in user\'s `chaveUnica` and `integracao`. The key is opened fresh for each measurement through the real services (funcionalidade valid 10 min, app session logged in through the simulator).',
    servers: async (ctx) => [await ponteServer(ctx, PER_TOKEN_LIMIT_ENV)],
    request: chavePasseRequest,
    checkAnswer: checkChavePasseAnswer,
    comparesTo: 'chavepasse-bare',
    target: {
      text: `≥ ${CHAVE_PASSE_SHARE_TARGET * 100} % of the throughput of a bare Fastify route returning the same bytes (docs/DESEMPENHO.md)`,
      met: (self, reference) => reference !== undefined && self.requestsPerSecond.median >= CHAVE_PASSE_SHARE_TARGET * reference.requestsPerSecond.median,
      detail: (self, reference) =>
        `median ${Math.round(self.requestsPerSecond.median).toLocaleString('en-US')} req/s = ${reference ? ((self.requestsPerSecond.median / reference.requestsPerSecond.median) * 100).toFixed(0) : '—'} % of chavepasse-bare's ${reference ? Math.round(reference.requestsPerSecond.median).toLocaleString('en-US') : '—'} req/s; p99 ${self.p99Ms.median.toFixed(2)} ms vs ${reference?.p99Ms.median.toFixed(2) ?? '—'} ms`,
    },
  },
  {
    name: 'chavepasse-bare',
    section: 'chavePasse',
    description:
      'Reference: bare Fastify 5 (`bench/reference-server.ts`, no plugins, no logging) answering the same request line and headers with the bytes of a real `/clientes/chavePasse/usuario` answer captured at the start of the run.',
    servers: async (ctx) => [await fixedJsonServer(ctx, ctx.chavePasseAnswerFile)],
    request: (ctx) => ({ method: 'GET', path: chavePasseUsuarioPath(ctx, '/fixed-json', STAND_IN_KEY), headers: { Authorization: ctx.token } }),
    checkAnswer: (status) => (status === 200 ? undefined : `expected 200, got ${status}`),
  },
];
