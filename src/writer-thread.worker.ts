/**
 * The writer thread (started by writer-thread.ts; never imported elsewhere). It owns a database
 * connection of its own — a second SQLite connection to the same file, or a one-connection
 * PostgreSQL pool — and does the writing the thread that answers requests must not wait on:
 *
 * - central de logs batches: redacted into stored rows and inserted here (multi-row INSERTs);
 * - on SQLite, durable inserts (new app sessions): whatever arrived while the previous
 *   transaction ran is committed together in one transaction (group commit) and each caller is
 *   answered once its row is committed — never before;
 * - on SQLite, the WAL checkpoints: this connection keeps SQLite's automatic checkpoint after its
 *   commits (the request connection's is off while this thread runs), which completes because
 *   the hot writes are this thread's own; a timer checkpoints what other writers left, and a
 *   RESTART checkpoint bounds the WAL if it still keeps growing.
 *
 * Failures are reported to the main thread as values and log lines, never thrown there. It loads
 * no query builder (platform/db/raw-writer.ts), so it starts in milliseconds.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Insertable } from 'kysely';
import type { StoredLogRow } from './modules/log-center/log-center.redaction.ts';
import { createLogSink } from './modules/log-center/log-center.sink.ts';
import type { OutboundCallRecord } from './modules/log-center/log-center.types.ts';
import { systemClock } from './platform/clock.ts';
import type { DatabaseConnection } from './platform/db/connections.ts';
import { openRawWriter } from './platform/db/raw-writer.ts';
import type { DatabaseSchema } from './platform/db/schema.ts';

/** The tables the writer thread inserts into for the main thread (a closed list). */
export type DurableTable = 'app_sessions';
export type DurableRow = Insertable<DatabaseSchema[DurableTable]>;

export type WriterThreadInput = {
  connection: DatabaseConnection;
  hashKey: Uint8Array;
  /** SQLite: how often the WAL is checkpointed besides the automatic checkpoint (PASSIVE). */
  checkpointEveryMs: number;
  /** SQLite: WAL frames beyond which a timer's checkpoint is a RESTART one (briefly holds other writers). */
  restartCheckpointFrames: number;
  /** Durable inserts per transaction at most. */
  maxInsertsPerCommit: number;
};

export type ThreadError = { name: string; message: string; code?: string | undefined };

export type ToWriterThread =
  | { type: 'log'; id: number; entries: OutboundCallRecord[]; rows: StoredLogRow[] }
  | { type: 'insert'; inserts: { id: number; table: DurableTable; row: DurableRow }[] }
  | { type: 'close' };

export type FromWriterThread =
  | { type: 'ready'; checkpoints: boolean }
  | { type: 'logged'; id: number; lost: number }
  | { type: 'inserted'; results: { id: number; error?: ThreadError | undefined }[] }
  | { type: 'log'; level: 'warn' | 'error'; fields: Record<string, unknown>; message: string };

const port = parentPort;
if (!port) throw new Error('writer-thread.worker.ts runs only as a worker thread');
const input = workerData as WriterThreadInput;

function post(message: FromWriterThread): void {
  port!.postMessage(message);
}

function errorOf(err: unknown): ThreadError {
  if (!(err instanceof Error)) return { name: 'Error', message: String(err) };
  const code: unknown = (err as Error & { code?: unknown }).code;
  return { name: err.name, message: err.message, code: typeof code === 'string' ? code : undefined };
}

/** Log fields as plain data: errors by name, message and code (never a row, never a value). */
function plain(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) {
    if (value instanceof Error) out[key] = errorOf(value);
    else if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) out[key] = value;
  }
  return out;
}

const logger = {
  warn: (fields: Record<string, unknown>, message: string) => post({ type: 'log', level: 'warn', fields: plain(fields), message }),
  error: (fields: Record<string, unknown>, message: string) => post({ type: 'log', level: 'error', fields: plain(fields), message }),
};

const { connection } = input;
const sqlite = connection.kind === 'sqlite';
const writer = openRawWriter(connection, { onConnectionError: (err) => logger.warn({ err }, 'writer thread: conexão com o PostgreSQL perdida; o pool abre outra') });
const logSink = createLogSink({ insertRows: (rows) => writer.insert('outbound_logs', rows), hashKey: Buffer.from(input.hashKey), clock: systemClock, logger });

type InsertJob = Extract<ToWriterThread, { type: 'insert' }>['inserts'][number];
let inserts: InsertJob[] = [];
let logs: LogJob[] = [];
let running: Promise<void> | undefined;

/** One transaction for every pending insert; if it fails, each row alone, so one bad row fails only its own caller. */
async function commitInserts(jobs: InsertJob[]): Promise<void> {
  try {
    // One table today (DurableTable); a second one would go in the same transaction, table by table.
    await writer.insert('app_sessions', jobs.map((job) => job.row));
    post({ type: 'inserted', results: jobs.map((job) => ({ id: job.id })) });
  } catch (batchError) {
    if (jobs.length === 1) {
      post({ type: 'inserted', results: [{ id: jobs[0]!.id, error: errorOf(batchError) }] });
      return;
    }
    const results: { id: number; error?: ThreadError }[] = [];
    for (const job of jobs) {
      try {
        await writer.insert(job.table, [job.row]);
        results.push({ id: job.id });
      } catch (err) {
        results.push({ id: job.id, error: errorOf(err) });
      }
    }
    post({ type: 'inserted', results });
  }
}

let checkpointFailing = false;
async function checkpoint(): Promise<void> {
  try {
    // Other connections' writes during the checkpoint keep it from ever reaching the end of the
    // WAL, which then never starts over and keeps growing (and slows every read): past the limit,
    // wait for those writers and readers for once.
    if ((writer.checkpoint?.('PASSIVE').walFrames ?? 0) > input.restartCheckpointFrames) writer.checkpoint?.('RESTART');
    checkpointFailing = false;
  } catch (err) {
    if (!checkpointFailing) logger.warn({ err: err as Error }, 'writer thread: checkpoint do WAL falhou; nova tentativa no próximo intervalo');
    checkpointFailing = true;
  }
}
let checkpointDue = false;

/** Log entries redacted and inserted per turn: a session insert waits for at most this many. */
const LOG_CHUNK = 16;
type LogJob = Extract<ToWriterThread, { type: 'log' }> & { lost: number };

/** One chunk of the oldest log batch; the batch is answered once its last chunk is written. */
async function writeLogChunk(batch: LogJob): Promise<void> {
  const entries = batch.entries.splice(0, LOG_CHUNK);
  const rows = batch.rows.splice(0, Math.max(0, LOG_CHUNK - entries.length));
  try {
    batch.lost += await logSink.writeRows(entries, rows);
  } catch (err) {
    logger.error({ err: err as Error }, 'central de logs: um lote falhou; registros perdidos');
    batch.lost += entries.length + rows.length;
  }
  if (batch.entries.length > 0 || batch.rows.length > 0) return;
  logs.shift();
  post({ type: 'logged', id: batch.id, lost: batch.lost });
}

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

/**
 * Drains what is pending, in turns — the inserts that arrived (a user waits on each, and they
 * commit together), one chunk of log entries, a due checkpoint — going back to the event loop
 * between turns so inserts that arrive meanwhile are next, never behind a whole log batch.
 */
function run(): void {
  running ??= (async () => {
    try {
      await nextTurn();
      while (inserts.length > 0 || logs.length > 0 || checkpointDue) {
        if (inserts.length > 0) {
          const jobs = inserts.slice(0, input.maxInsertsPerCommit);
          inserts = inserts.slice(jobs.length);
          await commitInserts(jobs);
        }
        const batch = logs[0];
        if (batch) await writeLogChunk(batch);
        if (checkpointDue) {
          checkpointDue = false;
          await checkpoint();
        }
        await nextTurn();
      }
    } finally {
      running = undefined;
    }
  })();
}

const timer = sqlite
  ? setInterval(() => {
      checkpointDue = true;
      run();
    }, input.checkpointEveryMs)
  : undefined;

port.on('message', (message: ToWriterThread) => {
  switch (message.type) {
    case 'insert':
      inserts.push(...message.inserts);
      run();
      return;
    case 'log':
      logs.push({ ...message, lost: 0 });
      run();
      return;
    case 'close':
      clearInterval(timer);
      void (async () => {
        while (running) await running;
        if (sqlite) await checkpoint();
        await writer.close();
        port.close();
      })();
      return;
  }
});

// The first statement opens the connection for real (PostgreSQL connects lazily): a database that
// cannot be reached fails here, and the main thread counts what it had sent as lost.
await writer.ping();
post({ type: 'ready', checkpoints: sqlite });
