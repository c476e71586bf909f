/**
 * The URL rule of a funcionalidade, with no dependencies: the service enforces it on save and the
 * painel's form imports this same function to say what is wrong as the user types.
 */
/** Why a funcionalidade URL may not be saved for `instancia`, or undefined. Produção requires https. */
export function funcionalidadeUrlProblem(raw: string, instancia: 1 | 2): string | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'Informe uma URL completa, como https://exemplo.com.br/pagina.';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'A URL deve começar com https://.';
  if (instancia === 2 && url.protocol !== 'https:') return 'Em Produção a URL da funcionalidade deve usar https://.';
  if (url.username || url.password) return 'A URL não pode conter usuário ou senha.';
  if (url.searchParams.has('chavePasse')) return 'A URL não pode trazer o parâmetro chavePasse: a Ponte o acrescenta ao abrir.';
  return undefined;
}
