import type { Logger } from 'pino';
import type { Clock } from './clock.ts';
import type { Db } from './db/schema.ts';

/**
 * What can change under a node's caches, and what the key of each topic names. A key drops one
 * entry; no key drops everything the topic covers.
 */
export const invalidationTopics = {
  /** A token do cliente was revoked (its temp tokens die with it). Key: the token id. */
  'token-do-cliente': 'id do token',
  /** An app session ended: its chaves passe die with it. Key: the session id. */
  'sessao-app': 'id da sessão',
  /** An integração changed. Key: `<clienteId>:<instancia>`. */
  integracao: 'cliente:instância',
  /** A formulário changed or was removed. Key: the formulário id. */
  formulario: 'id do formulário',
  /** A funcionalidade changed or was removed: chaves passe carry a copy. Key: the funcionalidade id. */
  funcionalidade: 'id da funcionalidade',
  /** A grupo de autorização changed or was removed: nodes drop their local copy of its pairs. Key: the grupo id. */
  grupo: 'id do grupo',
  /** An origem was added or removed (CORS). Key: the origin, e.g. `https://app.operadora.com.br`. */
  origem: 'origem',
} as const;

export type InvalidationTopic = keyof typeof invalidationTopics;

/**
 * Drops cached copies; `key` undefined means all of the topic. Must be idempotent and cheap. A
 * handler that returns a promise is not awaited (a rejection is logged).
 */
export type InvalidationHandler = (key: string | undefined) => void;

/** What services see of the bus: tell every node (this one at once) that something changed. */
export type Invalidation = {
  /**
   * Applies the topic's handlers on this node at once, then records the change for the other
   * nodes (and other processes, such as the CLI). Never rejects: if the record cannot be written
   * it is retried by the poller, and until then other nodes rely on their caches' TTLs.
   */
  publish(topic: InvalidationTopic, key?: string): Promise<void>;
  subscribe(topic: InvalidationTopic, handler: InvalidationHandler): void;
};

export type InvalidationBus = Invalidation & {
  /** Starts polling for other nodes' changes. Idempotent. */
  start(): void;
  /** Stops polling, waits for a poll in flight and tries once more to record unsent changes. */
  stop(): Promise<void>;
};

export const invalidationDefaults = {
  pollIntervalMs: 250,
  /**
   * Rows older than this are purged. It must exceed the longest cache TTL (minutes here against
   * seconds there): a node that misses a purged row holds no entry older than the change.
   */
  retentionMs: 10 * 60_000,
  purgeEveryMs: 60_000,
} as const;

/** Rows read per query; a poll reads batches until one comes back short. */
const POLL_BATCH = 500;
const MAX_BATCHES_PER_POLL = 20;
const PURGE_BATCH = 1_000;
const MAX_PURGE_BATCHES = 20;
/** Changes kept for a retry while the database refuses them; beyond, the oldest are dropped (TTL still bounds them). */
const MAX_UNSENT = 1_000;
/**
 * On PostgreSQL an id is taken when an insert starts and becomes visible when it commits, so a
 * later id can be seen before an earlier one. Ids skipped over are looked for again for this long
 * (an insert of one row commits in far less), and at most this many at a time.
 */
const GAP_WAIT_MS = 30_000;
const MAX_GAPS = 1_000;

function dispatcher(logger: Logger | undefined) {
  const handlers = new Map<InvalidationTopic, Set<InvalidationHandler>>();
  const failed = (error: unknown, topic: InvalidationTopic) => logger?.warn({ err: error, topic }, 'invalidação: o tratamento falhou');
  return {
    subscribe(topic: InvalidationTopic, handler: InvalidationHandler): void {
      const set = handlers.get(topic) ?? new Set<InvalidationHandler>();
      set.add(handler);
      handlers.set(topic, set);
    },
    /** Runs every handler of the topic; one failing never stops the others, nor its caller. */
    apply(topic: InvalidationTopic, key: string | undefined): void {
      for (const handler of handlers.get(topic) ?? []) {
        try {
          const result: unknown = handler(key);
          if (result instanceof Promise) result.catch((error: unknown) => failed(error, topic));
        } catch (error) {
          failed(error, topic);
        }
      }
    },
  };
}

/**
 * Invalidation for one process only: handlers run at once, nothing is recorded. What a service
 * uses when it is built without the bus (a single process, e.g. a unit of the service alone).
 */
export function createLocalInvalidation(logger?: Logger): Invalidation {
  const handlers = dispatcher(logger);
  return {
    subscribe: handlers.subscribe,
    async publish(topic, key) {
      handlers.apply(topic, key);
    },
  };
}

const isTopic = (value: string): value is InvalidationTopic => Object.hasOwn(invalidationTopics, value);

/**
 * The invalidation bus: a table every node writes changes to and polls, the same on SQLite and
 * PostgreSQL, so it needs nothing from Redis and also reaches a node from a CLI process on the
 * same SQLite file. A change reaches every node within one poll interval plus one query.
 *
 * A node starts reading after the newest row at start (its caches are empty then). A poll that
 * fails (database down) is logged once per outage and retried on the next tick; it never throws
 * out of the timer. Each node purges rows older than `retentionMs` now and then, in batches.
 */
export function createInvalidationBus(deps: { db: Db; clock: Clock; logger: Logger; pollIntervalMs?: number; retentionMs?: number }): InvalidationBus {
  const pollIntervalMs = deps.pollIntervalMs ?? invalidationDefaults.pollIntervalMs;
  const retentionMs = deps.retentionMs ?? invalidationDefaults.retentionMs;
  const handlers = dispatcher(deps.logger);
  /** The highest id applied; undefined until the first successful read. */
  let lastSeen: number | undefined;
  /** Ids below `lastSeen` not seen yet, with when they were skipped over (monotonic ms). */
  const gaps = new Map<number, number>();
  /** Ids this node wrote: their handlers already ran at publish. */
  const ownIds = new Set<number>();
  const unsent: { topic: InvalidationTopic; key: string | undefined; at: number }[] = [];
  let running = false;
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<void> | undefined;
  let failingSince: number | undefined;
  let lastPurgeAt = Number.NEGATIVE_INFINITY;

  async function record(topic: InvalidationTopic, key: string | undefined, at: number): Promise<void> {
    const row = await deps.db.insertInto('invalidacoes').values({ topico: topic, chave: key ?? null, criado_em: at }).returning('id').executeTakeFirstOrThrow();
    // Seen already if a poll ran between the commit and here: then it was applied twice, which is harmless.
    if (lastSeen === undefined || row.id > lastSeen || gaps.has(row.id)) ownIds.add(row.id);
  }

  async function recordUnsent(): Promise<void> {
    for (let next = unsent.shift(); next; next = unsent.shift()) {
      try {
        await record(next.topic, next.key, next.at);
      } catch (error) {
        unsent.unshift(next);
        throw error;
      }
    }
  }

  async function readNewRows(): Promise<void> {
    for (let batch = 0; batch < MAX_BATCHES_PER_POLL; batch += 1) {
      const after = lastSeen!;
      const missing = [...gaps.keys()];
      const rows = await deps.db
        .selectFrom('invalidacoes')
        .select(['id', 'topico', 'chave'])
        .where((eb) => (missing.length > 0 ? eb.or([eb('id', '>', after), eb('id', 'in', missing)]) : eb('id', '>', after)))
        .orderBy('id')
        .limit(POLL_BATCH)
        .execute();
      const now = performance.now();
      for (const row of rows) {
        if (row.id > lastSeen!) {
          for (let skipped = lastSeen! + 1; skipped < row.id && gaps.size < MAX_GAPS; skipped += 1) gaps.set(skipped, now);
          lastSeen = row.id;
        } else {
          gaps.delete(row.id);
        }
        if (ownIds.delete(row.id)) continue;
        // A topic from a newer version of Ponte means nothing to this one.
        if (isTopic(row.topico)) handlers.apply(row.topico, row.chave ?? undefined);
      }
      if (rows.length < POLL_BATCH) break;
    }
    const now = performance.now();
    for (const [id, skippedAt] of gaps) if (now - skippedAt > GAP_WAIT_MS) gaps.delete(id);
    for (const id of ownIds) if (id <= lastSeen! && !gaps.has(id)) ownIds.delete(id);
  }

  async function purgeOldRows(): Promise<void> {
    const cutoff = deps.clock.now() - retentionMs;
    // Only rows this node has read: a node whose clock runs ahead never deletes what it has not seen.
    const readUpTo = lastSeen!;
    for (let batch = 0; batch < MAX_PURGE_BATCHES; batch += 1) {
      const result = await deps.db
        .deleteFrom('invalidacoes')
        .where('id', 'in', (eb) => eb.selectFrom('invalidacoes').select('id').where('criado_em', '<', cutoff).where('id', '<=', readUpTo).limit(PURGE_BATCH))
        .executeTakeFirst();
      if (Number(result.numDeletedRows) < PURGE_BATCH) break;
    }
  }

  async function poll(): Promise<void> {
    if (lastSeen === undefined) {
      const newest = await deps.db.selectFrom('invalidacoes').select((eb) => eb.fn.max('id').as('id')).executeTakeFirst();
      lastSeen = Number(newest?.id ?? 0);
    }
    await recordUnsent();
    await readNewRows();
    if (performance.now() - lastPurgeAt >= invalidationDefaults.purgeEveryMs) {
      lastPurgeAt = performance.now();
      await purgeOldRows();
    }
  }

  async function tick(): Promise<void> {
    try {
      await poll();
      if (failingSince !== undefined) {
        deps.logger.info({ outageMs: Math.round(performance.now() - failingSince) }, 'invalidação: a leitura voltou');
        failingSince = undefined;
      }
    } catch (error) {
      if (failingSince === undefined) {
        failingSince = performance.now();
        deps.logger.warn({ err: error }, 'invalidação: a leitura falhou; nova tentativa a cada intervalo, os caches valem pelo TTL enquanto isso');
      }
    }
  }

  function schedule(delayMs: number): void {
    if (!running) return;
    timer = setTimeout(() => {
      inFlight = tick().finally(() => {
        inFlight = undefined;
        schedule(pollIntervalMs);
      });
    }, delayMs);
    // Polling alone never keeps a process alive (the CLI exits when its command is done).
    timer.unref();
  }

  return {
    subscribe: handlers.subscribe,

    async publish(topic, key) {
      handlers.apply(topic, key);
      const at = deps.clock.now();
      try {
        await record(topic, key, at);
      } catch (error) {
        if (unsent.length >= MAX_UNSENT) unsent.shift();
        unsent.push({ topic, key, at });
        deps.logger.error({ err: error, topic }, 'invalidação não registrada; os outros nós dependem do TTL dos caches até a nova tentativa');
      }
    },

    start() {
      if (running) return;
      running = true;
      schedule(0);
    },

    async stop() {
      running = false;
      clearTimeout(timer);
      await inFlight;
      if (unsent.length === 0) return;
      try {
        await recordUnsent();
      } catch (error) {
        deps.logger.error({ err: error, unsent: unsent.length }, 'invalidações não registradas ao parar; os outros nós dependem do TTL dos caches');
      }
    },
  };
}
