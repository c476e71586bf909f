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
 * Funcionalidades embedded in the operator's own site (issue 15), as headless Chromium sees them:
 * a portal page on a registered origin loads `/sdk/v1/embed.js` and calls `ponte.embed` with a
 * chaveAuth token; the funcionalidade page (its own origin) receives `?chavePasse=…` in the iframe
 * and exchanges it at the data API for the person's data. The same portal on an unregistered
 * origin gets a clear message and the funcionalidade page is never loaded, even when the page
 * frames Ponte's frame page directly (frame-ancestors).
 */

warnIfSkipped('the embed browser test');
const ana = seedPeople[0]!;

type Served = { origin: string; hits: string[]; close: () => Promise<void> };

async function serve(html: (path: string) => string): Promise<Served> {
  const hits: string[] = [];
  const server: Server = createServer((req, res) => {
    hits.push(req.url ?? '/');
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(html(req.url ?? '/'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    hits,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

describe.runIf(runBrowserTests)('embedded funcionalidade in headless Chromium', () => {
  let t: TestApp;
  let sim: OperatorSimulator;
  let browser: Browser | undefined;
  let ponte = '';
  let chaveFuncionalidade = '';
  let dataToken = '';
  let segurancaToken = '';
  let funcionalidade: Served;
  let registered: Served;
  let unregistered: Served;

  /** The operator's funcionalidade page: exchanges its chavePasse at Ponte and writes the answer in the DOM. */
  const funcionalidadePage = () => `<!doctype html><html><head><meta charset="utf-8"><title>Boas-vindas</title></head>
<body><pre id="resultado">carregando</pre><script>
const query = new URLSearchParams({ instanciaApp: '1', chavePasse: new URLSearchParams(location.search).get('chavePasse') || '', chaveFuncionalidade: ${JSON.stringify(chaveFuncionalidade)} });
fetch(${JSON.stringify(ponte)} + '/clientes/chavePasse/usuario?' + query, { headers: { Authorization: ${JSON.stringify(dataToken)} } })
  .then((r) => r.json().then((body) => ({ status: r.status, body })))
  .catch((e) => ({ error: String(e) }))
  .then((result) => { document.getElementById('resultado').textContent = JSON.stringify(result); document.body.dataset.pronto = '1'; });
</script></body></html>`;

  /** The operator's portal: the token comes from its backend (here, the query string the test builds). */
  const portalPage = (path: string) => {
    const token = new URL(path, 'http://x').searchParams.get('token');
    return `<!doctype html><html><head><meta charset="utf-8"><title>Portal</title></head>
<body><div id="alvo"></div><script src="${ponte}/sdk/v1/embed.js"></script><script>
ponte.embed({ elemento: 'alvo', chaveFuncionalidade: ${JSON.stringify(chaveFuncionalidade)}, instanciaApp: 1, token: ${JSON.stringify(token)},
  aoErro: () => { document.body.dataset.erro = '1'; } });
</script>
${path.includes('direto=1') ? `<iframe id="direto" src="${ponte}/sdk/v1/frame?chaveFuncionalidade=${chaveFuncionalidade}&instanciaApp=1"></iframe>` : ''}
</body></html>`;
  };

  beforeAll(async () => {
    funcionalidade = await serve(() => funcionalidadePage());
    registered = await serve(portalPage);
    unregistered = await serve(portalPage);
    sim = await createOperatorSimulator({ port: 0 });
    t = await createTestApp();
    ponte = await t.app.listen({ port: 0, host: '127.0.0.1' });
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
    await inject('PUT', `${base}/integracao/elegibilidade`, { ativa: true, reloginHoras: null, chaveUnicaTeste: ana.cpf }, 200);
    chaveFuncionalidade = (await inject('POST', `${base}/funcionalidades`, { nome: 'Boas-vindas', url: `${funcionalidade.origin}/boas-vindas?instanciaApp=1` }, 201)).chaveFuncionalidade;
    await inject('POST', `/painel/api/clientes/${cliente.id}/origens`, { origem: registered.origin }, 201);
    await inject('POST', `/painel/api/clientes/${cliente.id}/origens`, { origem: funcionalidade.origin }, 201);
    const dados = await createClientToken(t, cliente.id, ['chavePasse']);
    dataToken = (await t.app.inject({ method: 'POST', url: '/clientes/auth/temp-authorization', headers: { authorization: dados.plaintext } })).json().data.token;
    segurancaToken = (await createClientToken(t, cliente.id, ['seguranca'])).plaintext;
    if (hasChromium) browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    for (const s of [funcionalidade, registered, unregistered]) await s?.close();
    await sim?.close();
    await t?.close();
  });

  it(`has Chromium at ${CHROMIUM}`, () => {
    expect(hasChromium, `${CHROMIUM} is missing: CI must install Debian's chromium`).toBe(true);
  });

  const chaveAuthToken = async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/clientes/utilitarios/seguranca/chaveAuth?instanciaApp=1',
      headers: { authorization: segurancaToken, 'content-type': 'application/json' },
      payload: { chaveUnica: ana.cpf },
    });
    expect(response.statusCode, response.body).toBe(200);
    return response.json().data.token as string;
  };

  it('from a registered origin: the funcionalidade opens in the iframe with its chavePasse and gets the person of the chaveAuth token', async () => {
    const page = await browser!.newPage();
    try {
      await page.goto(`${registered.origin}/portal?token=${encodeURIComponent(await chaveAuthToken())}`);
      const frame = await (await page.waitForSelector('#alvo iframe', { timeout: 15_000 })).contentFrame();
      await frame!.waitForSelector('body[data-pronto="1"]', { timeout: 15_000 });
      expect(new URL(frame!.url()).origin).toBe(funcionalidade.origin);
      expect(new URL(frame!.url()).searchParams.get('chavePasse')).toMatch(/^[A-Za-z0-9_-]{43}$/);
      const result = JSON.parse((await frame!.textContent('#resultado')) ?? 'null');
      expect(result.status).toBe(200);
      expect(result.body.data.chaveUnica).toBe(ana.cpf);
    } finally {
      await page.close();
    }
  });

  it('from an unregistered origin: a clear message, and the funcionalidade never loads, not even by framing Ponte directly', async () => {
    const before = funcionalidade.hits.length;
    const page = await browser!.newPage();
    try {
      await page.goto(`${unregistered.origin}/portal?direto=1&token=${encodeURIComponent(await chaveAuthToken())}`);
      await page.waitForSelector('body[data-erro="1"]', { timeout: 15_000 });
      expect(await page.textContent('[data-ponte-erro]')).toContain(`A origem ${unregistered.origin} não está autorizada`);
      expect(await page.$('#alvo iframe')).toBeNull();
      // The direct frame is refused by frame-ancestors: its document is never Ponte's frame page.
      const direto = await (await page.$('#direto'))!.contentFrame();
      await page.waitForLoadState('load');
      const status = await direto!.$('#status').catch(() => null);
      expect(status).toBeNull();
      expect(funcionalidade.hits.length).toBe(before);
    } finally {
      await page.close();
    }
  });

  it('frame-ancestors names exactly the registered origins', async () => {
    const response = await fetch(`${ponte}/sdk/v1/frame?chaveFuncionalidade=${chaveFuncionalidade}&instanciaApp=1`);
    const csp = response.headers.get('content-security-policy') ?? '';
    const ancestors = csp.split(';').map((d) => d.trim()).find((d) => d.startsWith('frame-ancestors'));
    expect(ancestors?.split(/\s+/).slice(1).sort()).toEqual([funcionalidade.origin, registered.origin].sort());
  });
});
