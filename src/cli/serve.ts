import { buildApp } from '../app.ts';
import type { Config } from '../platform/config.ts';
import { seedDemo } from '../demo/demo.ts';
import { AppError } from '../platform/errors.ts';
import { openInfrastructure } from '../platform/infrastructure.ts';

/** Starts the HTTP server and stops it cleanly on SIGINT/SIGTERM. Resolves once listening. */
export async function startServer(config: Config, options: { demo?: boolean } = {}): Promise<{ url: string; close(): Promise<void> }> {
  if (options.demo && config.nodeEnv === 'production') throw new AppError('VALIDATION_FAILED', 'A demo (--demo) não roda com NODE_ENV=production.');
  const infra = await openInfrastructure(config);
  const { app, services, startDraining } = await buildApp(infra);
  // The simulator is imported only for the demo: a production server never loads it.
  const simulator = options.demo ? await (await import('../simulator/simulator.ts')).createOperatorSimulator({ port: config.simulatorPort, host: '127.0.0.1' }) : undefined;
  const demo = simulator ? await seedDemo(services, { dataDir: config.dataDir, simulatorUrl: simulator.url }) : undefined;
  await app.listen({ port: config.port, host: config.host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://localhost:${port}`;
  // The simulator's WebView page calls Ponte server-side, as an operator's backend would: over
  // loopback when Ponte listens on every interface (`localhost` may resolve to ::1 first).
  if (simulator && demo) simulator.setPonte({ url: `http://${loopbackHostFor(config.host)}:${port}`, token: demo.simulatorToken });

  // Shutdown: `/readyz` turns 503 at once, the server stops taking connections and requests in
  // flight finish; after the grace period whatever is left is cut.
  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      startDraining();
      const grace = setTimeout(() => {
        infra.logger.warn({ graceSeconds: config.shutdownGraceSeconds }, 'shutdown grace period over: closing the connections still open');
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
      await infra.close();
    })());
  // Last line of defence: a promise nobody awaited must not take the node down with every request
  // in flight (Node's default for an unhandled rejection is to exit).
  process.on('unhandledRejection', (reason) => infra.logger.error({ err: reason }, 'unhandled promise rejection'));
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      infra.logger.info({ signal }, 'shutting down: draining requests in flight');
      void close().then(
        () => process.exit(0),
        (err: unknown) => {
          infra.logger.error({ err }, 'shutdown failed');
          process.exit(1);
        },
      );
    });
  }

  const storage = infra.database.kind === 'sqlite' ? `SQLite em ${config.dataDir}/ponte.db` : 'PostgreSQL';
  process.stdout.write(
    [
      '',
      `Ponte no ar em ${url}  (${config.nodeEnv}, ${storage}, chave-valor ${config.redisUrl ? 'Redis' : 'em memória'})`,
      `  Painel:        ${url}/painel`,
      ...(demo ? [`  App demo:      ${url}/demo?app=${demo.appId}`] : []),
      `  Documentação:  ${url}/docs`,
      `  Saúde:         ${url}/healthz  ${url}/readyz  ${url}/metrics`,
      ...(simulator ? [`  Simulador de operadora: ${simulator.url}`, '', ...(demo?.lines ?? [])] : []),
      '',
    ].join('\n'),
  );
  return { url, close };
}

/** Where a local client reaches a server listening on `host`. */
function loopbackHostFor(host: string): string {
  if (host === '0.0.0.0' || host === '' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}
