import type { IncomingMessage, ServerResponse } from 'node:http';
import { callPonte, type PonteEnvelope } from './ponte-call.ts';

/**
 * The operator's sample WebView page, `GET /webview/boas-vindas`: what an operadora's own web
 * backend does when the app opens one of its funcionalidades. Ponte appends `?chavePasse=…` to the
 * funcionalidade URL; the URL the operator registered carries `instanciaApp` and
 * `chaveFuncionalidade` (the operator knows both: they are shown in the painel). The page's server
 * exchanges the key at Ponte's `/clientes/chavePasse/*` with its token do cliente — never from the
 * browser, so the token never reaches the page — and renders a greeting with what Ponte returned.
 */

/** Where Ponte is and the token do cliente (API `chavePasse`) the operator's backend calls it with. */
export type PonteLink = { url: string; token: string };

export const WEBVIEW_PATH = '/webview/boas-vindas';


type Page = { status: number; html: string };
type Familiar = { chaveUnica?: unknown; nome?: unknown; dataNascimento?: unknown; usuarioLogado?: unknown };

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

class PonteCallFailed extends Error {
  constructor(
    readonly status: number,
    readonly envelope: PonteEnvelope | undefined,
  ) {
    super(`Ponte respondeu ${status}`);
  }
}

/** One GET to Ponte's chave passe data API; the envelope's `data`, or PonteCallFailed. */
async function chavePasseData(ponte: PonteLink, endpoint: string, query: Record<string, string>): Promise<unknown> {
  const url = new URL(`/clientes/chavePasse/${endpoint}`, ponte.url);
  for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
  const { status, envelope } = await callPonte(url, { method: 'GET', token: ponte.token });
  if (status !== 200 || envelope?.status !== true) throw new PonteCallFailed(status, envelope);
  return envelope.data;
}

const STYLE = `
  :root { color-scheme: light; }
  * { box-sizing: border-box; }
  body { margin: 0; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; background: #f4f6fb; color: #1f2430; line-height: 1.45; }
  header { background: linear-gradient(135deg, #0b7285, #1c7ed6); color: #fff; padding: 20px 20px 28px; }
  header small { display: block; opacity: .85; font-size: 12px; letter-spacing: .04em; text-transform: uppercase; }
  header h1 { margin: 6px 0 0; font-size: 24px; line-height: 1.25; overflow-wrap: anywhere; }
  header p { margin: 6px 0 0; opacity: .9; font-size: 14px; }
  main { padding: 0 16px 24px; margin-top: -14px; }
  .card { background: #fff; border-radius: 12px; padding: 14px 16px; margin-bottom: 12px; box-shadow: 0 1px 3px rgba(16,24,40,.08); }
  .card h2 { margin: 0 0 8px; font-size: 13px; text-transform: uppercase; letter-spacing: .05em; color: #5c6370; }
  dl { margin: 0; display: grid; grid-template-columns: auto 1fr; gap: 4px 12px; font-size: 14px; }
  dt { color: #5c6370; } dd { margin: 0; overflow-wrap: anywhere; }
  ul { margin: 0; padding: 0; list-style: none; font-size: 14px; }
  li { padding: 6px 0; border-top: 1px solid #eef0f4; display: flex; justify-content: space-between; gap: 8px; }
  li:first-child { border-top: 0; }
  .tag { font-size: 11px; background: #e7f5ff; color: #1864ab; border-radius: 999px; padding: 1px 8px; white-space: nowrap; align-self: center; }
  pre { margin: 0; font-size: 12px; background: #f8f9fb; border-radius: 8px; padding: 8px; overflow-x: auto; }
  footer { font-size: 12px; color: #6b7280; padding: 0 20px 24px; }
  .erro header { background: linear-gradient(135deg, #c92a2a, #e8590c); }
  code { font-size: 12px; background: #eef0f4; border-radius: 4px; padding: 0 4px; }
`;

function document(title: string, body: string, error = false): string {
  return `<!doctype html>
<html lang="pt-BR"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body${error ? ' class="erro"' : ''}>${body}</body></html>`;
}

function errorPage(status: number, title: string, explanation: string, detail?: string): Page {
  const body = `<header><small>Operadora Demo · simulador</small><h1>${escapeHtml(title)}</h1></header>
<main><section class="card"><p>${escapeHtml(explanation)}</p>${detail ? `<p><small>${escapeHtml(detail)}</small></p>` : ''}</section></main>`;
  return { status, html: document(title, body, true) };
}

const firstText = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() !== '' ? value : undefined);

function greeting(usuario: { chaveUnica?: unknown; integracao?: unknown }, familia: Familiar[], chave: Record<string, unknown> | undefined): Page {
  const logado = familia.find((f) => f.usuarioLogado === true);
  const nome = firstText(logado?.nome) ?? firstText(usuario.chaveUnica) ?? 'beneficiário';
  const expiraEm = typeof chave?.expiraEm === 'number' ? chave.expiraEm : undefined;
  const minutos = expiraEm === undefined ? undefined : Math.max(0, Math.round((expiraEm - Date.now()) / 60_000));
  const funcionalidade = (chave?.funcionalidade ?? {}) as { nome?: unknown };
  const membros = familia
    .map((f) => `<li><span>${escapeHtml(f.nome)}</span>${f.usuarioLogado === true ? '<span class="tag">você</span>' : ''}</li>`)
    .join('');
  const body = `<header><small>Operadora Demo · ${escapeHtml(firstText(funcionalidade.nome) ?? 'WebView de exemplo')}</small>
<h1>Olá, ${escapeHtml(nome)}!</h1><p>Esta página é da operadora: o servidor dela trocou a chave passe pelos seus dados na Ponte.</p></header>
<main>
<section class="card"><h2>Seus dados</h2><dl>
<dt>Chave única</dt><dd>${escapeHtml(usuario.chaveUnica)}</dd>
${logado?.dataNascimento ? `<dt>Nascimento</dt><dd>${escapeHtml(logado.dataNascimento)}</dd>` : ''}
</dl></section>
<section class="card"><h2>Integração (como a operadora enviou no login)</h2><pre>${escapeHtml(JSON.stringify(usuario.integracao ?? null, null, 2))}</pre></section>
${familia.length > 0 ? `<section class="card"><h2>Grupo familiar</h2><ul>${membros}</ul></section>` : ''}
${minutos !== undefined ? `<section class="card"><h2>Chave passe</h2><p style="margin:0;font-size:14px">Vale por mais ${minutos} min e pode ser usada várias vezes até lá; o logout no app a invalida.</p></section>` : ''}
</main>
<footer>Dados de <code>GET /clientes/chavePasse/usuario</code>, <code>/grupoFamiliar</code> e <code>/chavePasse</code>, chamados pelo servidor da página com o token do cliente.</footer>`;
  return { status: 200, html: document(`Olá, ${nome}!`, body) };
}

/** The page for one request's query string. Never throws: every failure is a Portuguese page. */
export async function boasVindasPage(query: URLSearchParams, ponte: PonteLink | undefined): Promise<Page> {
  const params = { instanciaApp: query.get('instanciaApp') ?? '', chavePasse: query.get('chavePasse') ?? '', chaveFuncionalidade: query.get('chaveFuncionalidade') ?? '' };
  const missing = Object.entries(params)
    .filter(([, value]) => value.trim() === '')
    .map(([name]) => name);
  if (missing.length > 0) {
    return errorPage(
      400,
      'Abra esta página pelo app',
      'O app abre esta página com a chave passe (a Ponte acrescenta chavePasse à URL); a URL cadastrada na funcionalidade traz instanciaApp e chaveFuncionalidade.',
      `Faltou: ${missing.join(', ')}.`,
    );
  }
  if (!ponte) {
    return errorPage(
      503,
      'O simulador não sabe onde está a Ponte',
      'Esta página troca a chave passe pelos dados do usuário no servidor da Ponte. Inicie o simulador com --ponte-url e a variável PONTE_TOKEN (um token do cliente com a API chavePasse) — o npm start faz isso sozinho.',
    );
  }
  try {
    const [usuario, familia, chave] = await Promise.all([
      chavePasseData(ponte, 'usuario', params),
      chavePasseData(ponte, 'grupoFamiliar', params),
      chavePasseData(ponte, 'chavePasse', params),
    ]);
    return greeting((usuario ?? {}) as { chaveUnica?: unknown; integracao?: unknown }, Array.isArray(familia) ? (familia as Familiar[]) : [], chave as Record<string, unknown> | undefined);
  } catch (error) {
    if (!(error instanceof PonteCallFailed)) {
      return errorPage(502, 'Não foi possível falar com a Ponte', 'O servidor desta página não conseguiu consultar a Ponte agora. Tente de novo em instantes.', `Ponte em ${ponte.url}.`);
    }
    const message = firstText(error.envelope?.message);
    if (error.status === 403) {
      return errorPage(
        403,
        'Chave passe inválida ou expirada',
        'A chave passe vale poucos minutos e deixa de valer quando você sai do app. Volte ao app e abra a funcionalidade de novo.',
        message,
      );
    }
    if (error.status === 401) {
      return errorPage(502, 'A Ponte recusou o token do cliente', 'O servidor desta página não conseguiu se identificar na Ponte: o token do cliente foi revogado ou não existe. Gere outro no painel (APIs, com a API chavePasse).', message);
    }
    if (error.status === 400) {
      const campos = (error.envelope?.critical ?? []).map((c) => c.campo).filter(Boolean);
      return errorPage(400, 'Link incompleto', 'A Ponte não recebeu todos os parâmetros da chave passe.', campos.length > 0 ? `Faltou: ${campos.join(', ')}.` : message);
    }
    return errorPage(502, 'Não foi possível falar com a Ponte', `A Ponte respondeu ${error.status}. Tente de novo em instantes.`, message);
  }
}

/**
 * Serves `GET /webview/boas-vindas`. The page may be framed by the app (no X-Frame-Options); its
 * own CSP allows nothing but inline styles, it is never cached, and it sends no Referer — the
 * URL carries the chave passe.
 */
export async function serveWebview(req: IncomingMessage, res: ServerResponse, url: URL, ponte: PonteLink | undefined): Promise<void> {
  let page: Page;
  if (url.pathname !== WEBVIEW_PATH) page = errorPage(404, 'Página não encontrada', `O simulador só tem a página de exemplo ${WEBVIEW_PATH}.`);
  else if (req.method !== 'GET' && req.method !== 'HEAD') page = errorPage(405, 'Método não suportado', `Use GET em ${WEBVIEW_PATH}.`);
  else page = await boasVindasPage(url.searchParams, ponte);
  res.writeHead(page.status, {
    'content-type': 'text/html; charset=utf-8',
    'content-length': String(Buffer.byteLength(page.html)),
    'cache-control': 'no-store',
    'referrer-policy': 'no-referrer',
    'x-content-type-options': 'nosniff',
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'",
    ...(page.status === 405 ? { allow: 'GET, HEAD' } : {}),
  });
  res.end(req.method === 'HEAD' ? undefined : page.html);
}
