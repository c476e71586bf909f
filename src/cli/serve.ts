import cluster from 'node:cluster';
import { availableParallelism } from 'node:os';
import type { Config } from '../platform/config.ts';
import { banner } from './banner.ts';
import { AppError } from '../platform/errors.ts';
import type { DemoSeed } from '../demo/demo.ts';
import type { BeneficiaryPortal } from '../simulator/portal.ts';
import type { OperatorSimulator } from '../simulator/simulator.ts';

// The server (Fastify, the database drivers) and the demo are imported when they start: what
// `serve` refuses (the worker count, --demo with workers, workers without Redis) is said at once,
// and the primary of `serve --workers` never loads the HTTP stack it does not run.

/** The most `--workers` accepts: far above any machine Ponte runs on, low enough to catch a typo. */
const MAX_WORKERS = 256;

/** `--workers`: a whole number of processes, or `auto` for one per core the process may use. */
export function parseWorkers(raw: string): number {
  const text = raw.trim().toLowerCase();
  if (text === 'auto') return availableParallelism();
  const count = Number(text);
  if (!/^\d+$/.test(text) || count < 1 || count > MAX_WORKERS) {
    throw new AppError('VALIDATION_FAILED', `--workers deve ser um inteiro de 1 a ${MAX_WORKERS} ou "auto" (um processo por núcleo) (recebido: "${raw}").`);
  }
  return count;
}

/**
 * `ponte serve`: one process, or — with `workers` > 1 — a primary that migrates the database and
 * forks that many workers sharing the port (`cluster.ts`). A worker runs this same command again
 * (node:cluster forks the same script with the same arguments) and lands in `startServer`.
 */
export async function serve(config: Config, options: { demo?: boolean; workers?: number } = {}): Promise<void> {
  if (cluster.isWorker) {
    try {
      await startServer(config, { worker: true });
    } catch (error) {
      // The IPC channel to the primary keeps a worker alive: let it go, so the worker ends once the
      // error is reported (and the primary sees a worker that never listened).
      cluster.worker?.disconnect();
      throw error;
    }
    return;
  }
  const workers = options.workers ?? 1;
  if (workers > 1) {
    // The demo seeds its data and starts the operator simulator once; with several processes each
    // would try, and the demo runs without Redis anyway (see below).
    if (options.demo) throw new AppError('VALIDATION_FAILED', `A demo (--demo) roda num processo só: tire --workers ${workers} (ou use --workers 1).`);
    // The in-process key-value store is per process: without Redis the workers would each keep their
    // own attempt limits, grupo locks and grupo cache — N times the limits and N calls to /autorizacao.
    if (!config.redisUrl) {
      throw new AppError(
        'VALIDATION_FAILED',
        `--workers ${workers} exige REDIS_URL: sem Redis, cada processo guardaria na própria memória os limites de tentativas, as travas e o cache do grupo de autorização. Defina REDIS_URL (redis://…) ou use --workers 1.`,
      );
    }
    const { runPrimary } = await import('./cluster.ts');
    await runPrimary(config, workers);
    return;
  }
  await startServer(config, { demo: options.demo ?? false });
}

/**
 * Starts the HTTP server and stops it cleanly on SIGINT/SIGTERM. Resolves once listening. A
 * worker of `serve --workers` neither migrates (its primary did) nor prints the banner (its primary
 * prints one for all), and tags its log lines with its worker number and pid.
 */
export async function startServer(config: Config, options: { demo?: boolean; worker?: boolean } = {}): Promise<{ url: string; close(): Promise<void> }> {
  if (options.demo && config.nodeEnv === 'production') throw new AppError('VALIDATION_FAILED', 'A demo (--demo) não roda com NODE_ENV=production.');
  const [{ buildApp }, { openInfrastructure }] = await Promise.all([import('../app.ts'), import('../platform/infrastructure.ts')]);
  const infra = await openInfrastructure(config, options.worker ? { logger: await workerLogger(config), migrate: false } : {});
  let built: Awaited<ReturnType<typeof buildApp>> | undefined;
  let simulator: OperatorSimulator | undefined;
  let portal: BeneficiaryPortal | undefined;
  let demo: DemoSeed | undefined;
  try {
    built = await buildApp(infra);
    // The simulator is imported only for the demo: a production server never loads it.
    simulator = options.demo ? await (await import('../simulator/simulator.ts')).createOperatorSimulator({ port: config.simulatorPort, host: '127.0.0.1' }) : undefined;
    // The operator's portal do beneficiário, on an origin of its own (it embeds a funcionalidade).
    portal = options.demo ? await (await import('../simulator/portal.ts')).createBeneficiaryPortal({ port: config.portalPort, host: '127.0.0.1' }) : undefined;
    demo = simulator && portal ? await (await import('../demo/demo.ts')).seedDemo(built.services, { dataDir: config.dataDir, simulatorUrl: simulator.url, portalUrl: portal.url }) : undefined;
    await built.app.listen({ port: config.port, host: config.host });
  } catch (error) {
    // A start that fails (a port in use, the demo's seed) leaves nothing open: a Redis connection
    // or a database pool would keep the process running after the error is reported.
    await built?.app.close().catch(() => undefined);
    await simulator?.close().catch(() => undefined);
    await portal?.close().catch(() => undefined);
    await infra.close();
    throw error;
  }
  const { app, startDraining } = built;
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://localhost:${port}`;
  // The simulator's WebView page calls Ponte server-side, as an operator's backend would: over
  // loopback when Ponte listens on every interface (`localhost` may resolve to ::1 first).
  const loopbackUrl = `http://${loopbackHostFor(config.host)}:${port}`;
  if (simulator && demo) simulator.setPonte({ url: loopbackUrl, token: demo.simulatorToken });
  // The portal's backend calls chaveAuth there, and its page loads embed.js from there.
  if (portal && demo) {
    const { token, chaveFuncionalidade, funcionalidadeUrl } = demo.portal;
    portal.setPonte({ url: loopbackUrl, token, chaveFuncionalidade, instanciaApp: 1, funcionalidadeOrigin: new URL(funcionalidadeUrl).origin });
  }

  // Shutdown: `/readyz` turns 503 at once, the server stops taking connections and requests in
  // flight finish; after the grace period whatever is left is cut.
  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      startDraining();
      const grace = setTimeout(() => {
        infra.logger.warn({ graceSeconds: config.shutdownGraceSeconds }, 'prazo de encerramento esgotado: fechando as conexões ainda abertas');
        app.server.closeAllConnections();
      }, config.shutdownGraceSeconds * 1000);
      grace.unref();
      // Node closes the connections idle when closing starts; a keep-alive connection whose request
      // finishes later would hold the server open until its keep-alive timeout.
      const idleSweep = setInterval(() => app.server.closeIdleConnections(), 100);
      try {
        await app.close();
      } finally {
        clearTimeout(grace);
        clearInterval(idleSweep);
      }
      await simulator?.close();
      await portal?.close();
      await infra.close();
    })());
  // Last line of defence: a promise nobody awaited must not take the node down with every request
  // in flight (Node's default for an unhandled rejection is to exit).
  process.on('unhandledRejection', (reason) => infra.logger.error({ err: reason }, 'promessa rejeitada sem tratamento'));
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      infra.logger.info({ signal }, 'encerrando: terminando as requisições em andamento');
      void close().then(
        () => process.exit(0),
        (err: unknown) => {
          infra.logger.error({ err }, 'o encerramento falhou');
          process.exit(1);
        },
      );
    });
  }

  if (!options.worker) {
    process.stdout.write(
      banner(config, url, {
        demoApp: demo ? `${url}/demo?app=${demo.appId}` : undefined,
        tail: simulator ? [`  Simulador de operadora: ${simulator.url}`, '', ...(demo?.lines ?? [])] : [],
      }),
    );
  }
  return { url, close };
}

/**
 * A worker's log lines carry its number and pid. The workers and the primary share one stdout:
 * each line goes out in a write of its own (atomic on a pipe up to 4 KiB), where the buffered
 * writer of a single process would send 4 KiB chunks that other processes' lines could split.
 */
async function workerLogger(config: Config) {
  const [{ default: pino }, { createLogger }] = await Promise.all([import('pino'), import('../platform/logger.ts')]);
  const destination = config.logLevel === 'silent' ? undefined : pino.destination({ sync: true });
  return createLogger(config, destination ? { destination } : {}).child({ worker: cluster.worker?.id, pid: process.pid });
}

/** Where a local client reaches a server listening on `host`. */
function loopbackHostFor(host: string): string {
  if (host === '0.0.0.0' || host === '' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}
