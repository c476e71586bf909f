import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/support/test-app.ts';
import { seedPeople, type SeedPerson } from './seed-data.ts';
import { createOperatorSimulator, type OperatorSimulator } from './simulator.ts';
import { escapeHtml, WEBVIEW_PATH } from './webview.ts';
import { ponteBin } from '../../test/support/ponte-bin.ts';

/**
 * The simulator's sample WebView page against a real Ponte listening on loopback: the app API logs a
 * simulator user in and opens the funcionalidade, and the page's backend exchanges the chave passe
 * at `/clientes/chavePasse/*` with a token do cliente, as an operator's server would.
 */

const actor = { userId: null, label: 'teste' };
const sistema = { plataforma: 'web', versaoApp: 'teste', dispositivo: null, idioma: 'pt-BR', geolocalizacao: null };
const [ana, carlos] = seedPeople as [SeedPerson, SeedPerson];

type Operadora = { appId: string; token: string; chaveFuncionalidade: string };

/** A cliente whose Sandbox talks to `sim`, with a funcionalidade at the sample page and a chavePasse token. */
async function operadoraFor(t: TestApp, sim: OperatorSimulator): Promise<Operadora> {
  const { services } = t;
  const cliente = await services.clientes.create({ nome: 'Operadora WebView' });
  const grupo = await services.grupos.create({ clienteId: cliente.id, instancia: 1, nome: 'Grupo', url: `${sim.url}/autorizacao`, usuario: 'demo', senha: 'demo', actor });
  await services.integracoes.save({ clienteId: cliente.id, instancia: 1, baseUrl: sim.url, grupoId: grupo.id, metodos: {}, headers: [], actor });
  const page = `${sim.url}${WEBVIEW_PATH}`;
  const created = await services.funcionalidades.create({ clienteId: cliente.id, instancia: 1, nome: 'Boas-vindas', url: page, actor });
  // The operator registers the URL with what its page needs to call Ponte back.
  await services.funcionalidades.update({
    clienteId: cliente.id,
    instancia: 1,
    id: created.id,
    nome: created.nome,
    url: `${page}?instanciaApp=1&chaveFuncionalidade=${created.chave}`,
    actor,
  });
  const { plaintext } = await services.tokens.create({ clienteId: cliente.id, apis: ['chavePasse'], descricao: 'página de exemplo', actor });
  return { appId: cliente.instancias.find((i) => i.numero === 1)!.appId, token: plaintext, chaveFuncionalidade: created.chave };
}

async function appCall(t: TestApp, op: Operadora, method: 'POST' | 'DELETE', url: string, payload?: object, session?: string) {
  const response = await t.app.inject({
    method,
    url,
    headers: { 'x-app-id': op.appId, ...(session ? { authorization: `Bearer ${session}` } : {}) },
    ...(payload ? { payload } : {}),
  });
  return response;
}

/** Logs `person` in and opens the funcionalidade: the URL the app would load in its WebView. */
async function opened(t: TestApp, op: Operadora, person: SeedPerson): Promise<{ url: string; session: string }> {
  const login = await appCall(t, op, 'POST', '/app/v1/sessoes', { campos: { login: person.cpf, senha: person.senha } });
  expect(login.statusCode, login.body).toBe(201);
  const session = login.json().token as string;
  const abrir = await appCall(t, op, 'POST', `/app/v1/funcionalidades/${op.chaveFuncionalidade}/abrir`, { sistema }, session);
  expect(abrir.statusCode, abrir.body).toBe(200);
  return { url: abrir.json().url as string, session };
}

async function get(url: string) {
  const response = await request(url);
  return { status: response.statusCode, headers: response.headers, html: await response.body.text() };
}

describe('simulator WebView page /webview/boas-vindas', () => {
  let t: TestApp;
  let ponteUrl: string;
  let sim: OperatorSimulator;
  let op: Operadora;

  beforeAll(async () => {
    t = await createTestApp();
    ponteUrl = await t.app.listen({ port: 0, host: '127.0.0.1' });
    sim = await createOperatorSimulator({ port: 0 });
    op = await operadoraFor(t, sim);
    // As in `serve --demo`: Ponte's URL and the token are known only after the simulator started.
    sim.setPonte({ url: ponteUrl, token: op.token });
  });
  afterAll(async () => {
    await sim?.close();
    await t?.close();
  });

  it('greets the logged-in user by name with the data Ponte returned, and can be framed', async () => {
    const { url } = await opened(t, op, ana);
    expect(url.startsWith(`${sim.url}${WEBVIEW_PATH}?instanciaApp=1&chaveFuncionalidade=${op.chaveFuncionalidade}&chavePasse=`)).toBe(true);

    const page = await get(url);
    expect(page.status, page.html).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.html).toContain(`<h1>Olá, ${ana.nome}!</h1>`);
    expect(page.html).toContain(ana.cpf);
    expect(page.html).toContain(escapeHtml(JSON.stringify({ codigoBeneficiario: ana.codigoBeneficiario }, null, 2)));
    // The titular's family, from /grupoFamiliar, with the logged-in person marked.
    for (const member of seedPeople.slice(0, 4)) expect(page.html).toContain(escapeHtml(member.nome));
    expect(page.html).toMatch(new RegExp(`${ana.nome}</span><span class="tag">você</span>`));
    // The token do cliente stays on the page's server.
    expect(page.html).not.toContain(op.token);
    // Frameable by the app, never cached, no Referer carrying the chave passe elsewhere.
    expect(page.headers['x-frame-options']).toBeUndefined();
    expect(page.headers['content-security-policy']).not.toContain('frame-ancestors');
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.headers['referrer-policy']).toBe('no-referrer');

    // Reusable within its validity: a second load greets again.
    expect((await get(url)).html).toContain(`<h1>Olá, ${ana.nome}!</h1>`);
  });

  it('a key Ponte refuses (unknown, or revoked by logout) gets a Portuguese error page with 403', async () => {
    const unknown = await get(`${sim.url}${WEBVIEW_PATH}?instanciaApp=1&chaveFuncionalidade=${op.chaveFuncionalidade}&chavePasse=chave-que-nao-existe`);
    expect(unknown.status).toBe(403);
    expect(unknown.html).toContain('Chave passe inválida ou expirada');
    expect(unknown.html).not.toContain('Olá,');

    const { url, session } = await opened(t, op, carlos);
    expect((await get(url)).status).toBe(200);
    const logout = await appCall(t, op, 'DELETE', '/app/v1/sessoes/atual', undefined, session);
    expect(logout.statusCode).toBe(204);
    const afterLogout = await get(url);
    expect(afterLogout.status).toBe(403);
    expect(afterLogout.html).toContain('Chave passe inválida ou expirada');
  });

  it('a link without the parameters says the page opens from the app (400), without calling Ponte', async () => {
    const page = await get(`${sim.url}${WEBVIEW_PATH}?chavePasse=abc`);
    expect(page.status).toBe(400);
    expect(page.html).toContain('Abra esta página pelo app');
    expect(page.html).toContain('instanciaApp, chaveFuncionalidade');
  });

  it('a revoked token do cliente, Ponte down, or no Ponte configured: clear pages, never a greeting', async () => {
    const { url } = await opened(t, op, ana);

    const other = await createOperatorSimulator({ port: 0 });
    try {
      other.setPonte({ url: ponteUrl, token: 'ptk_token-que-nao-existe' });
      const refused = await get(url.replace(sim.url, other.url));
      expect(refused.status).toBe(502);
      expect(refused.html).toContain('A Ponte recusou o token do cliente');

      // A port nothing listens on any more: the simulator's own, just closed.
      const closed = await createOperatorSimulator({ port: 0 });
      await closed.close();
      other.setPonte({ url: closed.url, token: op.token });
      const down = await get(url.replace(sim.url, other.url));
      expect(down.status).toBe(502);
      expect(down.html).toContain('Não foi possível falar com a Ponte');

      other.setPonte(undefined);
      const unconfigured = await get(url.replace(sim.url, other.url));
      expect(unconfigured.status).toBe(503);
      expect(unconfigured.html).toContain('PONTE_TOKEN');
      for (const page of [refused, down, unconfigured]) expect(page.html).not.toContain('Olá,');
    } finally {
      await other.close();
    }
  });

  it('`ponte operator-sim --ponte-url` with PONTE_TOKEN serves the page against that Ponte; the URL without a token is refused', { timeout: 60_000 }, async () => {
    const { url } = await opened(t, op, ana);
    const env = { ...process.env, PONTE_TOKEN: op.token };
    const child = spawn(process.execPath, [ponteBin, '--json', 'operator-sim', '--port', '0', '--ponte-url', ponteUrl], { cwd: process.cwd(), env, stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    try {
      const firstLine = (await createInterface({ input: child.stdout! })[Symbol.asyncIterator]().next()).value as string;
      const started = JSON.parse(firstLine) as { url: string; webview: { url: string; ponteUrl: string } };
      expect(started.webview).toEqual({ url: `${started.url}${WEBVIEW_PATH}`, ponteUrl });
      expect(firstLine).not.toContain(op.token);
      const page = await get(url.replace(sim.url, started.url));
      expect(page.status, page.html).toBe(200);
      expect(page.html).toContain(`<h1>Olá, ${ana.nome}!</h1>`);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);

    const { PONTE_TOKEN: _none, ...withoutToken } = env;
    const refused = spawn(process.execPath, [ponteBin, 'operator-sim', '--port', '0', '--ponte-url', ponteUrl], { cwd: process.cwd(), env: withoutToken, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    refused.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    expect(await new Promise<number | null>((resolve) => refused.on('exit', resolve))).toBe(1);
    expect(stderr).toContain('PONTE_TOKEN');
  });

  it('other paths under /webview/ are an HTML 404', async () => {
    const page = await get(`${sim.url}/webview/outra`);
    expect(page.status).toBe(404);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
  });
});

describe('simulator WebView page: HTML escaping', () => {
  let t: TestApp;
  let sim: OperatorSimulator;
  let op: Operadora;

  beforeAll(async () => {
    t = await createTestApp();
    const ponteUrl = await t.app.listen({ port: 0, host: '127.0.0.1' });
    sim = await createOperatorSimulator({ port: 0, people: [{ ...ana, nome: `<script>alert("x")</script> & Zé D'Ávila` }] });
    op = await operadoraFor(t, sim);
    sim.setPonte({ url: ponteUrl, token: op.token });
  });
  afterAll(async () => {
    await sim?.close();
    await t?.close();
  });

  it('escapes what Ponte returned: a name with markup is text, never markup', async () => {
    const { url } = await opened(t, op, ana);
    const page = await get(url);
    expect(page.status, page.html).toBe(200);
    expect(page.html).toContain('<h1>Olá, &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Zé D&#39;Ávila!</h1>');
    expect(page.html).not.toContain('<script>');
    expect(page.html).not.toContain('alert("x")');
  });

  it('escapeHtml covers the five characters that matter', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
    expect(escapeHtml(undefined)).toBe('');
  });
});
