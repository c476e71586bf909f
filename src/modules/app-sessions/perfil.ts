import type { Funcionalidade } from '../funcionalidades/funcionalidades.repo.ts';
import type { SegurancaPair } from '../outbound/outbound.service.ts';

/**
 * The validated login answer (SPEC §3.1) as Ponte keeps it in the session. The validator has
 * already checked every M/C field, so these shapes hold; optional parts stay optional.
 */
export type LoginResponse = {
  usuarioLogado: { login: string; chaveUnica: string; nome?: string | null; contato?: Record<string, unknown> | null; esquemaCor?: string | null; integracao?: unknown };
  contratos: { numeroContrato: string; tipo: string; descricaoContrato?: string | null; permissoes?: Permissao[] | null }[];
  beneficiarios?: { chaveUnica: string; integracao: Record<string, unknown>; dadosPessoais: { nome: string; dataNascimento: string; cpf?: string | null } }[] | null;
  profissionaisSaude?: Record<string, unknown>[] | null;
  seguranca?: { auth: SegurancaPair[] } | null;
};

export type Permissao = { funcionalidade: string; acesso: boolean; mensagemBloqueio?: string | null; ocultar: boolean };

export const DEFAULT_BLOCK_MESSAGE = 'Você não tem acesso a esta funcionalidade. Em caso de dúvida, procure sua operadora.';

/** Every contract's permissoes, merged: the most restrictive entry for a funcionalidade wins. */
export function mergedPermissoes(login: LoginResponse): Map<string, Permissao> {
  const merged = new Map<string, Permissao>();
  for (const contrato of login.contratos) {
    for (const p of contrato.permissoes ?? []) {
      const current = merged.get(p.funcionalidade);
      merged.set(p.funcionalidade, {
        funcionalidade: p.funcionalidade,
        acesso: (current?.acesso ?? true) && p.acesso,
        ocultar: (current?.ocultar ?? false) || p.ocultar,
        mensagemBloqueio: p.acesso ? (current?.mensagemBloqueio ?? null) : (p.mensagemBloqueio ?? current?.mensagemBloqueio ?? null),
      });
    }
  }
  return merged;
}

export type VisibleFuncionalidade = { chaveFuncionalidade: string; nome: string; bloqueada: boolean; mensagemBloqueio: string | null };

/** What the app shows: active funcionalidades, hidden ones removed, blocked ones marked with their message. */
export function visibleFuncionalidades(funcionalidades: Funcionalidade[], permissoes: Map<string, Permissao>): VisibleFuncionalidade[] {
  return funcionalidades
    .filter((f) => f.ativa && !permissoes.get(f.codigo)?.ocultar)
    .map((f) => {
      const p = permissoes.get(f.codigo);
      const bloqueada = p !== undefined && !p.acesso;
      return { chaveFuncionalidade: f.chave, nome: f.nome, bloqueada, mensagemBloqueio: bloqueada ? (p.mensagemBloqueio?.trim() || DEFAULT_BLOCK_MESSAGE) : null };
    });
}

/** The profile the app receives: what it displays, never the operator's `seguranca` tokens. */
export function profileForApp(login: LoginResponse) {
  return {
    usuario: {
      login: login.usuarioLogado.login,
      chaveUnica: login.usuarioLogado.chaveUnica,
      nome: login.usuarioLogado.nome ?? null,
      esquemaCor: login.usuarioLogado.esquemaCor ?? null,
    },
    contratos: login.contratos.map((c) => ({ numeroContrato: c.numeroContrato, tipo: c.tipo, descricaoContrato: c.descricaoContrato ?? null })),
    beneficiarios: (login.beneficiarios ?? []).map((b) => ({ chaveUnica: b.chaveUnica, nome: b.dadosPessoais.nome, dataNascimento: b.dadosPessoais.dataNascimento })),
  };
}
