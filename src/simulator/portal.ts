import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { describeSeedUsers, seedPeople, type SeedPerson } from './seed-data.ts';
import { escapeHtml } from './webview.ts';
import { listen } from './listen.ts';
import { callPonte } from './ponte-call.ts';

/**
 * The operator's "portal do beneficiário": a tiny site, on an origin of its own, that embeds a
 * Ponte funcionalidade the way an operadora's web team would (platform reference §3.3 and §3.6).
 * The person says who they are (a real portal has logged them in with its own login; here they
 * pick a seeded person); the portal's **backend** calls chaveAuth with its token do cliente (API
 * `seguranca`) — never the browser, which never sees that token — and hands the page the
 * person's session token; the page loads Ponte's `/sdk/v1/embed.js` and calls `ponte.embed`.
 * Ponte frames the funcionalidade only because this origin is in Segurança → Origens (the demo
 * seed registers it).
 *
 * - `GET  /`          the form
 * - `POST /entrar`    chaveAuth, then the page with the funcionalidade embedded — or the form
 *                     again with Ponte's refusal in Portuguese
 * - `GET  /portal.js` the page's script (no inline script: the CSP takes scripts only from here and Ponte)
 */

/** What the portal's backend needs from Ponte; `setPonte` sets it once Ponte and the demo seed are up. */
export type PortalLink = {
  /** Ponte's address, for the portal's backend and for the browser (`embed.js`). */
  url: string;
  /** Token do cliente with the `seguranca` API. */
  token: string;
  chaveFuncionalidade: string;
  instanciaApp: 1 | 2;
  /** Origin of the funcionalidade's own page, where Ponte's frame navigates (the CSP's `frame-src`). */
  funcionalidadeOrigin: string;
};

export type BeneficiaryPortalOptions = {
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  people?: readonly SeedPerson[];
  ponte?: PortalLink;
};

export type BeneficiaryPortal = Awaited<ReturnType<typeof createBeneficiaryPortal>>;

/** Ponte's chaveAuth (the platform's documented path). */
const CHAVE_AUTH_PATH = '/clientes/utilitarios/seguranca/chaveAuth';
const MAX_FORM_BYTES = 8 * 1024;
/** Ponte's own limit for a chave única. */
const MAX_CHAVE_UNICA = 200;

type Page = { status: number; html: string; csp: string; headers?: Record<string, string> };
/** What chaveAuth answered: a session token, or why not (`status` 0: Ponte did not answer). */
type ChaveAuthResult = { ok: true; token: string } | { ok: false; status: number; message: string | undefined };

/** The form pages load nothing from anywhere. */
const FORM_CSP = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/**
 * The embedding page: scripts from here and Ponte, Ponte's permission check, and frames of Ponte
 * and of the funcionalidade — the browser checks this page's `frame-src` again when Ponte's frame
 * navigates to the funcionalidade's URL.
 */
function embedCsp(link: PortalLink): string {
  const ponte = new URL(link.url).origin;
  const frames = [...new Set([ponte, link.funcionalidadeOrigin])].join(' ');
  return `default-src 'none'; script-src 'self' ${ponte}; connect-src ${ponte}; frame-src ${frames}; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'`;
}

const formatCpf = (cpf: string) => (/^\d{11}$/.test(cpf) ? `${cpf.slice(0, 3)}.${cpf.slice(3, 6)}.${cpf.slice(6, 9)}-${cpf.slice(9)}` : cpf);

/** POST chaveAuth from the backend. Never throws: a Ponte that does not answer is `status` 0. */
async function chaveAuth(link: PortalLink, chaveUnica: string): Promise<ChaveAuthResult> {
  const url = new URL(CHAVE_AUTH_PATH, link.url);
  url.searchParams.set('instanciaApp', String(link.instanciaApp));
  try {
    const { status, envelope } = await callPonte(url, { method: 'POST', token: link.token, body: { chaveUnica } });
    const token = (envelope?.data as { token?: unknown } | undefined)?.token;
    if (status === 200 && envelope?.status === true && typeof token === 'string') return { ok: true, token };
    return { ok: false, status, message: typeof envelope?.message === 'string' ? envelope.message : undefined };
  } catch {
    return { ok: false, status: 0, message: undefined };
  }
}

/** A refusal as the person reads it: a title, what to do, and Ponte's own message. */
function refusal(result: Extract<ChaveAuthResult, { ok: false }>, link: PortalLink): { status: number; titulo: string; texto: string; detalhe?: string | undefined } {
  const detalhe = result.message;
  switch (result.status) {
    case 422:
      // Elegibilidade inactive in the instância, or the operator does not know the person: Ponte's message says which.
      return { status: 422, titulo: 'A Ponte não autenticou este beneficiário', texto: detalhe ?? 'A elegibilidade recusou a chave única informada.' };
    case 429:
      return { status: 429, titulo: 'Muitas tentativas', texto: detalhe ?? 'Espere um pouco e tente de novo.' };
    case 400:
      return { status: 400, titulo: 'Informe o CPF', texto: detalhe ?? 'A Ponte não recebeu a chave única.' };
    case 401:
      return {
        status: 502,
        titulo: 'O portal não conseguiu se identificar na Ponte',
        texto: 'O token do cliente do portal foi revogado ou não existe. Reinicie a demo (ela cria outro) ou gere um no painel, em APIs, com a API seguranca.',
        detalhe,
      };
    case 403:
      return { status: 502, titulo: 'O token do portal não tem a API seguranca', texto: 'O chaveAuth exige um token do cliente com a API seguranca: gere um no painel, em APIs.', detalhe };
    case 0:
      return { status: 502, titulo: 'Não foi possível falar com a Ponte', texto: `O servidor do portal não conseguiu chamar a Ponte em ${link.url}. Verifique se ela está no ar e tente de novo.` };
    default:
      return { status: 502, titulo: 'Não foi possível falar com a Ponte', texto: `A Ponte respondeu ${result.status}. Tente de novo em instantes.`, detalhe };
  }
}

const STYLE = `
  * { box-sizing: border-box; }
  body { margin: 0; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; background: #f3f5f9; color: #1f2430; line-height: 1.45; }
  .topo { background: #0b5d3b; color: #fff; padding: 14px 24px; display: flex; align-items: center; justify-content: space-between; gap: 12px; flex-wrap: wrap; }
  .marca { font-weight: 700; font-size: 18px; } .marca small { font-weight: 400; opacity: .85; margin-left: 8px; font-size: 14px; }
  .topo a { color: #fff; font-size: 14px; }
  main { max-width: 760px; margin: 24px auto; padding: 0 16px; }
  .card { background: #fff; border-radius: 12px; padding: 20px; box-shadow: 0 1px 3px rgba(16,24,40,.1); margin-bottom: 16px; }
  h1 { margin: 0 0 8px; font-size: 22px; } p { margin: 0 0 12px; }
  label { display: block; font-weight: 600; margin: 12px 0 4px; font-size: 14px; }
  select, input { width: 100%; padding: 10px; font-size: 15px; border: 1px solid #c6ccd8; border-radius: 8px; background: #fff; }
  button { margin-top: 16px; background: #0b5d3b; color: #fff; border: 0; border-radius: 8px; padding: 10px 20px; font-size: 15px; cursor: pointer; }
  .erro { background: #fff4f4; border: 1px solid #f1b5b5; color: #8a1c1c; border-radius: 8px; padding: 12px; margin-bottom: 12px; }
  .erro strong { display: block; margin-bottom: 4px; } .erro small { display: block; margin-top: 6px; overflow-wrap: anywhere; }
  .nota { font-size: 13px; color: #5c6370; }
  #funcionalidade { min-height: 560px; border: 1px solid #e3e7ee; border-radius: 8px; overflow: hidden; }
  footer { text-align: center; font-size: 12px; color: #6b7280; padding-bottom: 24px; }
`;

function documentOf(title: string, topo: string, main: string, scripts = ''): string {
  return `<!doctype html>
<html lang="pt-BR"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body><header class="topo"><div class="marca">Operadora Demo<small>Portal do beneficiário</small></div>${topo}</header>
<main>${main}</main>
<footer>Site de exemplo da operadora, servido pelo simulador da Ponte.</footer>${scripts}</body></html>`;
}

function formPage(people: readonly SeedPerson[], input: { escolhido?: string; outro?: string; erro?: ReturnType<typeof refusal> } = {}): Page {
  const options = describeSeedUsers(people)
    .map((p) => `<option value="${escapeHtml(p.cpf)}"${p.cpf === input.escolhido ? ' selected' : ''}>${escapeHtml(p.nome)} — CPF ${escapeHtml(formatCpf(p.cpf))} · ${escapeHtml(p.perfil)}</option>`)
    .join('');
  const erro = input.erro
    ? `<div class="erro" role="alert" data-portal-erro><strong>${escapeHtml(input.erro.titulo)}</strong>${escapeHtml(input.erro.texto)}${input.erro.detalhe ? `<small>Resposta da Ponte: ${escapeHtml(input.erro.detalhe)}</small>` : ''}</div>`
    : '';
  const main = `<section class="card"><h1>Entrar no portal</h1>
<p>Num portal de verdade você já teria entrado com o login da operadora. Nesta demonstração, escolha quem é você: o servidor do portal pede à Ponte uma sessão para essa pessoa (chaveAuth, com o token do cliente do portal) e a página embute a funcionalidade Boas-vindas com o SDK da Ponte.</p>
${erro}<form method="post" action="/entrar">
<label for="cpf">Beneficiário</label><select id="cpf" name="cpf">${options}</select>
<label for="outro">ou digite outro CPF</label><input id="outro" name="outro" inputmode="numeric" autocomplete="off" maxlength="${MAX_CHAVE_UNICA}" placeholder="000.000.000-00" value="${escapeHtml(input.outro ?? '')}">
<button type="submit">Entrar</button></form></section>`;
  return { status: input.erro?.status ?? 200, html: documentOf('Portal do beneficiário — Operadora Demo', '', main), csp: FORM_CSP };
}

function embedPage(link: PortalLink, chaveUnica: string, token: string): Page {
  const main = `<section class="card"><h1>Boas-vindas</h1>
<p class="nota">Esta funcionalidade vem da Ponte, embutida nesta página: o servidor do portal abriu uma sessão pelo chaveAuth e o SDK (<code>${escapeHtml(link.url)}/sdk/v1/embed.js</code>) a mostra aqui, para a pessoa dessa sessão.</p>
<div id="funcionalidade" aria-live="polite" data-chave="${escapeHtml(link.chaveFuncionalidade)}" data-instancia="${link.instanciaApp}" data-token="${escapeHtml(token)}">Carregando a funcionalidade…</div>
<p id="aviso" class="erro" role="alert" hidden></p></section>`;
  const topo = `<div>CPF ${escapeHtml(formatCpf(chaveUnica))} · <a href="/">Trocar de beneficiário</a></div>`;
  const scripts = `<script src="${escapeHtml(link.url)}/sdk/v1/embed.js"></script><script src="/portal.js"></script>`;
  return { status: 200, html: documentOf('Boas-vindas — Portal do beneficiário', topo, main, scripts), csp: embedCsp(link) };
}

function messagePage(status: number, titulo: string, texto: string, headers?: Record<string, string>): Page {
  const main = `<section class="card"><div class="erro" role="alert" data-portal-erro><strong>${escapeHtml(titulo)}</strong>${escapeHtml(texto)}</div><p><a href="/">Voltar ao início</a></p></section>`;
  return { status, html: documentOf(titulo, '', main), csp: FORM_CSP, ...(headers ? { headers } : {}) };
}

/** The page's script: embeds the funcionalidade with the token the backend got, then drops it from the DOM. */
export const PORTAL_JS = `(function () {
  'use strict';
  var alvo = document.getElementById('funcionalidade');
  var aviso = document.getElementById('aviso');
  var avisar = function (texto) {
    document.body.setAttribute('data-erro', '1');
    aviso.hidden = false;
    aviso.textContent = texto;
  };
  if (!alvo) return;
  var token = alvo.getAttribute('data-token');
  alvo.removeAttribute('data-token');
  if (!window.ponte || typeof window.ponte.embed !== 'function') {
    alvo.textContent = '';
    avisar('Não foi possível carregar o SDK da Ponte (embed.js). Verifique se a Ponte está no ar e recarregue a página.');
    return;
  }
  window.ponte.embed({
    elemento: alvo,
    chaveFuncionalidade: alvo.getAttribute('data-chave'),
    instanciaApp: Number(alvo.getAttribute('data-instancia')),
    token: token,
    titulo: 'Boas-vindas',
    altura: '560px',
    aoErro: function () {
      avisar('A Ponte não abriu a funcionalidade aqui (motivo acima). Se ela fala da origem, cadastre ' + location.origin + ' no painel, em Segurança → Origens; se fala da sessão, volte ao início e entre de novo.');
    },
  });
})();
`;

/** Reads a small urlencoded form; undefined when it is larger than the portal accepts. */
async function readForm(req: IncomingMessage): Promise<URLSearchParams | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= MAX_FORM_BYTES) chunks.push(chunk);
  }
  return size > MAX_FORM_BYTES ? undefined : new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

/** Starts the portal. Until `setPonte`, a login answers that the portal does not know where Ponte is. */
export async function createBeneficiaryPortal(options: BeneficiaryPortalOptions = {}) {
  const people = options.people ?? seedPeople;
  let ponte = options.ponte;

  async function entrar(req: IncomingMessage): Promise<Page> {
    const form = await readForm(req);
    if (!form) return messagePage(413, 'Formulário grande demais', 'Envie só o CPF.');
    const escolhido = (form.get('cpf') ?? '').trim();
    const outro = (form.get('outro') ?? '').trim();
    // As the operator knows it: a CPF typed with punctuation is the same chave única.
    const chaveUnica = (outro || escolhido).replace(/[.\-\s]/g, '');
    const again = (erro: ReturnType<typeof refusal>) => formPage(people, { escolhido, outro, erro });
    if (chaveUnica === '') return again({ status: 400, titulo: 'Informe o CPF', texto: 'Escolha um beneficiário na lista ou digite um CPF.' });
    if (chaveUnica.length > MAX_CHAVE_UNICA) return again({ status: 400, titulo: 'CPF longo demais', texto: `A chave única tem no máximo ${MAX_CHAVE_UNICA} caracteres.` });
    if (!ponte) {
      return again({
        status: 503,
        titulo: 'O portal não sabe onde está a Ponte',
        texto: 'O portal chama o chaveAuth da Ponte com um token do cliente (API seguranca); o npm start o configura sozinho.',
      });
    }
    const result = await chaveAuth(ponte, chaveUnica);
    return result.ok ? embedPage(ponte, chaveUnica, result.token) : again(refusal(result, ponte));
  }

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://portal').pathname;
    const method = req.method ?? 'GET';
    const read = method === 'GET' || method === 'HEAD';
    if (path === '/portal.js' && read) {
      res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-cache', 'x-content-type-options': 'nosniff' });
      res.end(method === 'HEAD' ? undefined : PORTAL_JS);
      return;
    }
    let page: Page;
    if (path === '/' && read) page = formPage(people);
    else if (path === '/entrar' && method === 'POST') page = await entrar(req);
    // A reload of the result page, or a bookmark: back to the form.
    else if (path === '/entrar' && read) page = messagePage(303, 'Entre pelo formulário', 'Escolha o beneficiário no início.', { location: '/' });
    else if (path === '/' || path === '/entrar' || path === '/portal.js') page = messagePage(405, 'Método não suportado', `${method} não é aceito em ${path}.`, { allow: path === '/entrar' ? 'POST' : 'GET, HEAD' });
    else page = messagePage(404, 'Página não encontrada', 'Este portal só tem a página inicial.');
    res.writeHead(page.status, {
      'content-type': 'text/html; charset=utf-8',
      'content-length': String(Buffer.byteLength(page.html)),
      // The result page carries the person's session token: never cached, never sent as a Referer.
      'cache-control': 'no-store',
      'referrer-policy': 'no-referrer',
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      'content-security-policy': page.csp,
      ...page.headers,
    });
    res.end(method === 'HEAD' ? undefined : page.html);
  }

  const server = createServer((req, res) => {
    void route(req, res).catch(() => {
      if (res.headersSent) return void res.destroy();
      const page = messagePage(500, 'Falha inesperada no portal', 'Tente de novo.');
      res.writeHead(500, { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': page.csp });
      res.end(page.html);
    });
  });
  const bound = await listen(server, options);

  return {
    /** No trailing slash; its origin is what Segurança → Origens must list. */
    url: bound.url,
    port: bound.port,
    /** Points the portal at Ponte (or, with undefined, makes a login say it does not know where Ponte is). */
    setPonte(link: PortalLink | undefined): void {
      ponte = link;
    },
    async close(): Promise<void> {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
