import { countStorageCpu, forgetGrupoCache, type ScaleOut, scaleOutUnavailable } from './scale-out.ts';
import { chavePasseRequest, checkChavePasseAnswer, PER_TOKEN_LIMIT_ENV } from './scenarios-chave-passe.ts';
import { LOGIN_LIMITS_ENV } from './data.ts';
import { checkPonteLogin, logEntriesDropped, ponteLoginRequest } from './scenarios-login.ts';
import type { BenchContext, Scenario, ServerSpec } from './scenario-types.ts';
import { ponteServer, simulatorServer } from './servers.ts';

/**
 * "Scale-out — PostgreSQL + Redis and --workers" (issue 11, docs/DESEMPENHO.md): the login and the
 * chave passe data API of the embedded rows, with Ponte on the machine's PostgreSQL and Redis, and
 * the login with `serve --workers 2`. No target yet: the rows are measured next to their SQLite
 * siblings and the same references, to see where the time goes. PostgreSQL and Redis are shared
 * servers, not pinned: they run on either core, next to Ponte or next to wrk.
 */

const WORKERS = 2;

function scaleOutOf(ctx: BenchContext): ScaleOut {
  if (!ctx.scaleOut) throw new Error('the PostgreSQL + Redis data of the run was not prepared');
  return ctx.scaleOut;
}

/** The context on the run's PostgreSQL + Redis: its storage and the ids seeded there. */
function onScaleOut(ctx: BenchContext): BenchContext {
  const { data, env } = scaleOutOf(ctx);
  return { ...ctx, ...data, storageEnv: env };
}

/** What every scale-out row shares: the storage, its availability, the CPU it spends outside Ponte. */
const scaleOut = {
  section: 'scaleOut',
  scaleOut: true,
  unavailable: scaleOutUnavailable,
  countCompanionCpu: (ctx: BenchContext) => countStorageCpu(scaleOutOf(ctx)),
  // Ponte waits on PostgreSQL and Redis, which share its cores: it need not saturate one.
  saturates: false,
} satisfies Partial<Scenario>;

const cpuNote =
  "The CPU column is Ponte's own processes only: the PostgreSQL backends of the run's database and the (shared) Redis server are separate processes, their CPU per request is in each round's note, and their work on the server core is not counted as disturbance.";

/** The banner line `serve` prints once listening, naming the storage it runs on. */
const bannerOn = (workers: number) => `PostgreSQL, chave-valor Redis${workers > 1 ? `, ${workers} processos` : ''})`;

async function ponteOnScaleOut(ctx: BenchContext, env: Record<string, string>, workers = 1): Promise<ServerSpec> {
  const spec = await ponteServer(onScaleOut(ctx), env);
  spec.readyOutput = bannerOn(workers);
  // Cold like the SQLite rows: no grupo tokens from an earlier measurement's simulator.
  spec.prepare = () => forgetGrupoCache(scaleOutOf(ctx));
  if (workers === 1) return spec;
  return { ...spec, args: [...spec.args, '--workers', String(workers)], core: null, measureTree: true };
}

export const scaleOutScenarios: Scenario[] = [
  {
    ...scaleOut,
    name: 'login-via-ponte-pg',
    description: `\`login-via-ponte\` with Ponte on PostgreSQL + Redis (\`DATABASE_URL\` = a database created for the run on the machine's PostgreSQL, seeded like the SQLite one; \`REDIS_URL\` = the machine's Redis, db 15): the session and the central de logs entry go to PostgreSQL, the abuse-limit counters and the grupo cache to Redis. ${cpuNote}`,
    servers: async (ctx) => [simulatorServer(ctx), await ponteOnScaleOut(ctx, LOGIN_LIMITS_ENV)],
    request: (ctx) => ponteLoginRequest(onScaleOut(ctx)),
    checkAnswer: checkPonteLogin,
    comparesTo: 'proxy-fastify-undici',
    alsoComparedTo: ['login-via-ponte'],
    inspect: logEntriesDropped,
  },
  {
    ...scaleOut,
    name: 'chavepasse-usuario-pg',
    description: `\`chavepasse-usuario\` with Ponte on PostgreSQL + Redis (as \`login-via-ponte-pg\`): the key is opened fresh in PostgreSQL for each measurement; token and key lookups are cached in the process as on SQLite. ${cpuNote}`,
    servers: async (ctx) => [await ponteOnScaleOut(ctx, PER_TOKEN_LIMIT_ENV)],
    request: (ctx) => chavePasseRequest(onScaleOut(ctx)),
    checkAnswer: checkChavePasseAnswer,
    comparesTo: 'chavepasse-bare',
    alsoComparedTo: ['chavepasse-usuario'],
  },
  {
    ...scaleOut,
    name: `login-via-ponte-workers${WORKERS}`,
    description: `\`login-via-ponte-pg\` with \`ponte serve --workers ${WORKERS}\` (more than one worker requires \`REDIS_URL\`; on PostgreSQL, as the README's production recipe): a primary and ${WORKERS} workers sharing the port. Ponte is not pinned — it may use both cores, so it shares core 0 with wrk and the simulator (and both with PostgreSQL and Redis): its throughput is not a clean ×${WORKERS}. CPU and RSS are summed over the primary and its workers (RSS counts the pages the forks share once per process: an upper bound). ${cpuNote}`,
    servers: async (ctx) => [simulatorServer(ctx), await ponteOnScaleOut(ctx, LOGIN_LIMITS_ENV, WORKERS)],
    request: (ctx) => ponteLoginRequest(onScaleOut(ctx)),
    checkAnswer: checkPonteLogin,
    comparesTo: 'proxy-fastify-undici',
    alsoComparedTo: ['login-via-ponte-pg', 'login-via-ponte'],
    inspect: logEntriesDropped,
  },
];
