import { join } from 'node:path';
import { systemClock, type Clock } from './clock.ts';
import type { Config } from './config.ts';
import { migrateToLatest, openDatabase, type Database } from './db/database.ts';
import { loadKeyring, type Keyring } from './keyring.ts';
import type { KeyValueStore } from './kv/kv.ts';
import { createMemoryKv } from './kv/memory-kv.ts';
import { createRedisKv } from './kv/redis-kv.ts';
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

/** SQLite under the data folder unless `DATABASE_URL` names a PostgreSQL server. */
export function databaseFromConfig(config: Config): Database {
  return config.databaseUrl
    ? openDatabase({ kind: 'postgres', url: config.databaseUrl })
    : openDatabase({ kind: 'sqlite', file: join(config.dataDir, 'ponte.db') });
}

/**
 * Opens what the server and the CLI stand on — keys, database (migrated to the latest version),
 * key-value store and logger — from a validated configuration.
 */
export async function openInfrastructure(config: Config, options: { logger?: Logger } = {}): Promise<Infrastructure> {
  const keyring = loadKeyring(config);
  const logger = options.logger ?? createLogger(config);
  const database = databaseFromConfig(config);
  await migrateToLatest(database.db);
  const kv = config.redisUrl ? createRedisKv({ url: config.redisUrl }) : createMemoryKv();
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
