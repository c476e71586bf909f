import { destinationAad, originOf, type SecretBox } from '../../platform/crypto.ts';
import type { Grupo, GruposRepo } from './grupos.repo.ts';

/**
 * The associated data a grupo's senha is sealed with: the grupo and the origin of its URL — the
 * only place the senha is ever sent. A senha opened for another origin (its URL changed behind
 * Ponte's back) fails like a tampered ciphertext.
 */
export function grupoSenhaAad(grupoId: string, url: string): string {
  return destinationAad(`grupo:${grupoId}`, [originOf(url) ?? `url-invalida:${url}`]);
}

/** What senhas were sealed with before they were bound to their destination; re-sealed on first use. */
export const legacyGrupoSenhaAad = (grupoId: string): string => `grupo:${grupoId}`;

/** Why a stored senha was not sent (the call is not made). */
export const SENHA_FORA_DO_DESTINO =
  'A senha guardada deste grupo de autorização não vale para a URL atual (a URL foi alterada fora do painel, ou a chave que a cifrou saiu do anel), então a Ponte não a enviou. Digite a senha de novo em Segurança → Grupos de autorização.';

type SealedGrupo = Pick<Grupo, 'id' | 'url' | 'senhaSelada'>;

/**
 * Seals and opens grupo senhas bound to the origin of the grupo's URL.
 *
 * Senhas sealed before the binding (associated data `grupo:<id>`) still open, for the URL the
 * grupo has at that moment, and are re-sealed with that origin on first use, so each row is
 * bound after its first refresh. The fallback is tried only when the bound form fails; a row
 * edited behind Ponte's back after its re-seal fails both and is never sent.
 */
export function createGrupoSenhas(deps: { secretBox: SecretBox; repo: Pick<GruposRepo, 'replaceSenhaSelada'> }) {
  function openStored(grupo: SealedGrupo): { senha: string; legacy: boolean } | undefined {
    if (originOf(grupo.url) === undefined) return undefined;
    try {
      return { senha: deps.secretBox.open(grupo.senhaSelada, grupoSenhaAad(grupo.id, grupo.url)), legacy: false };
    } catch {
      // Not sealed for this origin: maybe sealed before the binding existed.
    }
    try {
      return { senha: deps.secretBox.open(grupo.senhaSelada, legacyGrupoSenhaAad(grupo.id)), legacy: true };
    } catch {
      return undefined;
    }
  }

  return {
    seal(grupoId: string, url: string, senha: string): string {
      return deps.secretBox.seal(senha, grupoSenhaAad(grupoId, url));
    },

    /** The stored senha if it opens for the grupo's current URL (or in the pre-binding form); no writes. */
    openStored,

    /**
     * The senha to send to `grupo.url` now, or why it must not be sent. A senha in the
     * pre-binding form is re-sealed for the current origin (compare-and-set, best effort: a
     * failed write is tried again on the next use).
     */
    async forSending(grupo: SealedGrupo): Promise<{ ok: true; senha: string } | { ok: false; error: string }> {
      const opened = openStored(grupo);
      if (!opened) return { ok: false, error: SENHA_FORA_DO_DESTINO };
      if (opened.legacy) {
        try {
          await deps.repo.replaceSenhaSelada(grupo.id, grupo.senhaSelada, deps.secretBox.seal(opened.senha, grupoSenhaAad(grupo.id, grupo.url)));
        } catch {
          // The database is unavailable: the senha stays in the old form until the next use.
        }
      }
      return { ok: true, senha: opened.senha };
    },
  };
}

export type GrupoSenhas = ReturnType<typeof createGrupoSenhas>;
