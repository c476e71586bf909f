import type { Clock } from '../../platform/clock.ts';
import { originOf, type SecretBox } from '../../platform/crypto.ts';
import type { Db } from '../../platform/db/schema.ts';
import { AppError } from '../../platform/errors.ts';
import { urlProblem, type CidrList } from '../../platform/http-client/ssrf-guard.ts';
import { newId } from '../../platform/ids.ts';
import type { AuditActor, AuditService } from '../audit/audit.service.ts';
import { contracts } from '../contracts/contracts.ts';
import { createGrupoSenhas } from './grupo-senha.ts';
import type { GrupoPairsCache } from './grupos.cache.ts';
import type { Grupo, GruposRepo } from './grupos.repo.ts';

export const DEFAULT_GRUPO_TTL_SECONDS = 3600;

export type GrupoInput = { nome: string; url: string; usuario: string; senha?: string | undefined; ttlSegundos?: number | undefined };

/** Checks that a URL may be saved for a method of `instancia`: the method's suffix and the SSRF policy. */
export function assertOperatorUrl(url: string, suffix: string, instancia: 1 | 2, allowlist: CidrList, field: string): void {
  const problem = urlProblem(url, { requireHttps: instancia === 2, allowlist });
  if (problem) throw new AppError('VALIDATION_FAILED', undefined, { details: [{ field, message: `URL recusada: ${problem}.` }] });
  const path = new URL(url).pathname.replace(/\/+$/, '');
  if (!path.endsWith(suffix)) {
    throw new AppError('VALIDATION_FAILED', undefined, { details: [{ field, message: `O endpoint obrigatoriamente deve terminar com "${suffix}".` }] });
  }
}

/**
 * `usuario` and `senha` are both M in the seed: blank or only spaces is refused at the field, for
 * every caller (the painel's schema says the same first). On update `senha` may be left out to keep
 * the stored one, but one sent must not be blank. Returns the senha (defined when required).
 */
function assertUsuarioSenha(input: Pick<GrupoInput, 'usuario' | 'senha'>, options: { senhaRequired: boolean }): string | undefined {
  const details = [];
  if (input.usuario.trim().length === 0) details.push({ field: 'usuario', message: 'Informe o usuário.' });
  if (input.senha === undefined ? options.senhaRequired : input.senha.trim().length === 0) details.push({ field: 'senha', message: 'Informe a senha.' });
  if (details.length > 0) throw new AppError('VALIDATION_FAILED', undefined, { details });
  return input.senha;
}

/**
 * Grupos de autorização: saved only after a live call to their `/autorizacao` endpoint passes the
 * contract; `senha` sealed at rest and bound to the origin of the grupo's URL (`grupo-senha.ts`):
 * moving the URL to another origin requires typing the senha again; the pairs live in `GrupoPairsCache`.
 */
export function createGruposService(deps: { db: Db; repos: { grupos: GruposRepo }; clock: Clock; secretBox: SecretBox; audit: AuditService; cache: GrupoPairsCache; allowlist: CidrList }) {
  const repo = deps.repos.grupos;
  const senhas = createGrupoSenhas({ secretBox: deps.secretBox, repo });

  /**
   * The sealed senha an update saves. Typed again: sealed for the new URL. Left out: the stored
   * one, only while the URL keeps its origin (a path change is fine) — otherwise the update would
   * hand the senha to an address nobody who knows it chose (this check runs before the live call).
   */
  function senhaFor(before: Grupo, url: string, senha: string | undefined): string {
    if (senha) return senhas.seal(before.id, url, senha);
    const [de, para] = [originOf(before.url), originOf(url)];
    if (de !== para) {
      throw new AppError('VALIDATION_FAILED', undefined, {
        details: [{ field: 'senha', message: `A URL mudou de origem (de ${de ?? before.url} para ${para ?? url}): digite a senha de novo para enviá-la ao novo endereço.` }],
      });
    }
    const stored = senhas.openStored(before);
    if (!stored) {
      throw new AppError('VALIDATION_FAILED', undefined, {
        details: [{ field: 'senha', message: 'A senha guardada não pôde ser lida para este endereço (foi alterada fora do painel, ou a chave que a cifrou saiu do anel): digite a senha de novo.' }],
      });
    }
    return senhas.seal(before.id, url, stored.senha);
  }

  async function liveCheck(grupo: Grupo) {
    const checked = await deps.cache.check(grupo, 10_000);
    if (!checked.ok) {
      // 401/403: the operator refused these credentials — the usuário/senha are wrong, not the URL.
      const refusedCredentials = checked.refusedStatus === 401 || checked.refusedStatus === 403;
      const details =
        checked.violations.length > 0
          ? checked.violations.map((v) => ({ field: v.caminho, message: v.mensagem }))
          : refusedCredentials
            ? [{ field: 'usuario', message: `${checked.error}. Confira o usuário e a senha do grupo.` }]
            : [{ field: 'url', message: checked.error }];
      throw new AppError('OPERATOR_CONTRACT_VIOLATED', 'A verificação ao vivo do grupo de autorização falhou; nada foi salvo.', { details });
    }
    return checked.pairs;
  }

  const describe = (g: Grupo) => ({ nome: g.nome, url: g.url, usuario: g.usuario, senha: '***', ttlSegundos: g.ttlSegundos });

  async function owned(clienteId: string, grupoId: string): Promise<Grupo> {
    const grupo = await repo.findById(grupoId);
    if (!grupo || grupo.clienteId !== clienteId) throw new AppError('NOT_FOUND', 'Grupo de autorização não encontrado.');
    return grupo;
  }

  return {
    get: owned,
    list: (clienteId: string, instancia: 1 | 2) => repo.list(clienteId, instancia),

    async create(input: GrupoInput & { clienteId: string; instancia: 1 | 2; actor: AuditActor }): Promise<Grupo> {
      assertOperatorUrl(input.url, contracts.autorizacao.suffix, input.instancia, deps.allowlist, 'url');
      const senha = assertUsuarioSenha(input, { senhaRequired: true });
      const now = deps.clock.now();
      const id = newId('grupo');
      const grupo: Grupo = {
        id,
        clienteId: input.clienteId,
        instancia: input.instancia,
        nome: input.nome,
        url: input.url,
        usuario: input.usuario,
        senhaSelada: senhas.seal(id, input.url, senha ?? ''),
        ttlSegundos: input.ttlSegundos ?? DEFAULT_GRUPO_TTL_SECONDS,
        status: 'ativo',
        ultimaRenovacaoEm: now,
        ultimoErro: null,
        ultimoErroEm: null,
        createdAt: now,
        updatedAt: now,
      };
      const pairs = await liveCheck(grupo);
      await deps.db.transaction().execute(async (trx) => {
        await repo.insert(grupo, trx);
        await deps.audit.record(
          { clienteId: grupo.clienteId, instancia: grupo.instancia, actor: input.actor, action: 'grupo.criado', targetType: 'grupo', targetId: id, after: describe(grupo) },
          trx,
        );
      });
      await deps.cache.prime(grupo, pairs);
      return grupo;
    },

    async update(input: GrupoInput & { clienteId: string; grupoId: string; actor: AuditActor }): Promise<Grupo> {
      const before = await owned(input.clienteId, input.grupoId);
      assertOperatorUrl(input.url, contracts.autorizacao.suffix, before.instancia, deps.allowlist, 'url');
      assertUsuarioSenha(input, { senhaRequired: false });
      const senhaSelada = senhaFor(before, input.url, input.senha);
      const now = deps.clock.now();
      const grupo: Grupo = {
        ...before,
        nome: input.nome,
        url: input.url,
        usuario: input.usuario,
        senhaSelada,
        ttlSegundos: input.ttlSegundos ?? before.ttlSegundos,
        status: 'ativo',
        ultimaRenovacaoEm: now,
        ultimoErro: null,
        updatedAt: now,
      };
      const pairs = await liveCheck(grupo);
      await deps.db.transaction().execute(async (trx) => {
        await repo.update(grupo, trx);
        await deps.audit.record(
          { clienteId: grupo.clienteId, instancia: grupo.instancia, actor: input.actor, action: 'grupo.alterado', targetType: 'grupo', targetId: grupo.id, before: describe(before), after: describe(grupo) },
          trx,
        );
      });
      await deps.cache.forget(grupo.id);
      await deps.cache.prime(grupo, pairs);
      return grupo;
    },

    /**
     * The senha to send to the grupo's current URL (the validador's `autorizacao` run). Fails
     * closed: a senha that does not open for that origin is never sent — 502 with what to do.
     */
    async senhaParaEnvio(grupo: Grupo): Promise<string> {
      const senha = await senhas.forSending(grupo);
      if (!senha.ok) throw new AppError('OPERATOR_UNAVAILABLE', senha.error);
      return senha.senha;
    },

    async refreshNow(clienteId: string, grupoId: string): Promise<Grupo> {
      const grupo = await owned(clienteId, grupoId);
      await deps.cache.refreshNow(grupo);
      return owned(clienteId, grupoId);
    },

    async remove(input: { clienteId: string; grupoId: string; actor: AuditActor }): Promise<void> {
      const grupo = await owned(input.clienteId, input.grupoId);
      await deps.db.transaction().execute(async (trx) => {
        // Unlinking it silently would make every login of that integração fail: refuse instead.
        const usedBy = await repo.instanciasUsing(grupo.id, trx);
        if (usedBy.length > 0) {
          const nomes = usedBy.map((instancia) => (instancia === 1 ? 'Sandbox' : 'Produção'));
          throw new AppError('CONFLICT', `Este grupo está em uso pela integração de ${nomes.join(' e ')}. Escolha outro grupo (ou nenhum) na Integração e remova-o depois.`, {
            details: nomes.map((nome) => ({ field: 'integracoes', message: nome })),
          });
        }
        await repo.delete(grupo.id, trx);
        await deps.audit.record(
          { clienteId: grupo.clienteId, instancia: grupo.instancia, actor: input.actor, action: 'grupo.removido', targetType: 'grupo', targetId: grupo.id, before: describe(grupo) },
          trx,
        );
      });
      await deps.cache.forget(grupo.id);
    },
  };
}

export type GruposService = ReturnType<typeof createGruposService>;
