import { buildApp, type App, type Services } from '../../src/app.ts';
import { systemClock, type Clock } from '../../src/platform/clock.ts';
import { loadConfig, type Config } from '../../src/platform/config.ts';
import { randomKeyring, type Keyring } from '../../src/platform/keyring.ts';
import type { KeyValueStore } from '../../src/platform/kv/kv.ts';
import { createLogger } from '../../src/platform/logger.ts';
import { openTestDatabase, openTestKv, type TestDatabase } from './infrastructure.ts';

export type TestApp = {
  app: App;
  services: Services;
  database: TestDatabase;
  kv: KeyValueStore;
  keyring: Keyring;
  config: Config;
  /** What SIGTERM does first: `/readyz` answers 503 from now on. */
  startDraining(): void;
  close(): Promise<void>;
};

/**
 * A whole Ponte app over real local infrastructure, driven with `app.inject()`. Pass `database`,
 * `kv` and `keyring` to build a second node sharing them with the first.
 */
export async function createTestApp(
  options: { env?: Record<string, string>; clock?: Clock; database?: TestDatabase; kv?: KeyValueStore; keyring?: Keyring } = {},
): Promise<TestApp> {
  // A loaded 2-core CI machine can take more than the production budget (1 s) to answer a
  // readiness query; tests that check readiness are about the answer, not the machine's speed.
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'silent', PONTE_READY_CHECK_TIMEOUT_MS: '10000', ...options.env });
  const ownsDatabase = !options.database;
  const ownsKv = !options.kv;
  const database = options.database ?? (await openTestDatabase());
  const kv = options.kv ?? openTestKv();
  const keyring = options.keyring ?? randomKeyring();
  const { app, services, startDraining } = await buildApp({
    config,
    database,
    kv,
    keyring,
    logger: createLogger(config),
    clock: options.clock ?? systemClock,
  });
  await app.ready();
  return {
    app,
    services,
    database,
    kv,
    keyring,
    config,
    startDraining,
    async close() {
      await app.close();
      if (ownsKv) await kv.close();
      if (ownsDatabase) await database.dispose();
    },
  };
}
