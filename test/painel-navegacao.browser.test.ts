import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedPeople } from '../src/simulator/seed-data.ts';
import { createOperatorSimulator, type OperatorSimulator } from '../src/simulator/simulator.ts';
import { TEST_PASSWORD, uniqueEmail } from './support/fixtures.ts';
import { createTestApp, type TestApp } from './support/test-app.ts';
import { launchChromium, runBrowserTests, warnIfSkipped } from './support/browser.ts';
import { loginThroughPainel, openPainelContext } from './support/painel-browser.ts';
import { axeSerious, field, goTo, settled, visible, type AxeFinding } from './support/painel-page.ts';

/**
 * The painel's shell in a real browser (see painel.browser.test.ts for the setup): the cliente and
 * instância in the address (deep links, reload, two tabs each on its own instância), the guard on
 * unsaved edits, the ids section and its copy buttons, the "Primeiros passos" checklist ticking
 * itself, an axe-core check of every screen and the demo app in light and dark mode (zero
 * serious or critical violations), and the Painel inicial's period in the address with its charts
 * opening the central de logs. Screenshots of every screen in both modes go to
 * test-results/painel-temas/ (artifacts, not assertions). Needs `npm run build:painel`.
 */

warnIfSkipped('the painel navigation browser test');
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SHOTS = `${ROOT}test-results/painel-temas`;

describe.runIf(runBrowserTests)('painel navigation in headless Chromium: state in the address, unsaved-edit guard, ids, primeiros passos, accessibility in light and dark', () => {
  let t: TestApp;
  let sim: OperatorSimulator;
  let browser: Browser | undefined;
  let context: BrowserContext;
  let page: Page;
  let base: string;
  let clienteId: string;
  let appIdSandbox: string;
  const email = uniqueEmail('navegacao');
  let pageErrors: string[];

  beforeAll(async () => {
    if (!existsSync(`${ROOT}painel/dist/index.html`)) throw new Error('painel/dist is missing: run npm run build:painel first.');
    mkdirSync(SHOTS, { recursive: true });
    sim = await createOperatorSimulator({ port: 0, host: '127.0.0.1' });
    t = await createTestApp();
    const cliente = await t.services.clientes.create({ nome: 'Operadora Navegação' });
    clienteId = cliente.id;
    appIdSandbox = (await t.services.clientes.get(clienteId))!.instancias.find((i) => i.numero === 1)!.appId;
    await t.services.users.create({ email, nome: 'Nina Navegadora', senha: TEST_PASSWORD, isPlatformAdmin: true, memberships: [] });
    base = await t.app.listen({ port: 0, host: '127.0.0.1' });
    browser = await launchChromium();
    // bypassCSP: axe-core is injected as a script the painel's CSP (script-src 'self') would refuse.
    ({ context, page, pageErrors } = await openPainelContext(browser, base, { bypassCSP: true, clipboard: true, defaultTimeout: 10_000 }));
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await sim?.close();
  });

  it('opens at /painel/<cliente>/sandbox/, shows the ids with copy buttons and the primeiros passos; guards unsaved edits; ticks a step once done', { timeout: 120_000 }, async () => {
    // A deep link before logging in: the login, then exactly that screen.
    await loginThroughPainel(page, base, { email, startAt: `/painel/${clienteId}/sandbox/integracao` });
    await visible(page.getByRole('heading', { name: 'Integração', exact: true }));

    // The root goes to this tab's cliente and instância; the Painel inicial shows the ids and the checklist.
    await page.goto(`${base}/painel/`);
    await page.waitForURL(`${base}/painel/${clienteId}/sandbox/`);
    const passos = await visible(page.getByTestId('primeiros-passos'));
    expect(await passos.locator('[data-feito="true"]').count()).toBe(0);
    expect(await passos.getByRole('link').allTextContents()).toEqual([
      '1. Configure a integração',
      '2. Cadastre um grupo de autorização',
      '3. Valide o login',
      '4. Revise os formulários',
      '5. Cadastre uma funcionalidade',
      '6. Crie um token de APIs',
    ]);
    const codigo = (await t.services.clientes.get(clienteId))!.codigo;
    const copia = async (testId: string, rotulo: string) => {
      await page.getByTestId(testId).getByRole('button', { name: `Copiar ${rotulo}` }).click();
      return page.evaluate('navigator.clipboard.readText()');
    };
    expect(await copia('id-app', 'x-app-id')).toBe(appIdSandbox);
    expect(await copia('id-cliente', 'id do cliente')).toBe(clienteId);
    expect(await copia('id-codigo', 'código do cliente')).toBe(String(codigo));
    expect(await copia('url-api-publica', 'url da api do cliente')).toBe(`${base}/clientes`);
    expect(await copia('url-api-app', 'url da api do app')).toBe(`${base}/app/v1`);

    // Each step links to its screen of this cliente and instância.
    await passos.getByRole('link', { name: '1. Configure a integração' }).click();
    await page.waitForURL(`${base}/painel/${clienteId}/sandbox/integracao`);

    // Unsaved edit: the sidebar and the instância switch ask; "Continuar editando" keeps the edit.
    await field(page, 'URL base').fill(sim.url);
    await goTo(page, 'Grupos de autorização');
    const aviso = await visible(page.getByRole('dialog', { name: 'Sair sem salvar?' }));
    expect(await aviso.textContent()).toContain('Você vai sair desta tela.');
    await aviso.getByRole('button', { name: 'Continuar editando' }).click();
    await aviso.waitFor({ state: 'hidden' });
    expect(page.url()).toBe(`${base}/painel/${clienteId}/sandbox/integracao`);
    expect(await field(page, 'URL base').inputValue()).toBe(sim.url);
    await page.getByRole('radiogroup').getByText('Produção').click();
    const avisoInstancia = await visible(page.getByRole('dialog', { name: 'Sair sem salvar?' }));
    expect(await avisoInstancia.textContent()).toContain('Você vai trocar para a instância Produção.');
    await avisoInstancia.getByRole('button', { name: 'Continuar editando' }).click();
    await avisoInstancia.waitFor({ state: 'hidden' });
    expect(page.url()).toBe(`${base}/painel/${clienteId}/sandbox/integracao`);

    // A reserved header is refused with the reason before anything is sent.
    await page.getByRole('button', { name: 'Adicionar header' }).click();
    await field(page, 'Nome do header 1').fill('Authorization');
    await page.getByRole('button', { name: 'Salvar integração' }).click();
    await visible(page.getByText('"Authorization" é reservado ao grupo de autorização'));
    expect(await t.services.integracoes.get(clienteId, 1)).toBeUndefined();
    await page.getByRole('button', { name: 'Remover o header 1' }).click();

    // Saved: leaving no longer asks, and the step ticks itself.
    await page.getByRole('button', { name: 'Salvar integração' }).click();
    await visible(page.getByText('Integração da instância Sandbox salva.'));
    expect((await t.services.integracoes.get(clienteId, 1))?.baseUrl).toBe(sim.url);
    await goTo(page, 'Painel inicial');
    await page.waitForURL(`${base}/painel/${clienteId}/sandbox/`);
    await expect.poll(() => page.getByTestId('passo-integracao').getAttribute('data-feito')).toBe('true');
    expect(await page.getByTestId('passo-grupo').getAttribute('data-feito')).toBe('false');

    // "Sair sem salvar" really leaves, and the edit is gone.
    await goTo(page, 'Integração');
    await field(page, 'URL base').fill(`${sim.url}/outra`);
    await goTo(page, 'Origens');
    await (await visible(page.getByRole('dialog', { name: 'Sair sem salvar?' }))).getByRole('button', { name: 'Sair sem salvar' }).click();
    await page.waitForURL(`${base}/painel/${clienteId}/sandbox/seguranca/origens`);
    expect((await t.services.integracoes.get(clienteId, 1))?.baseUrl).toBe(sim.url);
    expect(pageErrors).toEqual([]);
  });

  it('two tabs keep their own instância; deep links survive a reload; old addresses and other clientes are handled', { timeout: 60_000 }, async () => {
    const sandbox = page;
    await sandbox.goto(`${base}/painel/${clienteId}/sandbox/integracao`);
    expect(await (await visible(field(sandbox, 'URL base'))).inputValue()).toBe(sim.url);

    // Tab B opens Produção (same browser, same session): its own instância, its own values.
    const producao = await context.newPage();
    producao.on('pageerror', (error) => pageErrors.push(`B: ${error.message}`));
    await producao.goto(`${base}/painel/${clienteId}/producao/integracao`);
    expect(await (await visible(field(producao, 'URL base'))).inputValue()).toBe('');
    expect(await producao.getByRole('radiogroup').getByRole('radio', { name: 'Produção' }).isChecked()).toBe(true);

    // Tab A, reloaded after B switched: still Sandbox, still its value.
    await sandbox.reload();
    expect(await (await visible(field(sandbox, 'URL base'))).inputValue()).toBe(sim.url);
    expect(await sandbox.getByRole('radiogroup').getByRole('radio', { name: 'Sandbox' }).isChecked()).toBe(true);

    // An old address (no cliente, no instância) completes itself with this tab's own choice.
    await producao.goto(`${base}/painel/seguranca/grupos`);
    await producao.waitForURL(`${base}/painel/${clienteId}/producao/seguranca/grupos`);
    await sandbox.goto(`${base}/painel/logs`);
    await sandbox.waitForURL(`${base}/painel/${clienteId}/sandbox/logs`);

    // A deep link with a query string survives a reload.
    await producao.goto(`${base}/painel/${clienteId}/producao/formularios?padrao=login`);
    await visible(producao.getByRole('heading', { name: /Formulário padrão/ }));
    await producao.reload();
    await visible(producao.getByRole('heading', { name: /Formulário padrão/ }));
    expect(producao.url()).toBe(`${base}/painel/${clienteId}/producao/formularios?padrao=login`);

    // A cliente this user cannot open.
    await producao.goto(`${base}/painel/cli_nao_existe/sandbox/integracao`);
    await visible(producao.getByRole('heading', { name: 'Cliente não encontrado' }));
    await producao.close();
    expect(pageErrors).toEqual([]);
  });

  it('every screen and the demo app: no serious or critical axe violation, in light and dark mode (screenshots of each)', { timeout: 240_000 }, async () => {
    const telas: [string, string][] = [
      ['inicio', ''],
      ['integracao', 'integracao'],
      ['validador', 'validador'],
      ['logs', 'logs'],
      ['grupos', 'seguranca/grupos'],
      ['origens', 'seguranca/origens'],
      ['auditoria', 'seguranca/auditoria'],
      ['funcionalidades', 'funcionalidades'],
      ['formularios', 'formularios'],
      ['envio-mensagens', 'envio-mensagens'],
      ['apis', 'apis'],
      ['usuarios', 'usuarios'],
      ['caixa-de-saida', 'caixa-de-saida'],
    ];
    const findings: Record<string, AxeFinding[]> = {};
    for (const esquema of ['light', 'dark'] as const) {
      // The painel follows the system's colour scheme until the user picks one.
      await page.emulateMedia({ colorScheme: esquema });
      for (const [nome, tela] of telas) {
        await page.goto(`${base}/painel/${clienteId}/sandbox/${tela}`);
        await visible(page.locator('main h2'));
        await settled(page);
        expect(await page.locator('html').getAttribute('data-mantine-color-scheme')).toBe(esquema);
        const found = await axeSerious(page);
        if (found.length > 0) findings[`${esquema} ${nome}`] = found;
        await page.screenshot({ path: `${SHOTS}/${nome}-${esquema}.png`, fullPage: true });
      }
      await page.goto(`${base}/painel/conta`);
      await visible(page.getByRole('heading', { name: 'Minha conta' }));
      const conta = await axeSerious(page);
      if (conta.length > 0) findings[`${esquema} conta`] = conta;
      await page.screenshot({ path: `${SHOTS}/conta-${esquema}.png`, fullPage: true });
    }
    await page.emulateMedia({ colorScheme: 'light' });

    // The demo app, phone-sized.
    const phone = await browser!.newContext({ viewport: { width: 390, height: 844 }, locale: 'pt-BR', bypassCSP: true });
    const app = await phone.newPage();
    await app.goto(`${base}/demo?app=${appIdSandbox}`);
    await visible(app.getByRole('button', { name: 'Entrar' }));
    const demo = await axeSerious(app);
    if (demo.length > 0) findings['demo login'] = demo;
    await app.screenshot({ path: `${SHOTS}/demo-login.png` });
    await phone.close();

    // The narrowest painel that keeps the sidebar (768 px; below it the sections fold behind the menu
    // button, which painel-detalhes.browser.test.ts checks at 767 px).
    await page.setViewportSize({ width: 768, height: 900 });
    await page.goto(`${base}/painel/${clienteId}/sandbox/integracao`);
    await visible(page.getByRole('heading', { name: 'Integração', exact: true }));
    const estreito = await axeSerious(page);
    if (estreito.length > 0) findings['768px integracao'] = estreito;
    await page.screenshot({ path: `${SHOTS}/integracao-768.png` });
    await page.setViewportSize({ width: 1280, height: 800 });

    expect(findings).toEqual({});
    expect(pageErrors).toEqual([]);
  });

  it('the skip link is the first stop of the keyboard and moves the focus to the content', { timeout: 30_000 }, async () => {
    await page.goto(`${base}/painel/${clienteId}/sandbox/integracao`);
    await visible(page.getByRole('heading', { name: 'Integração', exact: true }));
    await page.keyboard.press('Tab');
    const skip = page.getByRole('link', { name: 'Pular para o conteúdo' });
    expect(await skip.evaluate((el) => el === (el.ownerDocument as unknown as { activeElement: unknown }).activeElement)).toBe(true);
    await page.keyboard.press('Enter');
    expect(await page.evaluate('document.activeElement && document.activeElement.id')).toBe('conteudo');
  });

  it('Painel inicial: the period lives in the address; a bar and an operação open the central de logs filtered', { timeout: 60_000 }, async () => {
    // Three logins against the simulator (refused: no grupo), written to the central de logs.
    const ana = seedPeople[0]!;
    for (let i = 0; i < 3; i += 1) await t.services.outbound.call({ clienteId, instancia: 1, method: 'login', body: { login: ana.cpf, senha: ana.senha } });
    await t.services.logWriter.flush();

    await page.goto(`${base}/painel/${clienteId}/sandbox/`);
    const periodo = page.getByRole('radiogroup', { name: 'Período' });
    const cobertura = () => page.getByText(/^Desde .* até agora · /).textContent();
    await visible(page.getByRole('region', { name: 'Volume de chamadas' }));
    expect(await cobertura()).toContain('intervalos de 1 hora');
    await periodo.getByText('7 dias').click();
    await page.waitForURL(`${base}/painel/${clienteId}/sandbox/?periodo=7d`);
    await expect.poll(cobertura).toContain('intervalos de 6 horas');
    await page.reload();
    await expect.poll(cobertura).toContain('intervalos de 6 horas');
    expect(await periodo.getByRole('radio', { name: '7 dias' }).isChecked()).toBe(true);
    await periodo.getByText('Última hora').click();
    await page.waitForURL(`${base}/painel/${clienteId}/sandbox/?periodo=1h`);
    await expect.poll(cobertura).toContain('intervalos de 5 minutos');
    // Back returns to the previous period.
    await page.goBack();
    await page.waitForURL(`${base}/painel/${clienteId}/sandbox/?periodo=7d`);
    await page.goForward();
    await page.waitForURL(`${base}/painel/${clienteId}/sandbox/?periodo=1h`);
    await settled(page);
    // With data, the charts (clickable now) and the table's links pass axe too.
    expect(await axeSerious(page)).toEqual([]);

    // A bar of the volume: that operação's calls in that 5-minute interval.
    await (await visible(page.getByRole('region', { name: 'Volume de chamadas' }).locator('path.recharts-rectangle:visible'))).click();
    await page.waitForURL(/\/logs\?/);
    const filtros = new URL(page.url()).searchParams;
    expect(new URL(page.url()).pathname).toBe(`/painel/${clienteId}/sandbox/logs`);
    expect({ periodo: filtros.get('periodo'), direcao: filtros.get('direcao'), operacao: filtros.get('operacao') }).toEqual({ periodo: 'personalizado', direcao: 'saida', operacao: 'login' });
    expect(Number(filtros.get('ate')) - Number(filtros.get('de'))).toBe(5 * 60_000 - 1);
    const linhas = page.getByRole('table', { name: 'Chamadas à operadora' }).locator('tbody tr');
    await expect.poll(() => linhas.count()).toBe(3);
    expect(await linhas.first().textContent()).toContain('Login');

    // An operação of the table: its calls over the whole period shown.
    await page.goBack();
    await page.waitForURL(`${base}/painel/${clienteId}/sandbox/?periodo=1h`);
    await (await visible(page.getByRole('link', { name: 'Login: ver as chamadas do período na central de logs' }))).click();
    await page.waitForURL(/\/logs\?.*operacao=login/);
    await expect.poll(() => linhas.count()).toBe(3);
    expect(pageErrors).toEqual([]);
  });
});
