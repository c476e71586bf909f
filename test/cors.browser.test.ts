import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedPeople } from '../src/simulator/seed-data.ts';
import { createOperatorSimulator, type OperatorSimulator } from '../src/simulator/simulator.ts';
import { createClientToken, createCliente, loginAs } from './support/fixtures.ts';
import { createTestApp, type TestApp } from './support/test-app.ts';
import { CHROMIUM, hasChromium, launchChromium, runBrowserTests, warnIfSkipped } from './support/browser.ts';

/**
 * CORS for the chave passe data API as a real browser sees it: a funcionalidade page served from
 * one loopback origin (registered by the cliente) and the same page from another (not registered)
 * call a real Ponte HTTP server with `fetch` and an `Authorization` header, in headless Chromium.
 * Chromium comes from the system (Debian's `chromium`); CI installs it (.ci/run).
 */

warnIfSkipped('the CORS browser test');

const ana = seedPeople[0]!;

/** What the page needs besides its own query string (where Ponte put the chavePasse). */
type PageConfig = { ponte: string; token: string; chaveFuncionalidade: string };

/** The operator's page: reads chavePasse from its URL, calls Ponte, writes what happened into the DOM. */
function pageHtml(config: PageConfig): string {
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>Funcionalidade</title></head>
<body><pre id="resultado">carregando</pre>
<script>
const config = ${JSON.stringify(config)};
const query = new URLSearchParams({ instanciaApp: '1', chavePasse: new URLSearchParams(location.search).get('chavePasse') || '', chaveFuncionalidade: config.chaveFuncionalidade });
fetch(config.ponte + '/clientes/chavePasse/usuario?' + query, { headers: { Authorization: config.token } })
  .then((response) => response.json().then((body) => ({ ok: true, status: response.status, body })))
  .catch((error) => ({ ok: false, error: String(error) }))
  .then((result) => {
    document.getElementById('resultado').textContent = JSON.stringify(result);
    document.body.dataset.pronto = '1';
  });
</script></body></html>`;
}

async function pageServer(config: () => PageConfig): Promise<{ origin: string; close: () => Promise<void> }> {
  const server: Server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(pageHtml(config()));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

describe.runIf(runBrowserTests)('CORS of the chave passe data API in headless Chromium', () => {
  let t: TestApp;
  let sim: OperatorSimulator;
  let browser: Browser | undefined;
  let config: PageConfig;
  let registered: Awaited<ReturnType<typeof pageServer>>;
  let unregistered: Awaited<ReturnType<typeof pageServer>>;
  /** The funcionalidade URL Ponte returned, with its chavePasse, but on `origin`. */
  let openedPath: string;

  beforeAll(async () => {
    registered = await pageServer(() => config);
    unregistered = await pageServer(() => config);
    sim = await createOperatorSimulator({ port: 0 });
    t = await createTestApp();
    const ponte = await t.app.listen({ port: 0, host: '127.0.0.1' });

    const cliente = await createCliente(t);
    const painel = (await loginAs(t, { clienteId: cliente.id, role: 'admin' })).headers;
    const base = `/painel/api/clientes/${cliente.id}/instancias/1`;
    const inject = async (method: 'POST' | 'PUT', url: string, payload: object, status: number) => {
      const response = await t.app.inject({ method, url, headers: painel, payload });
      expect(response.statusCode, response.body).toBe(status);
      return response.json();
    };
    const grupo = await inject('POST', `${base}/grupos`, { nome: 'Grupo', url: `${sim.url}/autorizacao`, usuario: 'demo', senha: 'demo' }, 201);
    await inject('PUT', `${base}/integracao`, { baseUrl: sim.url, grupoId: grupo.id, metodos: {}, headers: [] }, 200);
    const funcionalidade = await inject('POST', `${base}/funcionalidades`, { nome: 'Carteirinha', url: `${registered.origin}/carteirinha?tema=azul` }, 201);
    await inject('POST', `/painel/api/clientes/${cliente.id}/origens`, { origem: registered.origin }, 201);

    const appId = cliente.instancias.find((i) => i.numero === 1)!.appId;
    const login = await t.app.inject({ method: 'POST', url: '/app/v1/sessoes', headers: { 'x-app-id': appId }, payload: { campos: { login: ana.cpf, senha: ana.senha } } });
    expect(login.statusCode, login.body).toBe(201);
    const opened = await t.app.inject({
      method: 'POST',
      url: `/app/v1/funcionalidades/${funcionalidade.chaveFuncionalidade}/abrir`,
      headers: { 'x-app-id': appId, authorization: `Bearer ${login.json().token}` },
      payload: { sistema: { plataforma: 'android', versaoApp: '1.0.0' } },
    });
    expect(opened.statusCode, opened.body).toBe(200);
    const url = new URL(opened.json().url);
    expect(url.origin).toBe(registered.origin);
    openedPath = `${url.pathname}${url.search}`;

    // The page holds a temp token, as an operator's page should (never the token do cliente itself).
    const { plaintext } = await createClientToken(t, cliente.id, ['chavePasse']);
    const temp = await t.app.inject({ method: 'POST', url: '/clientes/auth/temp-authorization', headers: { authorization: plaintext } });
    config = { ponte, token: temp.json().data.token, chaveFuncionalidade: funcionalidade.chaveFuncionalidade };

    if (hasChromium) {
      browser = await launchChromium();
    }
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await registered?.close();
    await unregistered?.close();
    await sim?.close();
    await t?.close();
  });

  it(`has Chromium at ${CHROMIUM}`, () => {
    expect(hasChromium, `${CHROMIUM} is missing: CI must install Debian's chromium`).toBe(true);
  });

  /** Loads the funcionalidade page from `origin` and returns what its fetch produced. */
  async function runPage(origin: string, path = openedPath): Promise<{ ok: boolean; status?: number; body?: Record<string, unknown>; error?: string }> {
    const page = await browser!.newPage();
    try {
      await page.goto(`${origin}${path}`);
      await page.waitForSelector('body[data-pronto="1"]', { timeout: 15_000 });
      return JSON.parse((await page.textContent('#resultado')) ?? 'null');
    } finally {
      await page.close();
    }
  }

  it('the registered origin’s page gets the logged-in user’s data', async () => {
    const result = await runPage(registered.origin);
    expect(result).toEqual({
      ok: true,
      status: 200,
      body: {
        status: true,
        data: { chaveUnica: ana.cpf, integracao: { codigoBeneficiario: ana.codigoBeneficiario } },
        message: 'Dados carregados com sucesso.',
        critical: [],
        statusCode: 200,
        timestamp: expect.any(Number),
      },
    });
  });

  it('the same page from an unregistered origin gets a CORS failure: fetch rejects', async () => {
    const result = await runPage(unregistered.origin);
    expect(result).toEqual({ ok: false, error: expect.stringMatching(/TypeError/) });
    // Ponte is fine and the key still answers: the browser refused, not the server.
    expect((await runPage(registered.origin)).status).toBe(200);
  });

  it('the registered origin’s page can read a refusal too: the 403 envelope, not a CORS failure', async () => {
    const result = await runPage(registered.origin, '/carteirinha?tema=azul&chavePasse=chave-invalida');
    expect(result).toEqual({ ok: true, status: 403, body: expect.objectContaining({ status: false, data: [], statusCode: 403 }) });
  });

  it('the preflight allows Authorization for the registered origin only', async () => {
    const preflight = (origin: string) =>
      t.app.inject({
        method: 'OPTIONS',
        url: '/clientes/chavePasse/usuario?instanciaApp=1',
        headers: { origin, 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' },
      });
    const allowed = await preflight(registered.origin);
    expect(allowed.statusCode).toBeLessThan(300);
    expect(allowed.headers['access-control-allow-origin']).toBe(registered.origin);
    expect(String(allowed.headers['access-control-allow-headers']).toLowerCase().split(/\s*,\s*/)).toContain('authorization');
    expect(String(allowed.headers['access-control-allow-methods'])).toContain('GET');

    const refused = await preflight(unregistered.origin);
    expect(refused.headers['access-control-allow-origin']).toBeUndefined();
  });
});
