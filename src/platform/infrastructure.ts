import { join } from 'node:path';
import { systemClock, type Clock } from './clock.ts';
import type { Config } from './config.ts';
import { migrateToLatest, openDatabase, type Database } from './db/database.ts';
import { outageOf } from './dependency-outage.ts';
import { loadKeyring, type Keyring } from './keyring.ts';
import type { KeyValueStore } from './kv/kv.ts';
import { createMemoryKv } from './kv/memory-kv.ts';
import { createLogger, type Logger } from './logger.ts';

export type Infrastructure = {
  config: Config;
  database: Database;
  kv: KeyValueStore;
  keyring: Keyring;
  logger: Logger;
  clock: Clock;
  close(): Promise<void>;
};

/**
 * SQLite under the data folder unless `DATABASE_URL` names a PostgreSQL server. `migrating` lifts
 * the statement timeouts: building an index on a big table may rightly take minutes.
 */
export function databaseFromConfig(config: Config, options: { logger?: Logger; migrating?: boolean } = {}): Database {
  if (!config.databaseUrl) return openDatabase({ kind: 'sqlite', file: join(config.dataDir, 'ponte.db') });
  const { connectTimeoutMs, statementTimeoutMs, queryTimeoutMs } = config.databaseTimeouts;
  return openDatabase({
    kind: 'postgres',
    url: config.databaseUrl,
    poolSize: options.migrating ? 1 : undefined,
    timeouts: options.migrating ? { connectTimeoutMs, statementTimeoutMs: 3_600_000, queryTimeoutMs: 3_600_000 } : config.databaseTimeouts,
    onConnectionError: (err) => options.logger?.warn({ err: { message: err.message, code: (err as { code?: string }).code } }, 'conexão com o PostgreSQL perdida; o pool abre outra na próxima consulta'),
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Migrates the database, waiting for it to come up: each refused attempt is logged and retried
 * with a capped backoff (0.5 s doubling to 5 s) for at most `startupWaitSeconds`. Errors that are
 * not an outage (a failing migration) are thrown at once.
 */
export async function migrateWhenReachable(config: Config, logger: Logger): Promise<void> {
  const deadline = Date.now() + config.startupWaitSeconds * 1000;
  for (let attempt = 1, delayMs = 500; ; attempt += 1, delayMs = Math.min(delayMs * 2, 5_000)) {
    const database = databaseFromConfig(config, { logger, migrating: true });
    try {
      await migrateToLatest(database.db);
      if (attempt > 1) logger.info({ attempt }, 'banco de dados acessível; migrações aplicadas');
      return;
    } catch (err) {
      if (!outageOf(err) || Date.now() + delayMs > deadline) throw err;
      logger.warn(
        { attempt, retryInMs: delayMs, err: { message: (err as Error).message, code: (err as { code?: string }).code } },
        `banco de dados inacessível; nova tentativa em ${delayMs} ms (desiste após PONTE_STARTUP_WAIT_SECONDS=${config.startupWaitSeconds})`,
      );
      // The log is buffered for throughput; someone watching a node that waits must see it now.
      logger.flush();
      await sleep(delayMs);
    } finally {
      await database.close().catch(() => undefined);
    }
  }
}

/**
 * Opens what the server and the CLI stand on — keys, database (migrated to the latest version),
 * key-value store and logger — from a validated configuration. An unreachable database is waited
 * for (see `migrateWhenReachable`); Redis is not: until it answers, the key-value store degrades to
 * this node's own memory (services.ts). `migrate: false` is for the workers of `serve --workers`,
 * whose primary migrated the database before starting them.
 */
export async function openInfrastructure(config: Config, options: { logger?: Logger; migrate?: boolean } = {}): Promise<Infrastructure> {
  const keyring = loadKeyring(config);
  const logger = options.logger ?? createLogger(config);
  if (options.migrate !== false) await migrateWhenReachable(config, logger);
  const database = databaseFromConfig(config, { logger });
  let lastRedisError = '';
  // ioredis (~7 MB) is loaded only by nodes that use Redis; an embedded node never does.
  const kv = config.redisUrl
    ? (await import('./kv/redis-kv.ts')).createRedisKv({
        url: config.redisUrl,
        ...config.redisTimeouts,
        onConnectionError: (err) => {
          // ioredis retries every few hundred ms: one line per distinct error, not one per retry.
          if (err.message === lastRedisError) return;
          lastRedisError = err.message;
          logger.warn({ err: { message: err.message } }, 'conexão com o Redis falhou; reconectando');
        },
      })
    : createMemoryKv();
  return {
    config,
    database,
    kv,
    keyring,
    logger,
    clock: systemClock,
    async close() {
      await Promise.allSettled([database.close(), kv.close()]);
      logger.flush();
    },
  };
}
