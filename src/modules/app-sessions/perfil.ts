import type { Funcionalidade } from '../funcionalidades/funcionalidades.repo.ts';
import type { SegurancaPair } from '../outbound/outbound.service.ts';
import type { ResponseOf } from '../contracts/contracts.ts';

/**
 * The validated login answer (docs/ESPECIFICACAO.md §3.1) as Ponte keeps it in the session. The validator has
 * already checked every M/C field, so these shapes hold; optional parts stay optional.
 */
/** The operator's login response after the contract check: its type is the contract's (contracts.ts). */
export type LoginResponse = ResponseOf<'login'>;

export type Permissao = NonNullable<LoginResponse['contratos'][number]['permissoes']>[number];

type Beneficiario = NonNullable<LoginResponse['beneficiarios']>[number];

/**
 * What a session keeps of the login answer: only what later requests read — the app's profile
 * (`profileForApp`), the permissoes that hide or block funcionalidades, the user's key and
 * `integracao` for trocar senha and the chave passe data API, and the family for `grupoFamiliar`.
 * Contacts, CPFs, plan and card data, health professionals and whatever else the operator sent are
 * not stored: a smaller sealed row to write and open, and less personal data at rest. A login
 * answer (as older sessions stored it whole) is one too.
 */
export type SessionProfile = {
  usuarioLogado: Pick<LoginResponse['usuarioLogado'], 'login' | 'chaveUnica' | 'nome' | 'esquemaCor' | 'integracao'>;
  contratos: (Pick<LoginResponse['contratos'][number], 'numeroContrato' | 'tipo' | 'descricaoContrato'> & { permissoes?: Permissao[] | null | undefined })[];
  beneficiarios?: (Pick<Beneficiario, 'chaveUnica' | 'integracao'> & { dadosPessoais: Pick<Beneficiario['dadosPessoais'], 'nome' | 'dataNascimento'> })[] | null | undefined;
};

export function sessionProfile(login: LoginResponse): SessionProfile {
  const usuario = login.usuarioLogado;
  return {
    usuarioLogado: {
      login: usuario.login,
      chaveUnica: usuario.chaveUnica,
      nome: usuario.nome ?? null,
      esquemaCor: usuario.esquemaCor ?? null,
      ...(usuario.integracao === undefined ? {} : { integracao: usuario.integracao }),
    },
    contratos: login.contratos.map((c) => ({
      numeroContrato: c.numeroContrato,
      tipo: c.tipo,
      descricaoContrato: c.descricaoContrato ?? null,
      permissoes: (c.permissoes ?? []).map((p) => ({ funcionalidade: p.funcionalidade, acesso: p.acesso, mensagemBloqueio: p.mensagemBloqueio ?? null, ocultar: p.ocultar })),
    })),
    beneficiarios: (login.beneficiarios ?? []).map((b) => ({
      chaveUnica: b.chaveUnica,
      integracao: b.integracao,
      dadosPessoais: { nome: b.dadosPessoais.nome, dataNascimento: b.dadosPessoais.dataNascimento },
    })),
  };
}

export const DEFAULT_BLOCK_MESSAGE = 'Você não tem acesso a esta funcionalidade. Em caso de dúvida, procure sua operadora.';

/** Every contract's permissoes, merged: the most restrictive entry for a funcionalidade wins. */
export function mergedPermissoes(login: SessionProfile): Map<string, Permissao> {
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
export function profileForApp(login: SessionProfile) {
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
