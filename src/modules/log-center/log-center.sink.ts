import type { Clock } from '../../platform/clock.ts';
import { newId } from '../../platform/ids.ts';
import { minimalRow, toStoredRow, type StoredLogRow } from './log-center.redaction.ts';
import type { OutboundCallRecord } from './log-center.types.ts';

/**
 * Where batches of entries go: redacted and inserted here (`createLogSink`), or handed to the
 * writer thread that does both with its own connection (writer-thread.ts).
 */
export type LogBatchSink = {
  /** Redacts and stores `entries`; resolves with how many were lost. Never rejects. */
  write(entries: OutboundCallRecord[]): Promise<number>;
  /** Releases what the sink holds (the writer thread); called once, after the last write. */
  close?(): Promise<void>;
};

/** What a sink logs through: pino's logger, or the writer thread's relay to it. */
export type SinkLogger = {
  warn(fields: Record<string, unknown>, message: string): void;
  error(fields: Record<string, unknown>, message: string): void;
};

/**
 * Redaction and the multi-row INSERT, on the thread that calls it. A batch is written once; if
 * the INSERT fails its rows are tried once more one by one (so one bad row does not take 99 good
 * ones with it) and then given up. What the writer thread runs, and the writer itself when there is
 * no thread (an in-memory database no other connection can open).
 */
export function createLogSink(deps: {
  /** One multi-row INSERT: all rows or none. */
  insertRows: (rows: StoredLogRow[]) => Promise<void>;
  /** Key of the HMAC that stores user keys searchable but unreadable. */
  hashKey: Buffer;
  clock: Clock;
  logger: SinkLogger;
}): LogBatchSink & {
  /** `write` for entries and for rows already built (the partial rows of entries that could not cross to the writer thread). */
  writeRows(entries: OutboundCallRecord[], built: StoredLogRow[]): Promise<number>;
} {
  const log = deps.logger;

  function toRow(entry: OutboundCallRecord): StoredLogRow | undefined {
    const id = newId('outboundLog');
    try {
      return toStoredRow(entry, { id, hashKey: deps.hashKey });
    } catch (err) {
      // Never log the entry itself: it is exactly the unredacted data this module exists to hide.
      log.warn({ errName: (err as Error)?.name, operacao: String(entry?.operacao) }, 'central de logs: não foi possível mascarar um registro; guardada uma linha parcial');
      try {
        return minimalRow(entry, { id, now: deps.clock.now() });
      } catch {
        return undefined;
      }
    }
  }

  async function writeRows(entries: OutboundCallRecord[], built: StoredLogRow[]): Promise<number> {
    const rows: StoredLogRow[] = [...built];
    for (const entry of entries) {
      const row = toRow(entry);
      if (row) rows.push(row);
    }
    let lost = entries.length + built.length - rows.length;
    try {
      await deps.insertRows(rows);
    } catch (batchError) {
      if (rows.length === 1) {
        lost += 1;
        log.error({ err: batchError }, 'central de logs: a gravação falhou; registros perdidos');
      } else {
        let failed = 0;
        let lastError: unknown;
        for (const row of rows) {
          try {
            await deps.insertRows([row]);
          } catch (err) {
            failed += 1;
            lastError = err;
          }
        }
        lost += failed;
        if (failed > 0) log.error({ err: lastError, perdidos: failed, lote: rows.length }, 'central de logs: a gravação falhou; registros perdidos');
      }
    }
    return lost;
  }

  return { write: (entries) => writeRows(entries, []), writeRows };
}

