import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/schema.ts';
import { newId } from '../../platform/ids.ts';
import type { Logger } from '../../platform/logger.ts';
import { minimalRow, toStoredRow, type StoredLogRow } from './log-center.redaction.ts';
import { createLogCenterRepo } from './log-center.repo.ts';
import type { LogCenterWriter, OutboundCallRecord } from './log-center.types.ts';

export type LogCenterWriterOptions = {
  db: Db;
  clock: Clock;
  logger: Logger;
  /** Key of the HMAC that stores user keys searchable but unreadable. */
  hashKey: Buffer;
  /** Rows per INSERT statement. */
  batchSize?: number;
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
};

/**
 * The central de logs' write side. `record` is what the outbound engine calls on every call: it
 * only appends to an in-memory queue (O(1), never throws, never waits). Redaction and the
 * multi-row INSERT happen later, on an unref'd timer or as soon as a batch is full, so a slow or
 * failing database costs log entries — counted through `onDropped` — and never a user's request.
 * A batch is written once; if the INSERT fails its rows are tried once more one by one (so one
 * bad row does not take 99 good ones with it) and then given up.
 */
export function createLogCenterWriter(options: LogCenterWriterOptions): LogCenterWriter {
  const batchSize = Math.max(1, options.batchSize ?? 100);
  const maxQueued = options.maxQueued ?? 10_000;
  const maxQueuedBytes = options.maxQueuedBytes ?? 64 * 1024 * 1024;
  const repo = createLogCenterRepo(options.db);
  const log = options.logger;

  let queue: OutboundCallRecord[] = [];
  let queuedBytes = 0;
  let draining: Promise<void> | undefined;
  let kickScheduled = false;
  let closed = false;

  const sizeOf = (entry: OutboundCallRecord) => (entry.result?.kind === 'response' && typeof entry.result.bodyText === 'string' ? entry.result.bodyText.length : 0);

  // Overflow happens under load, one entry at a time: it is counted at once but logged as one
  // line per timer tick, so a flood of drops does not become a flood of log lines.
  let overflowNotLogged = 0;

  function dropped(count: number, reason: 'insert' | 'overflow' | 'closed' | 'invalid' | 'unexpected'): void {
    if (count <= 0) return;
    try {
      options.onDropped?.(count);
    } catch (err) {
      log.error({ err }, 'central de logs: onDropped failed');
    }
    if (reason === 'overflow') overflowNotLogged += count;
    else log.warn({ dropped: count, reason }, 'central de logs: entries dropped');
  }

  function logOverflow(): void {
    if (overflowNotLogged === 0) return;
    log.warn({ dropped: overflowNotLogged, reason: 'overflow' }, 'central de logs: entries dropped');
    overflowNotLogged = 0;
  }

  function toRow(entry: OutboundCallRecord): StoredLogRow | undefined {
    const id = newId('outboundLog');
    try {
      return toStoredRow(entry, { id, hashKey: options.hashKey });
    } catch (err) {
      // Never log the entry itself: it is exactly the unredacted data this module exists to hide.
      log.warn({ errName: (err as Error)?.name, operacao: String(entry?.operacao) }, 'central de logs: could not redact an entry; keeping a partial row');
      try {
        return minimalRow(entry, { id, now: options.clock.now() });
      } catch {
        return undefined;
      }
    }
  }

  async function writeBatch(entries: OutboundCallRecord[]): Promise<void> {
    const rows: StoredLogRow[] = [];
    for (const entry of entries) {
      const row = toRow(entry);
      if (row) rows.push(row);
    }
    let lost = entries.length - rows.length;
    try {
      await repo.insertMany(rows);
    } catch (batchError) {
      if (rows.length === 1) {
        lost += 1;
        log.error({ err: batchError }, 'central de logs: insert failed');
      } else {
        let failed = 0;
        let lastError: unknown;
        for (const row of rows) {
          try {
            await repo.insertMany([row]);
          } catch (err) {
            failed += 1;
            lastError = err;
          }
        }
        lost += failed;
        if (failed > 0) log.error({ err: lastError, failed, batch: rows.length }, 'central de logs: insert failed');
      }
    }
    dropped(lost, 'insert');
  }

  function drain(): Promise<void> {
    draining ??= (async () => {
      try {
        while (queue.length > 0) {
          const batch = queue.length <= batchSize ? queue : queue.slice(0, batchSize);
          queue = queue.length <= batchSize ? [] : queue.slice(batchSize);
          for (const entry of batch) queuedBytes -= sizeOf(entry);
          try {
            await writeBatch(batch);
          } catch (err) {
            // writeBatch catches its own failures; this is the last net so the loop never dies.
            dropped(batch.length, 'unexpected');
            log.error({ err }, 'central de logs: batch failed');
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
      closed = true;
      clearInterval(timer);
      while (queue.length > 0 || draining) await drain();
      logOverflow();
    },
  };
}
