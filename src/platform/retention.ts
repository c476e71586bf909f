import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { Clock } from './clock.ts';
import type { Logger } from './logger.ts';
import type { Metrics } from './metrics.ts';

/**
 * One kind of row the retention job deletes. `purge` deletes at most `batchSize` rows whose
 * lifetime ended by `now` (epoch ms) in one bounded statement (or a few) and returns how many went;
 * fewer than `batchSize` means nothing is left for this run. It must be safe to run on several
 * nodes at once: every node runs the job.
 */
export type RetentionTask = {
  /** The table, as the `tabela` label of `ponte_retention_purged_rows_total` and in log lines. */
  name: string;
  purge(now: number, batchSize: number): Promise<number>;
};

/** Rows deleted by one run, by task name. */
export type RetentionRun = Record<string, number>;

export type RetentionJob = {
  /** Runs now, or joins the run in progress (runs never overlap); never rejects. */
  runOnce(): Promise<RetentionRun>;
  /** Stops the timers and waits for a run in progress, which ends after its current batch. */
  stop(): Promise<void>;
};

/**
 * The retention job: every `intervalMs` (the first run `firstRunDelayMs` after start), each task
 * in turn purges batch after batch until a batch comes back short, yielding to the event loop
 * between batches so requests are served meanwhile (a batch on SQLite runs on the main thread).
 * Runs never overlap. A failing task — the database down, say — is logged and the job goes on
 * with the next task and the next run; nothing escapes as an unhandled rejection. Timers are
 * unref'd: the job never keeps the process alive.
 */
export function startRetentionJob(options: {
  tasks: readonly RetentionTask[];
  intervalMs: number;
  /** Defaults to 30 s, or `intervalMs` when shorter: soon after start without slowing it. */
  firstRunDelayMs?: number;
  batchSize: number;
  logger: Logger;
  metrics: Pick<Metrics, 'retentionPurgedRows'>;
  clock: Clock;
}): RetentionJob {
  const { tasks, batchSize, logger, metrics, clock } = options;
  let running: Promise<RetentionRun> | undefined;
  let stopped = false;

  async function purgeAll(): Promise<RetentionRun> {
    // One `now` per run: every batch of every task judges expiry against the same instant.
    const now = clock.now();
    const purged: RetentionRun = {};
    for (const task of tasks) {
      let deleted = 0;
      try {
        while (!stopped) {
          const count = await task.purge(now, batchSize);
          deleted += count;
          if (count > 0) metrics.retentionPurgedRows.inc({ tabela: task.name }, count);
          if (count < batchSize) break;
          await yieldToEventLoop();
        }
      } catch (err: unknown) {
        logger.error({ err, tabela: task.name, deleted }, 'retenção: a limpeza falhou');
      }
      purged[task.name] = deleted;
    }
    if (Object.values(purged).some((count) => count > 0)) logger.info({ purged }, 'retenção: linhas expiradas apagadas');
    return purged;
  }

  function runOnce(): Promise<RetentionRun> {
    running ??= purgeAll().finally(() => {
      running = undefined;
    });
    return running;
  }

  const tick = () => void runOnce();
  let interval: NodeJS.Timeout | undefined;
  const first = setTimeout(() => {
    tick();
    interval = setInterval(tick, options.intervalMs);
    interval.unref();
  }, options.firstRunDelayMs ?? Math.min(30_000, options.intervalMs));
  first.unref();

  return {
    runOnce,
    async stop(): Promise<void> {
      stopped = true;
      clearTimeout(first);
      clearInterval(interval);
      await running;
    },
  };
}
