import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { migrateToLatest, openDatabase, type Database, type DatabaseKind } from '../../src/platform/db/database.ts';
import type { KeyValueStore } from '../../src/platform/kv/kv.ts';
import { createMemoryKv } from '../../src/platform/kv/memory-kv.ts';
import { createRedisKv } from '../../src/platform/kv/redis-kv.ts';

/**
 * Real local infrastructure for tests. SQLite always; PostgreSQL when `DATABASE_URL` is set
 * (each test database is a fresh schema, dropped afterwards); Redis when `REDIS_URL` is set
 * (each store gets its own key prefix).
 */
export const postgresUrl = process.env.DATABASE_URL || undefined;
export const redisUrl = process.env.REDIS_URL || undefined;

export type TestDatabase = Database & { dispose(): Promise<void> };

/** The database kinds this run covers: SQLite, plus PostgreSQL when configured. */
export function databaseKinds(): DatabaseKind[] {
  return postgresUrl ? ['sqlite', 'postgres'] : ['sqlite'];
}

/** The kind route and end-to-end tests use: PostgreSQL when configured, else SQLite. */
export function primaryDatabaseKind(): DatabaseKind {
  return postgresUrl ? 'postgres' : 'sqlite';
}

export async function openTestDatabase(kind: DatabaseKind = primaryDatabaseKind()): Promise<TestDatabase> {
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'ponte-test-'));
    const database = openDatabase({ kind: 'sqlite', file: join(dir, 'ponte.db') });
    await migrateToLatest(database.db);
    return {
      ...database,
      async dispose() {
        await database.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  if (!postgresUrl) throw new Error('DATABASE_URL is not set: PostgreSQL tests cannot run');
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: postgresUrl });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  const database = openDatabase({ kind: 'postgres', url: postgresUrl, searchPath: schema, poolSize: 4 });
  await migrateToLatest(database.db);
  return {
    ...database,
    async dispose() {
      await database.close();
      const cleanup = new pg.Client({ connectionString: postgresUrl });
      await cleanup.connect();
      await cleanup.query(`drop schema ${schema} cascade`);
      await cleanup.end();
    },
  };
}

export type KvKind = 'memory' | 'redis';

export function kvKinds(): KvKind[] {
  return redisUrl ? ['memory', 'redis'] : ['memory'];
}

export function primaryKvKind(): KvKind {
  return redisUrl ? 'redis' : 'memory';
}

/** A fresh store; Redis stores created with the same `sharedPrefix` see the same keys (two nodes). */
export function openTestKv(kind: KvKind = primaryKvKind(), sharedPrefix?: string): KeyValueStore {
  if (kind === 'memory') return createMemoryKv();
  if (!redisUrl) throw new Error('REDIS_URL is not set: Redis tests cannot run');
  return createRedisKv({ url: redisUrl, keyPrefix: sharedPrefix ?? `ponte-test:${randomBytes(6).toString('hex')}:` });
}
