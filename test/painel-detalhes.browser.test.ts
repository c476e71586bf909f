import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedPeople } from '../src/simulator/seed-data.ts';
import { createOperatorSimulator, type OperatorSimulator } from '../src/simulator/simulator.ts';
import { loginAs } from './support/fixtures.ts';
import { createTestApp, type TestApp } from './support/test-app.ts';
import { launchChromium, runBrowserTests, warnIfSkipped } from './support/browser.ts';
import { loginThroughPainel, openPainelContext } from './support/painel-browser.ts';
import { field, settled, visible } from './support/painel-page.ts';

/**
 * Details of the painel in a real browser (setup as in painel-navegacao.browser.test.ts): the
 * header's light/dark choice and its memory across a reload, the sections folding behind the menu
 * button on a narrow screen, the token id's copy button, the integração inputs' length limits
 * matching the server's schema, the validador's "Copiar como cURL" without secrets, and the
 * funcionalidade's "Embutir" snippet and its copy button.
 * Needs `npm run build:painel`.
 */

warnIfSkipped('the painel details browser test');
const ROOT = fileURLToPath(new URL('..', import.meta.url));
// A secret header value and the grupo's senha: neither may reach the clipboard.
const SEGREDO_HEADER = 'segredo-do-header-7f3a9c';

describe.runIf(runBrowserTests)('painel details in headless Chromium: theme switch, narrow sidebar, token id copy, integração limits, validador cURL', () => {
  let t: TestApp;
  let sim: OperatorSimulator;
  let browser: Browser | undefined;
  let context: BrowserContext;
  let page: Page;
  let base: string;
  let clienteId: string;
  let admin: Awaited<ReturnType<typeof loginAs>>;
  let pageErrors: string[];

  beforeAll(async () => {
    if (!existsSync(`${ROOT}painel/dist/index.html`)) throw new Error('painel/dist is missing: run npm run build:painel first.');
    sim = await createOperatorSimulator({ port: 0, host: '127.0.0.1' });
    t = await createTestApp();
    clienteId = (await t.services.clientes.create({ nome: 'Operadora Detalhes' })).id;
    admin = await loginAs(t, { platformAdmin: true });

    // Grupo and integração of the Sandbox (with a secret header), through the painel's API.
    const api = (method: 'POST' | 'PUT', path: string, payload: object) =>
      t.app.inject({ method, url: `/painel/api/clientes/${clienteId}/instancias/1/${path}`, headers: admin.headers, payload });
    const grupo = await api('POST', 'grupos', { nome: 'Grupo do simulador', url: `${sim.url}/autorizacao`, usuario: 'demo', senha: 'demo' });
    expect(grupo.statusCode, grupo.body).toBe(201);
    const integracao = await api('PUT', 'integracao', { baseUrl: sim.url, grupoId: grupo.json().id, metodos: {}, headers: [{ nome: 'X-Api-Key', valor: SEGREDO_HEADER, secreto: true }] });
    expect(integracao.statusCode, integracao.body).toBe(200);

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

  const esquema = (p: Page) => p.locator('html').getAttribute('data-mantine-color-scheme');

  /** Picks an option of the header's theme menu. */
  async function escolherTema(p: Page, opcao: 'Claro' | 'Escuro' | 'Como o sistema'): Promise<void> {
    await p.getByRole('button', { name: /^Tema de cores/ }).click();
    await (await visible(p.getByRole('menuitem', { name: opcao }))).click();
  }

  it('the header theme menu switches light ↔ dark on <html>, and the choice survives a reload', { timeout: 60_000 }, async () => {
    await page.goto(`${base}/painel/${clienteId}/sandbox/integracao`);
    await visible(page.getByRole('heading', { name: 'Integração', exact: true }));
    // The system says light (the context's colorScheme) and nothing was chosen yet.
    expect(await esquema(page)).toBe('light');

    await escolherTema(page, 'Escuro');
    await expect.poll(() => esquema(page)).toBe('dark');
    expect(await page.getByRole('button', { name: 'Tema de cores (Escuro)' }).count()).toBe(1);
    // Remembered in this browser (Mantine's localStorage manager).
    expect(await page.evaluate("window.localStorage.getItem('mantine-color-scheme-value')")).toBe('dark');
    await page.reload();
    await visible(page.getByRole('heading', { name: 'Integração', exact: true }));
    expect(await esquema(page)).toBe('dark');

    // Back to light, over a system that now says dark: the choice still wins after a reload.
    await page.emulateMedia({ colorScheme: 'dark' });
    await escolherTema(page, 'Claro');
    await expect.poll(() => esquema(page)).toBe('light');
    await page.reload();
    await visible(page.getByRole('heading', { name: 'Integração', exact: true }));
    expect(await esquema(page)).toBe('light');

    // "Como o sistema" follows the system again.
    await escolherTema(page, 'Como o sistema');
    await expect.poll(() => esquema(page)).toBe('dark');
    await page.emulateMedia({ colorScheme: 'light' });
    await expect.poll(() => esquema(page)).toBe('light');
    expect(pageErrors).toEqual([]);
  });

  it('below 768 px the sections hide behind the menu button, which shows them; from 768 px they stay, and can be hidden', { timeout: 60_000 }, async () => {
    const estreita = await context.newPage();
    estreita.on('pageerror', (error) => pageErrors.push(`estreita: ${error.message}`));
    await estreita.setViewportSize({ width: 767, height: 900 });
    try {
      await estreita.goto(`${base}/painel/${clienteId}/sandbox/integracao`);
      await visible(estreita.getByRole('heading', { name: 'Integração', exact: true }));
      const nav = estreita.getByRole('navigation', { name: 'Seções do painel' });
      const link = nav.getByRole('link', { name: 'Central de logs', exact: true });
      // Collapsed, the navbar is slid off the screen (a transform), not removed: measure where it is.
      const naTela = async () => {
        const box = await link.boundingBox();
        return box !== null && box.x + box.width > 0 && box.x < estreita.viewportSize()!.width;
      };
      await expect.poll(naTela).toBe(false);
      const abrir = estreita.getByRole('button', { name: 'Abrir o menu de seções' });
      expect(await abrir.getAttribute('aria-expanded')).toBe('false');
      await abrir.click();
      await expect.poll(naTela).toBe(true);
      expect(await estreita.getByRole('button', { name: 'Fechar o menu de seções' }).getAttribute('aria-expanded')).toBe('true');
      // A section closes the menu again.
      await link.click();
      await estreita.waitForURL(`${base}/painel/${clienteId}/sandbox/logs`);
      await expect.poll(naTela).toBe(false);

      // From 768 px (Mantine's sm breakpoint) the sections stay beside the content; their own button hides them.
      await estreita.setViewportSize({ width: 768, height: 900 });
      await expect.poll(naTela).toBe(true);
      await estreita.getByRole('button', { name: 'Recolher o menu de seções' }).click();
      await expect.poll(naTela).toBe(false);
      await estreita.getByRole('button', { name: 'Mostrar o menu de seções' }).click();
      await expect.poll(naTela).toBe(true);
    } finally {
      await estreita.close();
    }
    expect(pageErrors).toEqual([]);
  });

  it('APIs: a new token lists its tok_… id, and its copy button puts exactly that id in the clipboard', { timeout: 60_000 }, async () => {
    await page.goto(`${base}/painel/${clienteId}/sandbox/apis`);
    await visible(page.getByRole('heading', { name: 'APIs — tokens do cliente' }));
    await settled(page);
    await page.getByRole('button', { name: 'Novo token', exact: true }).click();
    const modal = await visible(page.getByRole('dialog', { name: 'Novo token do cliente' }));
    await field(modal, 'Descrição').fill('Token dos detalhes');
    await modal.getByRole('button', { name: 'Criar token' }).click();
    await (await visible(page.getByRole('button', { name: 'Já copiei o token' }))).click();
    await page.getByRole('dialog').waitFor({ state: 'hidden' });

    const criados = await t.app.inject({ method: 'GET', url: `/painel/api/clientes/${clienteId}/tokens`, headers: admin.headers });
    const token = (criados.json() as { tokens: { id: string; prefixo: string; descricao: string }[] }).tokens.find((k) => k.descricao === 'Token dos detalhes')!;
    expect(token.id).toMatch(/^tok_[0-9a-f]{24}$/);

    const linha = await visible(page.getByRole('table', { name: 'Tokens do cliente' }).locator('tbody tr').filter({ hasText: 'Token dos detalhes' }));
    expect(await linha.locator('code').allTextContents()).toContain(token.id);
    await linha.getByRole('button', { name: `Copiar o id do token ${token.prefixo}` }).click();
    expect(await page.evaluate('navigator.clipboard.readText()')).toBe(token.id);
    expect(pageErrors).toEqual([]);
  });

  it('integração: the inputs carry maxlength equal to the server schema limits', { timeout: 60_000 }, async () => {
    await page.goto(`${base}/painel/${clienteId}/sandbox/integracao`);
    const urlBase = await visible(field(page, 'URL base'));
    await expect.poll(() => urlBase.inputValue()).toBe(sim.url);
    // src/modules/integracoes/integracoes.schemas.ts: url ≤ 2048, header name ≤ 128, header value ≤ 8192, senhaGrupo ≤ 500.
    expect(await urlBase.getAttribute('maxlength')).toBe('2048');
    const urlsProprias = page.getByRole('textbox', { name: 'URL própria do método' });
    expect(await urlsProprias.count()).toBeGreaterThan(0);
    expect(new Set(await urlsProprias.evaluateAll((els) => els.map((el) => el.getAttribute('maxlength'))))).toEqual(new Set(['2048']));
    // The saved secret header (its stored value is shown as "definido"), then a new plain one.
    expect(await field(page, 'Nome do header 1').getAttribute('maxlength')).toBe('128');
    await page.getByRole('button', { name: 'Adicionar header' }).click();
    expect(await (await visible(field(page, 'Nome do header 2'))).getAttribute('maxlength')).toBe('128');
    expect(await field(page, 'Valor do header 2').getAttribute('maxlength')).toBe('8192');
    await page.getByRole('button', { name: 'Remover o header 2' }).click();
    expect(pageErrors).toEqual([]);
  });

  it('validador: "Copiar como cURL" has the method URL and no secret (grupo senha, secret header value)', { timeout: 60_000 }, async () => {
    const ana = seedPeople[0]!;
    await page.goto(`${base}/painel/${clienteId}/sandbox/validador`);
    await visible(page.getByTestId('contrato').getByText('Contrato — Login'));
    await field(page, 'CPF ou matrícula (login)').fill(ana.cpf);
    await field(page, 'Senha (senha)').fill(ana.senha);
    await page.getByRole('button', { name: 'Executar', exact: true }).click();
    const resultado = await visible(page.getByTestId('resultado-validador'), 30_000);
    await expect.poll(() => page.getByTestId('veredito').textContent(), { timeout: 30_000 }).toBe('Aprovado');
    await resultado.getByRole('button', { name: 'Copiar como cURL' }).click();
    const curl = String(await page.evaluate('navigator.clipboard.readText()'));
    expect(curl.startsWith(`curl -X POST '${sim.url}/login'`)).toBe(true);
    expect(curl).toContain(`-H 'X-Api-Key: ***'`);
    expect(curl).not.toContain(SEGREDO_HEADER);
    expect(curl).not.toContain(ana.senha);
    expect(curl).not.toMatch(/\bdemo\b/);
    expect(pageErrors).toEqual([]);
  });

  it('funcionalidade → Editar → Embutir: the snippet loads the SDK with this funcionalidade\'s own chave, its copy button copies exactly it, and Origens opens inside the painel', { timeout: 60_000 }, async () => {
    const actor = { userId: null, label: 'teste' };
    const url = `${sim.url}/webview/boas-vindas`;
    // Two funcionalidades: the snippet must carry the chave of the one opened, not another's.
    const outra = await t.services.funcionalidades.create({ clienteId, instancia: 1, nome: 'Extrato', url, actor });
    const embutida = await t.services.funcionalidades.create({ clienteId, instancia: 1, nome: 'Carteirinha', url, actor });
    await page.goto(`${base}/painel/${clienteId}/sandbox/funcionalidades`);
    await visible(page.getByRole('heading', { name: 'Funcionalidades', exact: true }));
    await settled(page);
    await page.getByRole('button', { name: 'Ações da funcionalidade Carteirinha' }).click();
    await (await visible(page.getByRole('menuitem', { name: 'Editar' }))).click();
    const modal = await visible(page.getByRole('dialog', { name: 'Editar "Carteirinha"' }));
    await modal.getByRole('tab', { name: 'Embutir' }).click();
    const aba = await visible(modal.getByTestId('embutir'));
    const copiar = aba.getByRole('button', { name: 'Copiar o código para embutir' });
    // The code block beside its copy button.
    const snippet = String(await (await visible(copiar.locator('xpath=preceding-sibling::pre[1]'))).textContent());
    expect(snippet).toContain(`<script src="${base}/sdk/v1/embed.js"></script>`);
    expect(snippet).toContain(`chaveFuncionalidade: '${embutida.chave}',`);
    expect(snippet).toContain('instanciaApp: 1,');
    expect(snippet).not.toContain(outra.chave);

    await page.evaluate("navigator.clipboard.writeText('antes de copiar')");
    await copiar.click();
    await expect.poll(() => page.evaluate('navigator.clipboard.readText()')).toBe(snippet);

    // No origem yet: the tab links to Segurança → Origens of this cliente and instância, inside the
    // painel (a marker on window survives: the page was not loaded again).
    await page.evaluate('window.semRecarregar = true');
    await aba.getByRole('link', { name: 'Segurança → Origens' }).click();
    await page.waitForURL(`${base}/painel/${clienteId}/sandbox/seguranca/origens`);
    await modal.waitFor({ state: 'hidden' });
    expect(await page.evaluate('window.semRecarregar === true')).toBe(true);
    expect(pageErrors).toEqual([]);
  });
});
