import { getDomain } from 'tldts';
import { originOf, safeEqual } from '../../platform/crypto.ts';
import type { ErrorDetail } from '../../platform/errors.ts';
import type { GrupoSenhas } from '../grupos/grupo-senha.ts';
import type { Grupo } from '../grupos/grupos.repo.ts';
import type { Integracao } from './integracoes.repo.ts';

/**
 * Where a grupo de autorização's live tokens may be sent. The grupo's senha goes only to the
 * origin of the grupo's URL (grupo-senha.ts); the tokens it buys go with every call of the
 * integração linked to it. Without a rule, whoever may edit the integração could point it at a
 * host of their own and receive live tokens without ever knowing the senha. So:
 *
 * - the origin of the grupo's own URL always receives them (the senha already goes there), and so
 *   does every origin of the same site: same scheme and same registrable domain by the Public
 *   Suffix List (`auth.operadora.com.br` → `api.operadora.com.br`; `a.github.io` is not
 *   `b.github.io`; an IP address or `localhost` is a site of its own);
 * - any other origin receives them only after someone who knows the grupo's senha confirmed it,
 *   by typing the senha when saving the integração with that origin (`grupoDestinos` keeps what
 *   was confirmed, for that grupo only; linking another grupo starts from nothing);
 * - integrações saved before the rule keep the origins they had (taken on trust once, like the
 *   secret headers before they were bound).
 */
export function grupoDestinationsAllowed(integracao: Pick<Integracao, 'grupoId' | 'grupoDestinos'>, grupo: Pick<Grupo, 'id' | 'url'>, legacyDestinos: readonly string[]): GrupoDestinations {
  const confirmed = integracao.grupoId === grupo.id ? (integracao.grupoDestinos ?? legacyDestinos) : [];
  return { site: siteOf(grupo.url), confirmed };
}

/** The grupo's site, and the other origins confirmed with its senha. */
export type GrupoDestinations = { site: string | undefined; confirmed: readonly string[] };

/** `scheme://registrable-domain`, or the origin itself for an IP address or a single-label host. */
function siteOf(url: string): string | undefined {
  const origin = originOf(url);
  if (!origin) return undefined;
  const { protocol, hostname } = new URL(origin);
  const domain = getDomain(hostname, { allowPrivateDomains: true });
  return domain ? `${protocol}//${domain}` : origin;
}

/** Whether a call to `url` may carry the grupo's tokens. */
export function grupoTokensMayGoTo(url: string, allowed: GrupoDestinations): boolean {
  const origin = originOf(url);
  if (origin === undefined) return false;
  return (allowed.site !== undefined && siteOf(origin) === allowed.site) || allowed.confirmed.includes(origin);
}

export const grupoTokensBlockedMessage = (origin: string, grupoNome: string) =>
  `Os tokens do grupo de autorização "${grupoNome}" não são enviados para ${origin}: essa origem não foi confirmada com a senha do grupo. Salve a integração digitando a senha do grupo.`;

/**
 * At save: the origins the grupo's tokens will go to (`destinos`), when each is the grupo's own
 * origin or was confirmed before; otherwise `senhaGrupo` must be the grupo's senha. Problems go to
 * `details` at `senhaGrupo`.
 */
export function confirmGrupoDestinations(input: {
  previous: Pick<Integracao, 'grupoId' | 'grupoDestinos'> | undefined;
  previousDestinos: readonly string[];
  grupo: Grupo;
  destinos: readonly string[];
  senhaGrupo: string | undefined;
  senhas: Pick<GrupoSenhas, 'openStored'>;
  details: ErrorDetail[];
}): string[] {
  const allowed = input.previous ? grupoDestinationsAllowed(input.previous, input.grupo, input.previousDestinos) : grupoDestinationsAllowed({ grupoId: null, grupoDestinos: undefined }, input.grupo, []);
  const novos = input.destinos.filter((origin) => !grupoTokensMayGoTo(origin, allowed));
  if (novos.length === 0) return [...input.destinos];
  if (input.senhaGrupo === undefined || input.senhaGrupo === '') {
    input.details.push({
      field: 'senhaGrupo',
      message: `Os tokens do grupo de autorização "${input.grupo.nome}" passariam a ser enviados para ${novos.join(', ')}, fora do endereço do grupo. Para confirmar, digite a senha do grupo.`,
    });
    return [];
  }
  const stored = input.senhas.openStored(input.grupo);
  if (!stored || !safeEqual(stored.senha, input.senhaGrupo)) {
    input.details.push({ field: 'senhaGrupo', message: `A senha não confere com a do grupo de autorização "${input.grupo.nome}".` });
    return [];
  }
  return [...input.destinos];
}
