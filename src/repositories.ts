import { createAppSessionsRepo } from './modules/app-sessions/app-sessions.repo.ts';
import { createAuditRepo } from './modules/audit/audit.repo.ts';
import { createChavePasseRepo } from './modules/chave-passe/chave-passe.repo.ts';
import { createClientTokensRepo } from './modules/client-tokens/client-tokens.repo.ts';
import { createClientesRepo } from './modules/clientes/clientes.repo.ts';
import { createFormsRepo } from './modules/forms/forms.repo.ts';
import { createFuncionalidadesRepo } from './modules/funcionalidades/funcionalidades.repo.ts';
import { createGruposRepo } from './modules/grupos/grupos.repo.ts';
import { createIntegracoesRepo } from './modules/integracoes/integracoes.repo.ts';
import { createLogCenterRepo } from './modules/log-center/log-center.repo.ts';
import { createLogStatsRepo } from './modules/log-center/log-center.stats.repo.ts';
import { createEnvioMensagensRepo } from './modules/mensagens/envio-mensagens.repo.ts';
import { createOrigensRepo } from './modules/origens/origens.repo.ts';
import { createPainelConvitesRepo } from './modules/painel-users/painel-convites.repo.ts';
import { createPainelRedefinicoesRepo } from './modules/painel-users/painel-redefinicoes.repo.ts';
import { createPainelSessionsRepo, createPainelUsersRepo } from './modules/painel-users/painel-users.repo.ts';
import { createCaixaDeSaidaRepo } from './modules/recuperacao/caixa-de-saida.repo.ts';
import { createRecuperacaoRepo } from './modules/recuperacao/recuperacao.repo.ts';
import type { Db } from './platform/db/schema.ts';

/**
 * Every repository, made once here, in the composition root, and handed to the services that use
 * it: a service that reads another module's rows (forms → integrações, the copy to Produção →
 * grupos and formulários) says so in its dependencies instead of building that module's
 * repository itself. Each repository method also takes the transaction it should run in.
 */
export function createRepositories(db: Db) {
  return {
    audit: createAuditRepo(db),
    clientes: createClientesRepo(db),
    clientTokens: createClientTokensRepo(db),
    painelUsers: createPainelUsersRepo(db),
    painelSessions: createPainelSessionsRepo(db),
    painelConvites: createPainelConvitesRepo(db),
    painelRedefinicoes: createPainelRedefinicoesRepo(db),
    grupos: createGruposRepo(db),
    integracoes: createIntegracoesRepo(db),
    forms: createFormsRepo(db),
    funcionalidades: createFuncionalidadesRepo(db),
    origens: createOrigensRepo(db),
    appSessions: createAppSessionsRepo(db),
    chavePasse: createChavePasseRepo(db),
    recuperacao: createRecuperacaoRepo(db),
    caixaDeSaida: createCaixaDeSaidaRepo(db),
    envioMensagens: createEnvioMensagensRepo(db),
    logCenter: createLogCenterRepo(db),
    logStats: createLogStatsRepo(db),
  };
}

export type Repositories = ReturnType<typeof createRepositories>;
