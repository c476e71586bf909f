/**
 * How an integração's URLs are put together, with no dependencies: the server calls these, and the
 * painel's Integração screen imports the same functions to show, as the user types, the URL each
 * method will be called at and what is wrong with it.
 */

/**
 * `suffix` joined to the path of `baseUrl`, parsed rather than concatenated:
 * `https://h/op/` + `/login` is `https://h/op/login`. A query string or fragment stays after the
 * path (it never swallows the suffix); such a URL is refused at save and before every call
 * (`urlProblem`), so a row stored before that rule is reported, not called. A URL that does not
 * parse is concatenated, to be refused as "não é uma URL válida" the same way.
 */
export function joinSuffix(baseUrl: string, suffix: string): string {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    return `${baseUrl.replace(/\/+$/, '')}${suffix}`;
  }
  url.pathname = `${url.pathname.replace(/\/+$/, '')}${suffix}`;
  return url.href;
}

/** Why an operator URL may not carry what follows its path, or undefined: no query string, no fragment. */
export function queryOrFragmentProblem(raw: string): string | undefined {
  if (raw.includes('?')) return 'A URL não pode ter query string (o trecho a partir de "?"): a Ponte não envia tokens nem parâmetros na URL; use headers estáticos ou um grupo de autorização.';
  if (raw.includes('#')) return 'A URL não pode ter fragmento (o trecho a partir de "#"), que nunca chega ao servidor da operadora.';
  return undefined;
}
