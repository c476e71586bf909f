import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/schema.ts';
import type { Logger } from '../../platform/logger.ts';
import { createLogCenterRepo } from './log-center.repo.ts';
import { createLogSink, type LogBatchSink } from './log-center.sink.ts';
import type { LogCenterWriter, OutboundCallRecord } from './log-center.types.ts';

export type { LogBatchSink };

/** Redaction and the INSERTs on this thread, over `db` (an in-memory database, which no writer thread can open). */
function inThreadSink(db: Db, hashKey: Buffer, clock: Clock, logger: Logger): LogBatchSink {
  const repo = createLogCenterRepo(db);
  return createLogSink({ insertRows: (rows) => repo.insertMany(rows), hashKey, clock, logger });
}

export type LogCenterWriterOptions = {
  clock: Clock;
  logger: Logger;
  /** Rows per INSERT statement (entries per batch). */
  batchSize?: number;
  /** Response bytes per batch at most (a batch holds at least one entry), so one batch never holds many large bodies. */
  maxBatchBytes?: number;
  flushIntervalMs?: number;
  /** Entries waiting beyond this are dropped (and counted) instead of growing memory. */
  maxQueued?: number;
  /**
   * Response bytes waiting beyond this are dropped too: entries hold raw bodies (up to the
   * outbound size cap each) until their batch is redacted.
   */
  maxQueuedBytes?: number;
  /** Told how many entries were lost (queue full, or the database refused them); feeds a metric. */
  onDropped?: (count: number) => void;
} & (
  | {
      /** Redact and insert on this thread, over this connection. */
      db: Db;
      /** Key of the HMAC that stores user keys searchable but unreadable. */
      hashKey: Buffer;
    }
  | { sink: LogBatchSink }
);

/** Why entries were dropped, as the console line says it (pt-BR, like every server log line). */
const dropReasons = {
  insert: 'o banco de dados recusou a gravação',
  overflow: 'fila cheia: chegam mais chamadas do que o banco grava',
  closed: 'a central de logs já estava fechada (servidor parando)',
  invalid: 'registro inválido',
  unexpected: 'erro inesperado ao gravar o lote',
} as const;
type DropReason = keyof typeof dropReasons;

/**
 * The central de logs' write side. `record` is what the outbound engine calls on every call: it
 * only appends to an in-memory queue (O(1), never throws, never waits). Redaction and the
 * multi-row INSERT happen later, in the sink — on the writer thread in a server — on an unref'd
 * timer or as soon as a batch is full, one batch at a time, so a slow or failing database (or
 * writer thread) costs log entries — counted through `onDropped` — and never a user's request.
 * `flush` and `close` resolve once everything recorded before them is stored or counted.
 */
export function createLogCenterWriter(options: LogCenterWriterOptions): LogCenterWriter {
  const batchSize = Math.max(1, options.batchSize ?? 100);
  const maxBatchBytes = options.maxBatchBytes ?? 8 * 1024 * 1024;
  const maxQueued = options.maxQueued ?? 10_000;
  const maxQueuedBytes = options.maxQueuedBytes ?? 64 * 1024 * 1024;
  const log = options.logger;
  const sink = 'sink' in options ? options.sink : inThreadSink(options.db, options.hashKey, options.clock, log);

  let queue: OutboundCallRecord[] = [];
  let queuedBytes = 0;
  let draining: Promise<void> | undefined;
  let kickScheduled = false;
  let closed = false;

  const sizeOf = (entry: OutboundCallRecord) => (entry.result?.kind === 'response' && typeof entry.result.bodyText === 'string' ? entry.result.bodyText.length : 0);

  // Overflow happens under load, one entry at a time: it is counted at once but logged as one
  // line per timer tick, so a flood of drops does not become a flood of log lines.
  let overflowNotLogged = 0;

  function dropped(count: number, reason: DropReason): void {
    if (count <= 0) return;
    try {
      options.onDropped?.(count);
    } catch (err) {
      log.error({ err }, 'central de logs: o aviso de registros perdidos (onDropped) falhou');
    }
    if (reason === 'overflow') overflowNotLogged += count;
    else log.warn({ descartados: count, motivo: dropReasons[reason] }, 'central de logs: registros descartados');
  }

  function logOverflow(): void {
    if (overflowNotLogged === 0) return;
    log.warn({ descartados: overflowNotLogged, motivo: dropReasons.overflow }, 'central de logs: registros descartados');
    overflowNotLogged = 0;
  }

  function drain(): Promise<void> {
    draining ??= (async () => {
      try {
        while (queue.length > 0) {
          let count = 0;
          let bytes = 0;
          while (count < queue.length && count < batchSize && (count === 0 || bytes + sizeOf(queue[count]!) <= maxBatchBytes)) {
            bytes += sizeOf(queue[count]!);
            count += 1;
          }
          const batch = count === queue.length ? queue : queue.slice(0, count);
          queue = count === queue.length ? [] : queue.slice(count);
          queuedBytes -= bytes;
          try {
            dropped(await sink.write(batch), 'insert');
          } catch (err) {
            // Sinks catch their own failures; this is the last net so the loop never dies.
            dropped(batch.length, 'unexpected');
            log.error({ err }, 'central de logs: um lote falhou; registros perdidos');
          }
        }
      } finally {
        queuedBytes = Math.max(0, queuedBytes);
        draining = undefined;
      }
    })();
    return draining;
  }

  const timer = setInterval(() => {
    logOverflow();
    if (queue.length > 0) void drain();
  }, options.flushIntervalMs ?? 250);
  timer.unref();

  return {
    record(entry: OutboundCallRecord): void {
      try {
        if (typeof entry !== 'object' || entry === null) {
          dropped(1, 'invalid');
          return;
        }
        const size = sizeOf(entry);
        if (closed || queue.length >= maxQueued || queuedBytes + size > maxQueuedBytes) {
          dropped(1, closed ? 'closed' : 'overflow');
          return;
        }
        queue.push(entry);
        queuedBytes += size;
        // A full batch goes at once rather than waiting for the timer, keeping the queue short.
        if (queue.length >= batchSize && !draining && !kickScheduled) {
          kickScheduled = true;
          setImmediate(() => {
            kickScheduled = false;
            void drain();
          });
        }
      } catch {
        // Nothing a caller hands in may turn into an error on its request.
        try {
          dropped(1, 'unexpected');
        } catch {
          // Not even a failing logger.
        }
      }
    },

    async flush(): Promise<void> {
      // A drain in progress may have taken its batch before the latest entries arrived.
      while (queue.length > 0 || draining) await drain();
    },

    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      clearInterval(timer);
      while (queue.length > 0 || draining) await drain();
      logOverflow();
      await sink.close?.();
    },
  };
}
