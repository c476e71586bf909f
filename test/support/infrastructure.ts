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

export const testPostgresTimeouts = { connectTimeoutMs: 10_000, statementTimeoutMs: 30_000, queryTimeoutMs: 35_000 };

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
  await createTestSchema(postgresUrl, schema);
  // Generous limits: a loaded 2-core CI machine migrating many schemas at once is slow, not down.
  const database = openDatabase({ kind: 'postgres', url: postgresUrl, searchPath: schema, poolSize: 4, timeouts: testPostgresTimeouts });
  await migrateTestSchema(postgresUrl, () => migrateToLatest(database.db));
  return {
    ...database,
    async dispose() {
      await database.close();
      await dropTestSchema(postgresUrl, schema);
    },
  };
}

/**
 * Kysely's migrator lists the tables of every schema in the database, so a test file dropping its
 * schema while another file migrates can fail that listing ("schema t_… does not exist").
 * Migrations hold this advisory lock shared and schema drops hold it exclusive.
 */
const SCHEMA_LOCK_KEY = 7_311_001;

async function withSchemaLock<T>(url: string, mode: 'shared' | 'exclusive', work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(mode === 'shared' ? 'select pg_advisory_lock_shared($1)' : 'select pg_advisory_lock($1)', [SCHEMA_LOCK_KEY]);
    return await work(client);
  } finally {
    // Ending the session releases its advisory lock.
    await client.end();
  }
}

export async function createTestSchema(url: string, schema: string): Promise<void> {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query(`create schema ${schema}`);
  } finally {
    await admin.end();
  }
}

/** Runs migrations of a test schema so no other test file drops its schema meanwhile. */
export function migrateTestSchema<T>(url: string, migrate: () => Promise<T>): Promise<T> {
  return withSchemaLock(url, 'shared', () => migrate());
}

export function dropTestSchema(url: string, schema: string): Promise<void> {
  return withSchemaLock(url, 'exclusive', async (client) => {
    await client.query(`drop schema ${schema} cascade`);
  });
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
  // A loaded 2-core CI machine can take longer than the production default to answer.
  return createRedisKv({ url: redisUrl, keyPrefix: sharedPrefix ?? `ponte-test:${randomBytes(6).toString('hex')}:`, commandTimeoutMs: 5_000 });
}
