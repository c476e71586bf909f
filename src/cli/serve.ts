import { buildApp } from '../app.ts';
import type { Config } from '../platform/config.ts';
import { openInfrastructure } from '../platform/infrastructure.ts';

/** Starts the HTTP server and stops it cleanly on SIGINT/SIGTERM. Resolves once listening. */
export async function startServer(config: Config): Promise<{ url: string; close(): Promise<void> }> {
  const infra = await openInfrastructure(config);
  const { app } = await buildApp(infra);
  await app.listen({ port: config.port, host: config.host });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://localhost:${port}`;

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      await app.close();
      await infra.close();
    })());
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      infra.logger.info({ signal }, 'shutting down');
      void close().then(() => process.exit(0));
    });
  }

  const storage = infra.database.kind === 'sqlite' ? `SQLite em ${config.dataDir}/ponte.db` : 'PostgreSQL';
  process.stdout.write(
    [
      '',
      `Ponte no ar em ${url}  (${config.nodeEnv}, ${storage}, chave-valor ${config.redisUrl ? 'Redis' : 'em memória'})`,
      `  Documentação da API: ${url}/docs`,
      `  Saúde:               ${url}/healthz  ${url}/readyz  ${url}/metrics`,
      '',
    ].join('\n'),
  );
  return { url, close };
}
