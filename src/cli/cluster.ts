import cluster, { type Worker } from 'node:cluster';
import type { Config } from '../platform/config.ts';
import { AppError } from '../platform/errors.ts';
import { answerClusterMetrics } from '../platform/cluster-metrics.ts';
import { migrateWhenReachable } from '../platform/infrastructure.ts';
import { loadKeyring } from '../platform/keyring.ts';
import { createLogger } from '../platform/logger.ts';
import { banner } from './banner.ts';

/**
 * The primary of `ponte serve --workers N`: it answers no request itself. It checks the keys and
 * migrates the database once, forks N workers that share the port (node:cluster hands each new
 * connection to the next worker), prints the banner when all of them listen, restarts a worker
 * that dies, and on SIGTERM/SIGINT has every worker drain (each one's own shutdown in serve.ts).
 *
 * Each worker is a full node, exactly like separate `ponte serve` processes on the same database:
 * same Redis for limits, locks and the grupo cache, same invalidation table, own caches.
 */

/** A crash loop backs off: 250 ms after the first death, doubling for each death in the last minute, up to 30 s. */
const RESTART_FIRST_DELAY_MS = 250;
const RESTART_MAX_DELAY_MS = 30_000;
const CRASH_WINDOW_MS = 60_000;
/** After the grace period the workers had for their requests, a worker still alive is killed. */
const STOP_MARGIN_MS = 5_000;

export async function runPrimary(config: Config, workerCount: number): Promise<void> {
  // A handful of lines, each worth seeing at once: written straight to stdout, not buffered.
  const logger = createLogger(config, { destination: process.stdout }).child({ processo: 'primario' });
  // Production keys checked once, here; in development the keys file is written once, before any
  // worker reads it (two workers generating their own would sign with different keys).
  loadKeyring(config);
  await migrateWhenReachable(config, logger);

  // A scrape of /metrics reaches one worker, which asks here for every worker's counters.
  answerClusterMetrics();

  let stopping = false;
  const crashes: number[] = [];
  const pendingRestarts = new Set<NodeJS.Timeout>();

  const fork = () => {
    const worker = cluster.fork();
    logger.debug({ worker: worker.id, pid: worker.process.pid }, 'processo de trabalho iniciado');
    return worker;
  };

  /** Asks every worker to drain; resolves with whether all of them ended cleanly (exit code 0). */
  const stopWorkers = async (signal: NodeJS.Signals): Promise<boolean> => {
    stopping = true;
    for (const timer of pendingRestarts) clearTimeout(timer);
    pendingRestarts.clear();
    const workers = Object.values(cluster.workers ?? {}).filter((worker): worker is Worker => worker !== undefined && !worker.isDead());
    const ended = workers.map(
      (worker) => new Promise<boolean>((resolve) => worker.once('exit', (code, exitSignal) => resolve(code === 0 && exitSignal === null))),
    );
    for (const worker of workers) worker.process.kill(signal);
    const hardStop = setTimeout(() => {
      logger.warn({ graceSeconds: config.shutdownGraceSeconds }, 'processos de trabalho ainda vivos após o prazo de encerramento: finalizados à força');
      for (const worker of workers) if (!worker.isDead()) worker.process.kill('SIGKILL');
    }, config.shutdownGraceSeconds * 1000 + STOP_MARGIN_MS);
    hardStop.unref();
    const results = await Promise.all(ended);
    clearTimeout(hardStop);
    return results.every(Boolean);
  };

  // Installed before the first fork, so a signal during the start also drains what already runs.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      logger.info({ signal, workers: workerCount }, 'encerrando: cada processo de trabalho termina as requisições em andamento');
      void stopWorkers('SIGTERM').then((clean) => {
        logger.info({ clean }, 'processos de trabalho encerrados');
        logger.flush();
        process.exit(clean ? 0 : 1);
      });
    });
  }

  await new Promise<void>((resolve, reject) => {
    const listening = new Set<number>();
    let started = false;

    cluster.on('listening', (worker, address) => {
      logger.info({ worker: worker.id, pid: worker.process.pid, port: address.port }, 'processo de trabalho no ar');
      if (started) return;
      listening.add(worker.id);
      if (listening.size < workerCount) return;
      started = true;
      process.stdout.write(banner(config, `http://localhost:${address.port}`, { workers: workerCount }));
      resolve();
    });

    cluster.on('exit', (worker, code, signal) => {
      if (stopping) return;
      if (!started) {
        // A worker that cannot start (port taken, database gone) would fail the same way again: the
        // whole server fails to start, as a single process would. The worker printed why.
        logger.error({ worker: worker.id, pid: worker.process.pid, code, signal }, 'processo de trabalho terminou antes de escutar');
        void stopWorkers('SIGTERM').then(() =>
          reject(new AppError('SERVICE_UNAVAILABLE', `A Ponte não subiu: um processo de trabalho terminou antes de escutar (código ${code ?? signal}); o motivo está acima.`)),
        );
        return;
      }
      const now = Date.now();
      while (crashes.length > 0 && now - crashes[0]! > CRASH_WINDOW_MS) crashes.shift();
      crashes.push(now);
      const delayMs = Math.min(RESTART_MAX_DELAY_MS, RESTART_FIRST_DELAY_MS * 2 ** (crashes.length - 1));
      logger.warn(
        { worker: worker.id, pid: worker.process.pid, code, signal, restartInMs: delayMs },
        `processo de trabalho terminou inesperadamente; outro sobe em ${delayMs} ms`,
      );
      logger.flush();
      const timer = setTimeout(() => {
        pendingRestarts.delete(timer);
        if (!stopping) fork();
      }, delayMs);
      pendingRestarts.add(timer);
    });

    for (let i = 0; i < workerCount; i += 1) fork();
  });
}
