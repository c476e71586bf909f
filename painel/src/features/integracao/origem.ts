/**
 * Where a stored secret may go, computed as the server does (`originOf` in platform/crypto.ts):
 * the origin (scheme://host[:port]) of each URL it is sent to. A secret is sealed for those
 * origins, so pointing a URL at a new one means typing the secret again.
 */

/** `scheme://host[:port]` of a URL (default port left out); null while it is not a full URL yet. */
export function origemDe(url: string | null | undefined): string | null {
  if (!url?.trim()) return null;
  try {
    const origin = new URL(url.trim()).origin;
    return origin === 'null' ? null : origin;
  } catch {
    return null;
  }
}

/** The origins of these URLs, sorted, without repeats (URLs still being typed are left out). */
export function origensDe(urls: readonly (string | null | undefined)[]): string[] {
  return [...new Set(urls.map(origemDe).filter((o): o is string => o !== null))].sort();
}

/** The origins in `agora` that `antes` did not have: a stored secret would go somewhere new. */
export function origensNovas(antes: readonly string[], agora: readonly string[]): string[] {
  return agora.filter((origem) => !antes.includes(origem));
}

export const listaDeOrigens = (origens: readonly string[]) => (origens.length > 0 ? origens.join(', ') : 'nenhum endereço');
