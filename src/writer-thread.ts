import { Worker } from 'node:worker_threads';
import type { LogBatchSink } from './modules/log-center/log-center.writer.ts';
import { minimalRow, type StoredLogRow } from './modules/log-center/log-center.redaction.ts';
import type { OutboundCallRecord } from './modules/log-center/log-center.types.ts';
import type { Clock } from './platform/clock.ts';
import type { DatabaseConnection } from './platform/db/database.ts';
import type { Db } from './platform/db/schema.ts';
import { DependencyUnavailableError } from './platform/dependency-outage.ts';
import { newId } from './platform/ids.ts';
import type { Logger } from './platform/logger.ts';
import type { DurableRow, DurableTable, FromWriterThread, ThreadError, ToWriterThread, WriterThreadInput } from './writer-thread.worker.ts';

export type { DurableRow, DurableTable };

export const writerThreadDefaults = {
  /** After a crash the thread is started again after this long, doubling (up to 30 s) while it keeps failing. */
  restartDelayMs: 1_000,
  maxRestartDelayMs: 30_000,
  checkpointEveryMs: 1_000,
  /** ~40 MB of WAL at 4 KiB pages. */
  restartCheckpointFrames: 10_000,
  maxInsertsPerCommit: 256,
  /** `close` waits this long for the thread to finish what it holds before stopping it. */
  closeTimeoutMs: 15_000,
} as const;

/**
 * The thread's entry sits beside this file with the same extension: `.js` when compiled
 * (`dist/`), `.ts` when Ponte runs from its sources (tests, scripts). Node 20 does not apply
 * `--import` to worker threads, so a TypeScript entry is reached through a small bootstrap that
 * registers tsx's loader (a development dependency, present wherever the sources run) in the thread.
 */
function entry(): { script: URL | string; eval: boolean } {
  if (!import.meta.url.endsWith('.ts')) return { script: new URL('./writer-thread.worker.js', import.meta.url), eval: false };
  const loader = import.meta.resolve('tsx/esm/api');
  const worker = new URL('./writer-thread.worker.ts', import.meta.url).href;
  return { script: `import(${JSON.stringify(loader)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(worker)}); });`, eval: true };
}

/** An entry as it crosses to the thread: what the stored row is built from, nothing else (not the response headers). */
function portable(entry: OutboundCallRecord): OutboundCallRecord {
  const { result } = entry;
  return {
    clienteId: entry.clienteId,
    instancia: entry.instancia,
    operacao: entry.operacao,
    url: entry.url,
    requestHeaders: entry.requestHeaders,
    requestBody: entry.requestBody,
    result:
      result.kind === 'response'
        ? { kind: 'response', status: result.status, statusText: result.statusText, headers: {}, bodyText: result.bodyText, latencyMs: result.latencyMs }
        : result,
    violations: entry.violations,
    outcome: entry.outcome,
    chaveUsuario: entry.chaveUsuario,
    correlationId: entry.correlationId,
    sensitiveFields: entry.sensitiveFields,
    at: entry.at,
    direcao: entry.direcao,
    motivo: entry.motivo,
    tokenId: entry.tokenId,
  };
}

const threadError = (error: ThreadError) => Object.assign(new Error(error.message), { name: error.name, code: error.code });

type Running = {
  worker: Worker;
  ready: boolean;
  gone: boolean;
  logs: Map<number, { count: number; resolve: (lost: number) => void }>;
  inserts: Map<number, { resolve: () => void; reject: (error: Error) => void }>;
  exited?: () => void;
};

export type WriterThread = {
  /** The central de logs' batches: redacted and inserted by the thread. */
  logSink: LogBatchSink;
  /**
   * Inserts `row` and resolves once it is committed (SQLite only): group-committed by the thread
   * with the inserts that arrive meanwhile. Until the thread is up — and while a crashed one
   * waits to start again — the insert runs on the main connection instead, so it never waits
   * for the thread. A thread that dies holding the row rejects with a database outage (503).
   */
  insert(table: DurableTable, row: DurableRow): Promise<void>;
  /** Finishes what the thread holds (entries, inserts, a last checkpoint) and stops it. */
  close(): Promise<void>;
};

/**
 * The writer thread of a server (writer-thread.worker.ts): its own database connection writes the
 * central de logs — redaction included — and, on SQLite, new app sessions (group commit) and the
 * WAL checkpoints, so that neither the redaction, nor those INSERTs, nor a checkpoint's copy and
 * fsync run on (or stall) the thread that answers requests. Here only a structured clone of each
 * batch or row is made.
 *
 * The thread starts with the first batch or insert. If it dies (an exception, a database it cannot
 * open) the log entries it held are lost and counted, its pending inserts fail
 * as a database outage, the request connection goes back to checkpointing on its own
 * (`onCheckpointing(false)`), and the next use starts a new thread after a delay that doubles while
 * it keeps failing. Nothing here throws into a request but those inserts.
 */
export function createWriterThread(deps: {
  connection: DatabaseConnection;
  /** The main connection: inserts go through it while the thread is not up. */
  db: Db;
  /** Key of the HMAC that stores user keys searchable but unreadable (central de logs). */
  hashKey: Buffer;
  clock: Clock;
  logger: Logger;
  /** Told when the thread is up (`true`: it checkpoints the SQLite WAL) and when it is gone. */
  onCheckpointing?: (active: boolean) => void;
  restartDelayMs?: number;
  checkpointEveryMs?: number;
}): WriterThread {
  const log = deps.logger;
  const baseDelayMs = deps.restartDelayMs ?? writerThreadDefaults.restartDelayMs;
  let running: Running | undefined;
  let nextId = 1;
  let restartDelayMs = baseDelayMs;
  let notBefore = 0;
  let closing = false;
  /** Inserts of this turn of the event loop, posted together on the next (one message, one wake-up of the thread). */
  let outbox: { current: Running; inserts: Extract<ToWriterThread, { type: 'insert' }>['inserts'] } | undefined;

  function postInserts(): void {
    const pending = outbox;
    outbox = undefined;
    if (!pending || pending.current.gone) return;
    try {
      pending.current.worker.postMessage({ type: 'insert', inserts: pending.inserts } satisfies ToWriterThread);
    } catch (err) {
      // Session rows are plain strings and numbers; this is the last net, not a path.
      for (const { id } of pending.inserts) {
        pending.current.inserts.get(id)?.reject(err as Error);
        pending.current.inserts.delete(id);
      }
    }
  }

  function checkpointing(active: boolean): void {
    try {
      deps.onCheckpointing?.(active);
    } catch (err) {
      log.error({ err }, 'writer thread: não foi possível repassar os checkpoints do WAL');
    }
  }

  /** The thread is gone: what it held is lost; the next use starts another one later. */
  function gone(current: Running, reason: Error | undefined): void {
    if (current.gone) return;
    current.gone = true;
    if (running === current) running = undefined;
    const lost = [...current.logs.values()].reduce((sum, pending) => sum + pending.count, 0);
    for (const pending of current.logs.values()) pending.resolve(pending.count);
    const outage = new DependencyUnavailableError('database', 'A gravação no banco foi interrompida (o thread de escrita parou).', { cause: reason });
    for (const pending of current.inserts.values()) pending.reject(outage);
    current.logs.clear();
    current.inserts.clear();
    checkpointing(false);
    current.exited?.();
    if (closing) return;
    log.error(
      { err: reason && { name: reason.name, message: reason.message, code: (reason as { code?: unknown }).code }, lostLogEntries: lost, restartInMs: restartDelayMs },
      'writer thread: parou; outra sobe com a próxima gravação',
    );
    notBefore = Date.now() + restartDelayMs;
    restartDelayMs = Math.min(restartDelayMs * 2, writerThreadDefaults.maxRestartDelayMs);
  }

  function start(): Running {
    const { script, eval: isEval } = entry();
    const workerData: WriterThreadInput = {
      connection: deps.connection,
      hashKey: new Uint8Array(deps.hashKey),
      checkpointEveryMs: deps.checkpointEveryMs ?? writerThreadDefaults.checkpointEveryMs,
      restartCheckpointFrames: writerThreadDefaults.restartCheckpointFrames,
      maxInsertsPerCommit: writerThreadDefaults.maxInsertsPerCommit,
    };
    const worker = new Worker(script, {
      workerData,
      eval: isEval,
      // No heap limit: a batch that passed it all at once would abort the whole process (V8 cannot
      // stop a thread in the middle of one large allocation); a log batch holds at most 8 MB of
      // bodies (log-center.writer.ts) and an insert one row.
      name: 'ponte-writer',
    });
    // Never what keeps a process alive: services.close drains and stops it.
    worker.unref();
    const current: Running = { worker, ready: false, gone: false, logs: new Map(), inserts: new Map() };
    worker.on('message', (message: FromWriterThread) => {
      switch (message.type) {
        case 'ready':
          current.ready = true;
          if (message.checkpoints) checkpointing(true);
          return;
        case 'logged': {
          const pending = current.logs.get(message.id);
          current.logs.delete(message.id);
          restartDelayMs = baseDelayMs;
          pending?.resolve(message.lost);
          return;
        }
        case 'inserted':
          for (const { id, error } of message.results) {
            const pending = current.inserts.get(id);
            current.inserts.delete(id);
            if (error) pending?.reject(threadError(error));
            else pending?.resolve();
          }
          return;
        case 'log':
          log[message.level](message.fields, message.message);
          return;
      }
    });
    worker.on('error', (err) => gone(current, err));
    worker.on('exit', (code) => gone(current, closing ? undefined : new Error(`the writer thread exited with code ${code}`)));
    return current;
  }

  /** The running thread, starting one unless a crashed one's restart delay is still running (then undefined). */
  function thread(): Running | undefined {
    if (running) return running;
    if (closing || Date.now() < notBefore) return undefined;
    running = start();
    return running;
  }

  /** Entries that cannot be cloned (a getter that throws, a function in a body) become partial rows here. */
  function split(entries: OutboundCallRecord[]): { entries: OutboundCallRecord[]; rows: StoredLogRow[]; lost: number } {
    const clean: OutboundCallRecord[] = [];
    const rows: StoredLogRow[] = [];
    let lost = 0;
    for (const entry of entries) {
      try {
        clean.push(structuredClone(portable(entry)));
      } catch (err) {
        // Never log the entry itself: it is exactly the unredacted data the central de logs hides.
        log.warn({ errName: (err as Error)?.name, operacao: String(entry?.operacao) }, 'central de logs: não foi possível mascarar um registro; guardada uma linha parcial');
        try {
          rows.push(minimalRow(entry, { id: newId('outboundLog'), now: deps.clock.now() }));
        } catch {
          lost += 1;
        }
      }
    }
    return { entries: clean, rows, lost };
  }

  const logSink: LogBatchSink = {
    async write(batch) {
      try {
        let current = thread();
        if (!current) {
          await new Promise((resolve) => setTimeout(resolve, Math.max(0, notBefore - Date.now())));
          current = thread();
          if (!current) return batch.length;
        }
        const id = nextId++;
        const answered = new Promise<number>((resolve) => current.logs.set(id, { count: batch.length, resolve }));
        try {
          current.worker.postMessage({ type: 'log', id, entries: batch.map(portable), rows: [] } satisfies ToWriterThread);
        } catch {
          const parts = split(batch);
          current.worker.postMessage({ type: 'log', id, entries: parts.entries, rows: parts.rows } satisfies ToWriterThread);
          return parts.lost + (await answered);
        }
        return await answered;
      } catch (err) {
        log.error({ err }, 'central de logs: não foi possível entregar um lote à writer thread');
        return batch.length;
      }
    },
  };

  return {
    logSink,

    async insert(table, row) {
      const current = thread();
      if (!current?.ready) {
        await deps.db.insertInto(table).values(row).execute();
        return;
      }
      const id = nextId++;
      const committed = new Promise<void>((resolve, reject) => current.inserts.set(id, { resolve, reject }));
      if (!outbox || outbox.current !== current) {
        postInserts();
        outbox = { current, inserts: [] };
        setImmediate(postInserts);
      }
      outbox.inserts.push({ id, table, row });
      await committed;
    },

    async close(): Promise<void> {
      closing = true;
      const current = running;
      if (!current || current.gone) return;
      const exited = new Promise<void>((resolve) => (current.exited = resolve));
      const timer = setTimeout(() => void current.worker.terminate(), writerThreadDefaults.closeTimeoutMs);
      current.worker.postMessage({ type: 'close' } satisfies ToWriterThread);
      await exited;
      clearTimeout(timer);
    },
  };
}
