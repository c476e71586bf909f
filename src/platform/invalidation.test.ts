import type { KyselyPlugin } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { databaseKinds, openTestDatabase, type TestDatabase } from '../../test/support/infrastructure.ts';
import { manualClock, systemClock, type Clock } from './clock.ts';
import type { Db } from './db/schema.ts';
import { createInvalidationBus, invalidationDefaults, type InvalidationBus, type InvalidationTopic } from './invalidation.ts';
import { createLogger } from './logger.ts';

const POLL_MS = 20;
const waitOptions = { timeout: 5_000, interval: 10 };

type Received = { topic: InvalidationTopic; key: string | undefined };

/** A database that can be taken "down": every query fails while `down` is true, as a stopped server would. */
function switchable(db: Db) {
  const state = { down: false, queries: 0 };
  const plugin: KyselyPlugin = {
    transformQuery(args) {
      state.queries += 1;
      if (state.down) throw new Error('connect ECONNREFUSED 127.0.0.1:5432');
      return args.node;
    },
    transformResult: async (args) => args.result,
  };
  return { db: db.withPlugin(plugin), state };
}

describe.each(databaseKinds())('invalidation bus (%s)', (kind) => {
  let database: TestDatabase;
  const started: InvalidationBus[] = [];
  const silent = createLogger({ logLevel: 'silent', nodeEnv: 'test' });

  function node(options: { db?: Db; clock?: Clock; logLines?: string[]; start?: boolean } = {}) {
    const logger = options.logLines
      ? createLogger({ logLevel: 'info', nodeEnv: 'test' }, { destination: { write: (line: string) => options.logLines!.push(line) } })
      : silent;
    const bus = createInvalidationBus({ db: options.db ?? database.db, clock: options.clock ?? systemClock, logger, pollIntervalMs: POLL_MS });
    const received: Received[] = [];
    for (const topic of ['token-do-cliente', 'sessao-app', 'integracao', 'origem'] as const) {
      bus.subscribe(topic, (key) => {
        received.push({ topic, key });
      });
    }
    started.push(bus);
    if (options.start !== false) bus.start();
    return { bus, received };
  }

  /**
   * Waits until `reader` has read past everything `writer` published so far: `writer` publishes
   * markers until one arrives (a node just started reads only what comes after its first poll).
   */
  async function caughtUp(reader: { received: Received[] }, writer: InvalidationBus) {
    const markers = new Set<string | undefined>();
    await vi.waitFor(async () => {
      if (reader.received.some((r) => r.topic === 'origem' && markers.has(r.key))) return;
      const marker = `marcador-${markers.size}-${Math.random()}`;
      markers.add(marker);
      await writer.publish('origem', marker);
      throw new Error(`not caught up yet (${markers.size} markers sent)`);
    }, { timeout: 5_000, interval: POLL_MS * 3 });
  }

  beforeAll(async () => {
    database = await openTestDatabase(kind);
  });
  afterEach(async () => {
    await Promise.all(started.splice(0).map((bus) => bus.stop()));
  });
  afterAll(async () => {
    await database?.dispose();
  });

  it('applies a change on the publishing node at once and on another node within the poll interval, once each', async () => {
    const a = node();
    const b = node();
    // Both have read the table's starting point.
    await caughtUp(b, a.bus);
    await caughtUp(a, b.bus);
    a.received.length = 0;
    b.received.length = 0;

    const publishing = a.bus.publish('token-do-cliente', 'tok_1');
    // Before the row is even written: the local cache drop does not wait for the database.
    expect(a.received).toEqual([{ topic: 'token-do-cliente', key: 'tok_1' }]);
    await publishing;
    await vi.waitFor(() => expect(b.received).toContainEqual({ topic: 'token-do-cliente', key: 'tok_1' }), waitOptions);

    // A change without a key drops the whole topic; topics stay apart.
    await a.bus.publish('integracao');
    await vi.waitFor(() => expect(b.received).toContainEqual({ topic: 'integracao', key: undefined }), waitOptions);

    // Once A has read past its own rows (B's marker comes after them), it has not applied them twice.
    await caughtUp(a, b.bus);
    expect(a.received.filter((r) => r.topic !== 'origem')).toEqual([
      { topic: 'token-do-cliente', key: 'tok_1' },
      { topic: 'integracao', key: undefined },
    ]);
    expect(b.received.filter((r) => r.topic === 'token-do-cliente')).toEqual([{ topic: 'token-do-cliente', key: 'tok_1' }]);
  });

  it('a node started later does not replay what was published before it started', async () => {
    const a = node();
    await a.bus.publish('sessao-app', 'pas_antiga');
    const late = node();
    await caughtUp(late, a.bus);
    expect(late.received.filter((r) => r.topic === 'sessao-app')).toEqual([]);
  });

  it('a failing handler, sync or async, neither stops the other handlers nor the poller', async () => {
    const a = node();
    const b = node();
    await caughtUp(b, a.bus);
    const after: (string | undefined)[] = [];
    b.bus.subscribe('sessao-app', () => {
      throw new Error('handler quebrado');
    });
    b.bus.subscribe('sessao-app', async () => {
      throw new Error('handler assíncrono quebrado');
    });
    b.bus.subscribe('sessao-app', (key) => {
      after.push(key);
    });

    await a.bus.publish('sessao-app', 'pas_1');
    await vi.waitFor(() => expect(after).toEqual(['pas_1']), waitOptions);
    await a.bus.publish('sessao-app', 'pas_2');
    await vi.waitFor(() => expect(after).toEqual(['pas_1', 'pas_2']), waitOptions);
    // On the publishing node too: publish resolves although its own handler throws.
    a.bus.subscribe('origem', () => {
      throw new Error('handler quebrado');
    });
    await expect(a.bus.publish('origem', 'https://app.exemplo.com.br')).resolves.toBeUndefined();
  });

  it('stop() stops polling', async () => {
    const a = node();
    const b = node();
    const witness = node();
    await caughtUp(b, a.bus);
    await caughtUp(witness, a.bus);
    await b.bus.stop();
    b.received.length = 0;

    await a.bus.publish('token-do-cliente', 'tok_depois_do_stop');
    await vi.waitFor(() => expect(witness.received).toContainEqual({ topic: 'token-do-cliente', key: 'tok_depois_do_stop' }), waitOptions);
    // Many poll intervals later, the stopped node still has not read it.
    await new Promise((resolve) => setTimeout(resolve, POLL_MS * 10));
    expect(b.received).toEqual([]);
  });

  it('a database outage is logged once per outage and retried; polling resumes and changes made meanwhile are recorded', async () => {
    const lines: string[] = [];
    const flaky = switchable(database.db);
    const a = node();
    const b = node({ db: flaky.db, logLines: lines });
    await caughtUp(b, a.bus);
    const warnings = () => lines.filter((line) => line.includes('invalidação: a leitura falhou'));

    flaky.state.down = true;
    const queriesAtOutage = flaky.state.queries;
    // Several failed polls…
    await vi.waitFor(() => expect(flaky.state.queries).toBeGreaterThan(queriesAtOutage + 5), waitOptions);
    // …one warning.
    expect(warnings()).toHaveLength(1);
    expect(JSON.parse(warnings()[0]!)).toMatchObject({ level: 40, err: { message: expect.stringContaining('ECONNREFUSED') } });

    // A change published on B meanwhile drops B's own caches at once and is recorded once the database is back.
    await expect(b.bus.publish('sessao-app', 'pas_durante_a_queda')).resolves.toBeUndefined();
    expect(b.received).toContainEqual({ topic: 'sessao-app', key: 'pas_durante_a_queda' });
    // A change from another node made during the outage reaches B once it can read again.
    await a.bus.publish('token-do-cliente', 'tok_durante_a_queda');

    flaky.state.down = false;
    await vi.waitFor(() => expect(b.received).toContainEqual({ topic: 'token-do-cliente', key: 'tok_durante_a_queda' }), waitOptions);
    await vi.waitFor(() => expect(a.received).toContainEqual({ topic: 'sessao-app', key: 'pas_durante_a_queda' }), waitOptions);
    expect(lines.filter((line) => line.includes('invalidação: a leitura voltou'))).toHaveLength(1);

    // A second outage is a second warning.
    flaky.state.down = true;
    await vi.waitFor(() => expect(warnings()).toHaveLength(2), waitOptions);
    flaky.state.down = false;
  });

  it.runIf(kind === 'postgres')('a row that commits after a later one (ids taken out of order) still reaches the other nodes', async () => {
    const a = node();
    const b = node();
    await caughtUp(b, a.bus);
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let taken!: () => void;
    const idTaken = new Promise<void>((resolve) => (taken = resolve));
    // A publisher whose insert has its id but has not committed yet.
    const slow = database.db.transaction().execute(async (trx) => {
      await trx.insertInto('invalidacoes').values({ topico: 'token-do-cliente', chave: 'tok_lento', criado_em: Date.now() }).execute();
      taken();
      await released;
    });
    await idTaken;
    await a.bus.publish('token-do-cliente', 'tok_rapido');
    await vi.waitFor(() => expect(b.received).toContainEqual({ topic: 'token-do-cliente', key: 'tok_rapido' }), waitOptions);
    expect(b.received).not.toContainEqual({ topic: 'token-do-cliente', key: 'tok_lento' });

    release();
    await slow;
    await vi.waitFor(() => expect(b.received).toContainEqual({ topic: 'token-do-cliente', key: 'tok_lento' }), waitOptions);
  });

  it('purges rows older than the retention, in batches, and keeps recent ones', async () => {
    const clock = manualClock(Date.now());
    const writer = node({ clock, start: false });
    for (let i = 0; i < 3; i += 1) await writer.bus.publish('origem', `https://antiga-${i}.exemplo.com.br`);
    clock.advance(invalidationDefaults.retentionMs + 1);
    await writer.bus.publish('origem', 'https://recente.exemplo.com.br');
    const count = async (origem: string) =>
      Number((await database.db.selectFrom('invalidacoes').select((eb) => eb.fn.countAll().as('n')).where('chave', 'like', origem).executeTakeFirstOrThrow()).n);
    expect(await count('https://antiga-%')).toBe(3);

    // A node purges on its first poll, then now and then.
    node({ clock });
    await vi.waitFor(async () => expect(await count('https://antiga-%')).toBe(0), waitOptions);
    expect(await count('https://recente.exemplo.com.br')).toBe(1);
  });
});
