import type { Config } from '../platform/config.ts';

/** What `serve` prints once listening (the tests and the README wait for its first line). */
export function banner(config: Config, url: string, options: { demoApp?: string | undefined; tail?: string[]; workers?: number } = {}): string {
  const { demoApp, tail = [], workers = 1 } = options;
  const storage = config.databaseUrl ? 'PostgreSQL' : `SQLite em ${config.dataDir}/ponte.db`;
  // Development keys live in the data folder: without NODE_ENV, the CLI needs --dev to open them.
  const cli = config.nodeEnv === 'development' ? 'npx ponte --dev' : 'npx ponte';
  return [
    '',
    `Ponte no ar em ${url}  (${config.nodeEnv}, ${storage}, chave-valor ${config.redisUrl ? 'Redis' : 'em memória'}${workers > 1 ? `, ${workers} processos` : ''})`,
    `  Painel:        ${url}/painel`,
    ...(demoApp ? [`  App demo:      ${demoApp}`] : []),
    `  Documentação:  ${url}/docs`,
    `  Saúde:         ${url}/healthz  ${url}/readyz  ${url}/metrics`,
    // Whoever restarts the server is the one who can get back in: the CLI reaches the same database.
    `  Acesso:        sem administrador? ${cli} admin create --email <e-mail>  ·  senha esquecida? ${cli} admin senha --email <e-mail>`,
    ...tail,
    '',
  ].join('\n');
}
