import { existsSync } from 'node:fs';
import { Redis } from 'ioredis';
import pg from 'pg';
import { LOGIN_LIMITS_ENV, type PreparedData, prepareData } from './data.ts';
import { cpuMicros, onStopAll } from './processes.ts';

/**
 * Ponte's scale-out storage for the bench (PostgreSQL + Redis): the machine's shared servers, which
 * the harness never stops, flushes or reconfigures. Each run creates a database of its own
 * (`ponte_bench_<pid>_<time>`), seeds it like the SQLite one and drops it `with (force)` when the
 * run ends (normal end, error, Ctrl-C: see stopAll); Redis gets a database index of its own, since
 * Ponte's key prefix is fixed (`ponte:`). `BENCH_POSTGRES_URL` (an admin connection) and
 * `BENCH_REDIS_URL` point elsewhere.
 */
const ADMIN_URL = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379/15';
const DATABASE_PREFIX = 'ponte_bench_';

export type ScaleOut = {
  /** The run's PostgreSQL database. */
  database: string;
  /** DATABASE_URL and REDIS_URL for every Ponte process (and seeding) on it. */
  env: Record<string, string>;
  /** What the scenarios call with, created in that database like the SQLite run's. */
  data: PreparedData;
};

async function withAdmin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 2_000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

function redisClient(): Redis {
  return new Redis(REDIS_URL, { lazyConnect: true, connectTimeout: 2_000, commandTimeout: 2_000, maxRetriesPerRequest: 0, retryStrategy: () => null });
}

async function withRedis<T>(work: (redis: Redis) => Promise<T>): Promise<T> {
  const redis = redisClient();
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    return await work(redis);
  } finally {
    redis.disconnect();
  }
}

let availability: Promise<string | undefined> | undefined;
/** Why PostgreSQL + Redis scenarios cannot run here, or undefined when both answer. */
export function scaleOutUnavailable(): Promise<string | undefined> {
  availability ??= (async () => {
    try {
      await withAdmin((client) => client.query('select 1'));
    } catch (error) {
      return `PostgreSQL does not answer at ${new URL(ADMIN_URL).host} (${(error as Error).message}; BENCH_POSTGRES_URL sets another admin URL)`;
    }
    try {
      const pong = await withRedis((redis) => redis.ping());
      if (pong !== 'PONG') return `Redis at ${REDIS_URL} answered PING with ${pong}`;
    } catch (error) {
      return `Redis does not answer at ${REDIS_URL} (${(error as Error).message}; BENCH_REDIS_URL sets another)`;
    }
    return undefined;
  })();
  return availability;
}

const quoted = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** Drops the databases of earlier runs that were killed before their cleanup (their pid is gone). */
async function dropLeftovers(client: pg.Client): Promise<void> {
  const { rows } = await client.query<{ datname: string }>('select datname from pg_database where datname like $1', [`${DATABASE_PREFIX}%`]);
  for (const { datname } of rows) {
    const pid = /^ponte_bench_(\d+)_\d+$/.exec(datname)?.[1];
    if (pid && !existsSync(`/proc/${pid}`)) await client.query(`drop database if exists ${quoted(datname)} with (force)`);
  }
}

/**
 * Creates the run's database (dropped by stopAll) and seeds it through the real services, keys from
 * the run's data folder (so the servers on it sign and decrypt with the same ones). What Ponte
 * writes to Redis (grupo cache, abuse-limit counters) expires by itself within the hour.
 */
export async function prepareScaleOut(dataDir: string, simulatorPort: number): Promise<ScaleOut> {
  const database = `${DATABASE_PREFIX}${process.pid}_${Date.now()}`;
  await withAdmin(async (client) => {
    await dropLeftovers(client);
    await client.query(`create database ${quoted(database)}`);
  });
  onStopAll(() => withAdmin(async (client) => void (await client.query(`drop database if exists ${quoted(database)} with (force)`))));
  const url = new URL(ADMIN_URL);
  url.pathname = `/${database}`;
  const env = { DATABASE_URL: url.toString(), REDIS_URL };
  // Redis keeps the per-IP login counter (127.0.0.1) between runs, and the login rows count
  // thousands: the seeding login lifts the limits as the servers do.
  return { database, env, data: await prepareData(dataDir, simulatorPort, { ...env, ...LOGIN_LIMITS_ENV }) };
}

/**
 * Forgets what Ponte cached in Redis for the run's grupo. Every measurement starts a simulator that
 * signs with a key of its own, so the tokens the last one issued are refused; on SQLite the cache
 * dies with the process, here it outlives it (and Ponte forces at most one refresh per grupo in a
 * 15 s window, across nodes). Called before each Ponte on PostgreSQL + Redis starts.
 */
export async function forgetGrupoCache(scaleOut: ScaleOut): Promise<void> {
  await withRedis(async (redis) => {
    const keys = await redis.keys(`ponte:grupo:${scaleOut.data.grupoId}:*`);
    if (keys.length > 0) await redis.del(...keys);
  });
}

/** utime+stime (µs) of the PostgreSQL backends connected to `database` right now, by pid. */
async function backendCpu(database: string): Promise<Map<number, number>> {
  const { rows } = await withAdmin((client) => client.query<{ pid: number }>('select pid from pg_stat_activity where datname = $1', [database]));
  const cpu = new Map<number, number>();
  for (const { pid } of rows) {
    try {
      cpu.set(pid, cpuMicros(pid));
    } catch {
      // the backend ended meanwhile (or PostgreSQL runs on another machine)
    }
  }
  return cpu;
}

/** used_cpu_user + used_cpu_sys of the Redis server (µs), from INFO: its whole process, whoever the client. */
async function redisCpu(): Promise<number> {
  const info = await withRedis((redis) => redis.info('cpu'));
  const seconds = (name: string) => Number(new RegExp(`^${name}:([\\d.]+)`, 'm').exec(info)?.[1] ?? Number.NaN);
  return (seconds('used_cpu_user') + seconds('used_cpu_sys')) * 1_000_000;
}

/**
 * Starts counting the CPU Ponte's storage spends outside Ponte's own processes: the PostgreSQL
 * backends of the run's database (a backend that appears meanwhile counts from its start; one that
 * ends meanwhile is lost) and the Redis server (shared: anything else using it counts too). The
 * returned function gives the µs spent since, by label.
 */
export async function countStorageCpu(scaleOut: ScaleOut): Promise<() => Promise<Record<string, number>>> {
  const [backendsBefore, redisBefore] = await Promise.all([backendCpu(scaleOut.database), redisCpu()]);
  return async () => {
    const [backendsAfter, redisAfter] = await Promise.all([backendCpu(scaleOut.database), redisCpu()]);
    let postgres = 0;
    for (const [pid, micros] of backendsAfter) postgres += micros - (backendsBefore.get(pid) ?? 0);
    return { 'PostgreSQL backends': postgres, Redis: redisAfter - redisBefore };
  };
}
