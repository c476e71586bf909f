import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedPeople } from '../src/simulator/seed-data.ts';
import { createOperatorSimulator, type OperatorSimulator } from '../src/simulator/simulator.ts';
import { loginAs } from './support/fixtures.ts';
import { createTestApp, type TestApp } from './support/test-app.ts';
import { launchChromium, runBrowserTests, warnIfSkipped } from './support/browser.ts';
import { loginThroughPainel, openPainelContext } from './support/painel-browser.ts';
import { field, goTo, settled, visible } from './support/painel-page.ts';

/**
 * Feedback and safety nets of the painel in a real browser (setup as in
 * painel-detalhes.browser.test.ts): the validador's running clock while the operator is slow, a
 * 413 brought into view without losing what was typed, "Usar" a form in Produção asking first
 * and "Desfazer" putting the previous form back, and the simulator's sample page getting the
 * funcionalidade's own key in its URL. Needs `npm run build:painel`.
 */

warnIfSkipped('the painel confirmations browser test');
const ROOT = fileURLToPath(new URL('..', import.meta.url));
// Small enough that one long header value is refused with 413, large enough for every other request here.
const BODY_LIMIT = 4096;

type Lista = { formularios: { id: string; nome: string; emUso: boolean }[]; finalidades: { finalidade: string; metodo: string; formularioId: string | null; usaPadrao: boolean }[] };
type Funcionalidade = { nome: string; url: string; codigo: string; chaveFuncionalidade: string };

describe.runIf(runBrowserTests)('painel confirmations in headless Chromium: validador clock, 413 in view, "Usar" in Produção with undo, sample page key', () => {
  let t: TestApp;
  let sim: OperatorSimulator;
  let browser: Browser | undefined;
  let context: BrowserContext;
  let page: Page;
  let base: string;
  let clienteId: string;
  let admin: Awaited<ReturnType<typeof loginAs>>;
  let pageErrors: string[];

  const apiUrl = (instancia: 1 | 2, path: string) => `/painel/api/clientes/${clienteId}/instancias/${instancia}/${path}`;
  async function api<T>(method: 'GET' | 'POST' | 'PUT', instancia: 1 | 2, path: string, payload?: object): Promise<T> {
    const response = await t.app.inject({ method, url: apiUrl(instancia, path), headers: admin.headers, ...(payload ? { payload } : {}) });
    expect(response.statusCode, response.body).toBeLessThan(300);
    return response.json() as T;
  }

  beforeAll(async () => {
    if (!existsSync(`${ROOT}painel/dist/index.html`)) throw new Error('painel/dist is missing: run npm run build:painel first.');
    sim = await createOperatorSimulator({ port: 0, host: '127.0.0.1' });
    t = await createTestApp({ env: { PONTE_BODY_LIMIT_BYTES: String(BODY_LIMIT) } });
    clienteId = (await t.services.clientes.create({ nome: 'Operadora Confirmações' })).id;
    admin = await loginAs(t, { platformAdmin: true });

    // The Sandbox calls the simulator (the validador's target, and the origin of the sample page).
    const grupo = await api<{ id: string }>('POST', 1, 'grupos', { nome: 'Grupo do simulador', url: `${sim.url}/autorizacao`, usuario: 'demo', senha: 'demo' });
    await api('PUT', 1, 'integracao', { baseUrl: sim.url, grupoId: grupo.id, metodos: {}, headers: [] });

    base = await t.app.listen({ port: 0, host: '127.0.0.1' });
    browser = await launchChromium();
    ({ context, page, pageErrors } = await openPainelContext(browser, base, { colorScheme: 'light', clipboard: true }));
    await loginThroughPainel(page, base, { email: admin.email, startAt: `/painel/${clienteId}/sandbox/` });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await sim?.close();
  });

  /** Whether the element's centre is on screen and not covered (by the sticky header or bar). */
  const naTela = (locator: Locator) =>
    locator.evaluate((el) => {
      const r = el.getBoundingClientRect();
      const hit = el.ownerDocument.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
      return r.top >= 0 && r.bottom <= el.ownerDocument.documentElement.clientHeight && hit !== null && el.contains(hit);
    });

  it('validador: while a slow operator answers, "Executando… N,N s" counts up, and gives way to the result', { timeout: 60_000 }, async () => {
    const ana = seedPeople[0]!;
    await page.goto(`${base}/painel/${clienteId}/sandbox/validador`);
    await visible(page.getByTestId('contrato').getByText('Contrato — Login'));
    await field(page, 'CPF ou matrícula (login)').fill(ana.cpf);
    await field(page, 'Senha (senha)').fill(ana.senha);
    // The simulator's per-request fault header, sent as a validador extra header: 4 s before it answers.
    await page.getByRole('button', { name: 'Adicionar header', exact: true }).click();
    await field(page, 'Nome do header extra 1').fill('x-sim-fault');
    await page.getByLabel('Valor do header extra 1').fill('latency:4000');
    await page.getByRole('button', { name: 'Executar', exact: true }).click();

    const decorrido = await visible(page.getByTestId('decorrido'));
    const segundos = async () => {
      const texto = (await decorrido.textContent()) ?? '';
      const numero = /^Executando… (\d+,\d) s$/.exec(texto.trim())?.[1];
      if (!numero) throw new Error(`unexpected elapsed text: "${texto}"`);
      return Number(numero.replace(',', '.'));
    };
    const primeira = await segundos();
    // Only that the shown value grows while waiting (no claim about how fast the machine is).
    await expect.poll(async () => { const agora = await segundos(); return agora >= 1 && agora > primeira; }, { timeout: 10_000 }).toBe(true);

    await page.getByTestId('decorrido').waitFor({ state: 'hidden', timeout: 30_000 });
    await visible(page.getByTestId('resultado-validador'));
    expect(await page.getByTestId('veredito').textContent()).toBe('Aprovado');
    expect(pageErrors).toEqual([]);
  });

  it('integração: a 413 after a big paste is shown in an alert scrolled into view, and the pasted value stays in the field', { timeout: 60_000 }, async () => {
    // Its own tab: the unsaved edits would hold a later navigation of the shared one (beforeunload).
    const longa = await context.newPage();
    longa.on('pageerror', (error) => pageErrors.push(`longa: ${error.message}`));
    try {
      await longa.goto(`${base}/painel/${clienteId}/sandbox/integracao`);
      const urlBase = await visible(field(longa, 'URL base'));
      await expect.poll(() => urlBase.inputValue()).toBe(sim.url);
      await longa.getByRole('button', { name: 'Adicionar header', exact: true }).click();
      await field(longa, 'Nome do header 1').fill('X-Lote');
      // Within the field's 8192 limit, beyond the server's body limit: pasted, as a user would.
      const colado = 'abcdefgh'.repeat(625);
      await longa.evaluate(`navigator.clipboard.writeText(${JSON.stringify(colado)})`);
      await field(longa, 'Valor do header 1').focus();
      await longa.keyboard.press('Control+V');
      expect(await field(longa, 'Valor do header 1').inputValue()).toBe(colado);

      // At the bottom of the long form, where the general error's place (top of the form) is off screen.
      await longa.evaluate('window.scrollTo(0, document.documentElement.scrollHeight)');
      await expect.poll(() => naTela(urlBase)).toBe(false);
      await longa.getByRole('button', { name: 'Salvar integração' }).click();

      const alerta = await visible(longa.getByRole('alert').filter({ hasText: 'A integração não foi salva' }));
      expect(await alerta.textContent()).toContain('Corpo da requisição maior que o permitido.');
      // Scrolled smoothly: wait for it to arrive.
      await expect.poll(() => naTela(alerta)).toBe(true);
      expect(await longa.getByTestId('barra-integracao').textContent()).toBe('Não foi salva: Corpo da requisição maior que o permitido.');
      expect(await field(longa, 'Nome do header 1').inputValue()).toBe('X-Lote');
      expect(await field(longa, 'Valor do header 1').inputValue()).toBe(colado);
      expect((await api<{ headers: unknown[] }>('GET', 1, 'integracao')).headers).toEqual([]);
    } finally {
      await longa.close();
    }
    expect(pageErrors).toEqual([]);
  });

  it('formulários: "Usar" in Produção asks first and changes nothing until confirmed; "Desfazer" brings the default back; Sandbox applies at once', { timeout: 90_000 }, async () => {
    const producao = await api<{ id: string }>('POST', 2, 'formularios', {
      nome: 'Login de Produção',
      finalidade: 'login',
      campos: [
        { nome: 'cpf', rotulo: 'CPF', tipo: 'cpf' },
        { nome: 'senha', rotulo: 'Senha', tipo: 'senha', min: 8 },
      ],
    });
    const estado = async (instancia: 1 | 2, id: string, finalidade: string) => {
      const lista = await api<Lista>('GET', instancia, 'formularios');
      const f = lista.finalidades.find((x) => x.finalidade === finalidade)!;
      return { emUso: lista.formularios.find((x) => x.id === id)!.emUso, formularioId: f.formularioId, usaPadrao: f.usaPadrao, metodo: f.metodo };
    };
    const antes = await estado(2, producao.id, 'login');
    expect(antes).toMatchObject({ emUso: false, formularioId: null, usaPadrao: true });

    await page.goto(`${base}/painel/${clienteId}/producao/formularios`);
    await settled(page);
    await page.getByRole('button', { name: `Usar "Login de Produção" em ${antes.metodo}` }).click();
    const dialogo = await visible(page.getByRole('dialog', { name: 'Trocar o formulário em Produção?' }));
    // Asking is all that happened: Produção still uses the default form.
    expect(await estado(2, producao.id, 'login')).toEqual(antes);
    await dialogo.getByRole('button', { name: 'Trocar em Produção' }).click();
    await dialogo.waitFor({ state: 'hidden' });
    expect(await estado(2, producao.id, 'login')).toMatchObject({ emUso: true, formularioId: producao.id, usaPadrao: false });

    const aviso = await visible(page.locator('.mantine-Notification-root').filter({ hasText: 'O app passa a usar "Login de Produção"' }));
    // The pointer over the notification holds its 10 s auto-close (Mantine), so a slow machine still finds "Desfazer".
    await aviso.hover();
    await aviso.getByRole('button', { name: 'Desfazer' }).click();
    await expect.poll(() => estado(2, producao.id, 'login')).toEqual(antes);
    await visible(page.getByRole('region', { name: antes.metodo }).getByText('O app usa o formulário padrão'));

    // Sandbox (another method, so the validador's login form stays the default): no question asked.
    const sandbox = await api<{ id: string }>('POST', 1, 'formularios', { nome: 'Troca do Sandbox', finalidade: 'trocarSenha', campos: [{ nome: 'novaSenha', rotulo: 'Nova senha', tipo: 'senha' }] });
    const metodoSandbox = (await estado(1, sandbox.id, 'trocarSenha')).metodo;
    await page.goto(`${base}/painel/${clienteId}/sandbox/formularios`);
    await settled(page);
    await page.getByRole('button', { name: `Usar "Troca do Sandbox" em ${metodoSandbox}` }).click();
    await visible(page.locator('.mantine-Notification-root').filter({ hasText: 'O app passa a usar "Troca do Sandbox"' }));
    expect(await page.getByRole('dialog').count()).toBe(0);
    expect(await estado(1, sandbox.id, 'trocarSenha')).toMatchObject({ emUso: true, formularioId: sandbox.id });
    expect(pageErrors).toEqual([]);
  });

  it('funcionalidades: the simulator sample page option saves a URL carrying the new funcionalidade\'s own chaveFuncionalidade', { timeout: 60_000 }, async () => {
    await page.goto(`${base}/painel/${clienteId}/sandbox/`);
    await goTo(page, 'Funcionalidades');
    await settled(page);
    await page.getByRole('button', { name: 'Nova funcionalidade', exact: true }).click();
    const dialogo = await visible(page.getByRole('dialog', { name: 'Nova funcionalidade' }));
    await dialogo.getByRole('button', { name: `Usar a página de exemplo do simulador (${sim.url})` }).click();
    expect(await field(dialogo, 'Nome').inputValue()).toBe('Boas-vindas');
    expect(await field(dialogo, 'URL').inputValue()).toBe(`${sim.url}/webview/boas-vindas?instanciaApp=1&chaveFuncionalidade={chaveFuncionalidade}`);
    await dialogo.getByRole('button', { name: 'Cadastrar' }).click();
    await dialogo.waitFor({ state: 'hidden' });

    // The key exists only once created: the painel saves the URL again with it, right after.
    const salva = async () => (await api<{ funcionalidades: Funcionalidade[] }>('GET', 1, 'funcionalidades')).funcionalidades.find((f) => f.nome === 'Boas-vindas');
    const urlCom = (chave: string) => `${sim.url}/webview/boas-vindas?instanciaApp=1&chaveFuncionalidade=${encodeURIComponent(chave)}`;
    await expect.poll(async () => { const f = await salva(); return f && f.url === urlCom(f.chaveFuncionalidade); }).toBe(true);
    const funcionalidade = (await salva())!;
    expect(funcionalidade.chaveFuncionalidade).not.toBe('');
    // The code in permissões stays the default (the key), not something taken from the placeholder.
    expect(funcionalidade.codigo).toBe(funcionalidade.chaveFuncionalidade);

    const linha = page.getByRole('table', { name: 'Funcionalidades' }).getByRole('row').filter({ hasText: 'Boas-vindas' });
    await expect.poll(() => linha.getByRole('link').getAttribute('href')).toBe(funcionalidade.url);
    expect(await linha.textContent()).toContain(funcionalidade.chaveFuncionalidade);

    // The page itself: only the chavePasse (added by Ponte when the app opens it) is missing.
    const pagina = await context.newPage();
    try {
      const resposta = await pagina.goto(funcionalidade.url);
      expect(resposta?.status()).toBe(400);
      expect(await pagina.locator('body').textContent()).toContain('Faltou: chavePasse.');
    } finally {
      await pagina.close();
    }
    expect(pageErrors).toEqual([]);
  });
});
