import { createAppSessionsRepo } from './modules/app-sessions/app-sessions.repo.ts';
import { createChavePasseRepo } from './modules/chave-passe/chave-passe.repo.ts';
import type { LogCenterService } from './modules/log-center/log-center.service.ts';
import { createPainelRedefinicoesRepo } from './modules/painel-users/painel-redefinicoes.repo.ts';
import { createPainelSessionsRepo } from './modules/painel-users/painel-users.repo.ts';
import { createRecuperacaoRepo } from './modules/recuperacao/recuperacao.repo.ts';
import type { Db } from './platform/db/schema.ts';
import { startRetentionJob, type RetentionJob, type RetentionTask } from './platform/retention.ts';
import type { AppDeps, Services } from './services.ts';

/**
 * Rows per DELETE: small enough that one statement holds its locks (and, on SQLite, the event
 * loop) only briefly, large enough that a day of logins is a few dozen statements.
 */
export const RETENTION_BATCH_SIZE = 1000;

/**
 * What the retention job (`platform/retention.ts`) deletes, in order. Chaves passe go before the
 * sessions they belong to so each is counted under its own table: a session's delete also removes,
 * by ON DELETE CASCADE and uncounted, any chave passe it still had (one issued in the last minutes
 * of a session that then reached its 30 days).
 */
export function retentionTasks(deps: { db: Db; logCenter: Pick<LogCenterService, 'retentionTask'> }): RetentionTask[] {
  const chavesPasse = createChavePasseRepo(deps.db);
  const appSessions = createAppSessionsRepo(deps.db);
  const recuperacoes = createRecuperacaoRepo(deps.db);
  const painelSessions = createPainelSessionsRepo(deps.db);
  const redefinicoes = createPainelRedefinicoesRepo(deps.db);
  return [
    deps.logCenter.retentionTask,
    { name: 'chaves_passe', purge: (now, batchSize) => chavesPasse.deleteExpired(now, batchSize) },
    { name: 'app_sessions', purge: (now, batchSize) => appSessions.deleteExpired(now, batchSize) },
    { name: 'recuperacoes', purge: (now, batchSize) => recuperacoes.deleteExpired(now, batchSize) },
    { name: 'painel_sessions', purge: (now, batchSize) => painelSessions.deleteExpired(now, batchSize) },
    { name: 'painel_redefinicoes_senha', purge: (now, batchSize) => redefinicoes.deleteExpired(now, batchSize) },
  ];
}

/** Starts this node's retention job every `PONTE_RETENTION_INTERVAL_SECONDS`, the first run soon after start. */
export function startRetention(deps: AppDeps, services: Pick<Services, 'logCenter' | 'metrics'>): RetentionJob {
  return startRetentionJob({
    tasks: retentionTasks({ db: deps.database.db, logCenter: services.logCenter }),
    intervalMs: deps.config.retentionIntervalSeconds * 1000,
    batchSize: RETENTION_BATCH_SIZE,
    logger: deps.logger,
    metrics: services.metrics,
    clock: deps.clock,
  });
}
