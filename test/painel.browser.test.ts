import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Browser, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedPeople } from '../src/simulator/seed-data.ts';
import { createOperatorSimulator, type OperatorSimulator } from '../src/simulator/simulator.ts';
import { TEST_PASSWORD, uniqueEmail } from './support/fixtures.ts';
import { createTestApp, type TestApp } from './support/test-app.ts';
import { launchChromium, runBrowserTests, warnIfSkipped } from './support/browser.ts';
import { openPainelContext } from './support/painel-browser.ts';

/**
 * The painel in a real browser: a real Ponte HTTP server on loopback (test database), the operator
 * simulator, the built painel and demo app (`npm run build:painel`) and Debian's headless Chromium.
 * One journey through every painel screen (1280×800) and the demo app (390×844), with a screenshot
 * of each under test-results/painel/.
 */

warnIfSkipped('the painel browser test');

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SHOTS = `${ROOT}test-results/painel`;
const ana = seedPeople[0]!;

// Code that runs inside the page is passed as text: this file is type-checked without the DOM library.

/** Waits (bounded) until the locator is visible, and returns it. */
async function visible(locator: Locator, timeout = 10_000): Promise<Locator> {
  await locator.first().waitFor({ state: 'visible', timeout });
  return locator.first();
}

async function shot(page: Page, name: string, fullPage = false): Promise<void> {
  // Let success notifications (they close by themselves) and transitions settle, so the picture
  // shows the screen rather than a toast over it.
  // Locators, not waitForFunction: the painel's CSP (no eval) refuses string predicates.
  await expect.poll(() => page.locator('.mantine-Notification-root').count(), { timeout: 8_000 }).toBe(0).catch(() => undefined);
  await page.waitForTimeout(350);
  await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage });
}

/** Picks `option` in the Mantine select labelled `label`. */
async function choose(page: Page, label: string, option: string): Promise<void> {
  await field(page, label).click();
  await (await visible(page.getByRole('option', { name: option, exact: true }))).click();
}

/** A text input by its label, with or without the required-field asterisk. */
function field(scope: Page | Locator, label: string): Locator {
  const escaped = label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return scope.getByRole('textbox', { name: new RegExp(`^${escaped}( \\*)?$`) });
}

async function goTo(page: Page, section: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Seções do painel' }).getByRole('link', { name: section, exact: true }).click();
}

describe.runIf(runBrowserTests)('painel and demo app in headless Chromium: login → grupo → integração → validador → token → funcionalidade → demo app (login, WebView greeting, password recovery) → central de logs', () => {
  let t: TestApp;
  let sim: OperatorSimulator;
  let browser: Browser | undefined;
  let page: Page;
  let base: string;
  const email = uniqueEmail('plataforma');
  const leitorEmail = uniqueEmail('leitor');
  let pageErrors: string[];

  beforeAll(async () => {
    // `npm ci` builds the painel (prepare); build it here only when this checkout never did.
    if (!existsSync(`${ROOT}painel/dist/index.html`)) {
      const build = spawnSync('npm', ['run', 'build:painel'], { cwd: ROOT, stdio: 'inherit' });
      if (build.status !== 0) throw new Error('npm run build:painel failed');
    }
    mkdirSync(SHOTS, { recursive: true });

    sim = await createOperatorSimulator({ port: 0, host: '127.0.0.1' });
    t = await createTestApp();
    await t.services.users.create({ email, nome: 'Paula Plataforma', senha: TEST_PASSWORD, isPlatformAdmin: true, memberships: [] });
    base = await t.app.listen({ port: 0, host: '127.0.0.1' });

    browser = await launchChromium();
    ({ page, pageErrors } = await openPainelContext(browser, base, { clipboard: true, defaultTimeout: 10_000 }));
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await sim?.close();
  });

  it('walks the whole journey', { timeout: 240_000 }, async () => {
    // Login: a wrong password shows the API's 401 message; then in.
    await page.goto(`${base}/painel/`);
    await page.waitForURL(/\/painel\/login$/);
    await shot(page, '01-login');
    await field(page, 'E-mail').fill(email);
    await field(page, 'Senha').fill('senha-errada-123');
    await page.getByRole('button', { name: 'Entrar' }).click();
    expect(await (await visible(page.getByRole('alert'))).textContent()).toContain('E-mail ou senha incorretos');
    await field(page, 'Senha').fill(TEST_PASSWORD);
    await page.getByRole('button', { name: 'Entrar' }).click();

    // A platform admin without clientes creates the first one from the empty state.
    await visible(page.getByRole('heading', { name: 'Nenhum cliente ainda' }));
    await shot(page, '02-sem-cliente');
    await page.getByRole('button', { name: 'Criar cliente' }).click();
    await field(page, 'Nome da operadora').fill('Operadora Navegador');
    await page.getByRole('dialog').getByRole('button', { name: 'Criar cliente' }).click();
    // The landing screen is the Painel inicial: nothing called yet, and it says where to start.
    await visible(page.getByRole('heading', { name: 'Painel inicial', exact: true }));
    await visible(page.getByText('Nenhuma chamada à operadora'));
    await shot(page, '02b-inicio-vazio');
    await goTo(page, 'Integração');
    await visible(page.getByText('Integração ainda não configurada'));
    const clienteCriado = (await t.services.clientes.list({})).find((c) => c.nome === 'Operadora Navegador')!;
    const clienteId = clienteCriado.id;
    // The header shows the cliente's numeric code: the idCliente of its temp tokens.
    expect(await (await visible(page.getByTestId('codigo-cliente'))).textContent()).toBe(`Código ${clienteCriado.codigo}`);

    // Grupo de autorização: the simulator answers with "Authorization" as a chave → the live
    // check's violation is listed by field and nothing is saved; the simulator fixed → saved.
    await goTo(page, 'Grupos de autorização');
    await visible(page.getByRole('heading', { name: 'Nenhum grupo de autorização nesta instância' }));
    sim.setFault('authorization-chave', { methods: ['autorizacao'] });
    await page.getByRole('button', { name: 'Novo grupo' }).click();
    const dialog = page.getByRole('dialog');
    await field(dialog, 'Nome').fill('Grupo do simulador');
    await field(dialog, 'URL do endpoint').fill(`${sim.url}/autorizacao`);
    await field(dialog, 'Usuário').fill('demo');
    await field(dialog, 'Senha').fill('demo');
    await dialog.getByRole('button', { name: 'Verificar e salvar' }).click();
    const violacoes = await visible(page.getByTestId('violacoes-grupo'));
    const violacoesText = await violacoes.textContent();
    expect(violacoesText).toContain('nada foi salvo');
    expect(violacoesText).toMatch(/auth\[\d+\]\.chave/);
    expect(violacoesText).toContain('Authorization');
    expect(await t.services.grupos.list(clienteId, 1)).toHaveLength(0);
    await shot(page, '03-grupo-violacao');
    sim.setFault(null);
    await dialog.getByRole('button', { name: 'Verificar e salvar' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const row = await visible(page.getByRole('row', { name: /Grupo do simulador/ }));
    expect(await row.textContent()).toContain('Ativo');
    await shot(page, '04-grupos');

    // Integração: base URL with the live effective-URL preview, linked grupo, headers (one
    // secret). A wrong own URL comes back as the server's message beside that very field.
    await goTo(page, 'Integração');
    await field(page, 'URL base').fill(sim.url);
    expect(await (await visible(page.getByTestId('url-efetiva-login'))).textContent()).toBe(`${sim.url}/login`);
    await choose(page, 'Grupo de autorização', 'Grupo do simulador');
    const trocarUrl = page.getByLabel('URL própria do método').nth(3);
    await trocarUrl.fill(`${sim.url}/senha`);
    await visible(page.getByText('O endpoint obrigatoriamente deve terminar com'));
    await page.getByRole('button', { name: 'Adicionar header' }).click();
    await field(page, 'Nome do header 1').fill('X-Canal');
    await field(page, 'Valor do header 1').fill('app');
    await page.getByRole('button', { name: 'Adicionar header' }).click();
    await field(page, 'Nome do header 2').fill('X-Chave-Api');
    await page.getByLabel('Header 2 é secreto').check({ force: true });
    await field(page, 'Valor secreto do header 2').fill('segredo-da-operadora');
    await page.getByRole('button', { name: 'Salvar integração' }).click();
    // The server refuses the suffix and names `metodos.trocarSenha.url`: its message sits at that input.
    await visible(page.getByText('O endpoint obrigatoriamente deve terminar com "/trocarSenha".'));
    expect(await trocarUrl.getAttribute('aria-invalid')).toBe('true');
    expect(await t.services.integracoes.get(clienteId, 1)).toBeUndefined();
    await trocarUrl.fill('');
    await page.getByRole('button', { name: 'Salvar integração' }).click();
    await visible(page.getByText('Integração da instância Sandbox salva.'));
    await visible(page.getByText('definido'));
    const saved = await t.services.integracoes.get(clienteId, 1);
    expect(saved?.baseUrl).toBe(sim.url);
    expect(saved?.headers.map((h) => [h.nome, h.secreto])).toEqual([
      ['X-Canal', false],
      ['X-Chave-Api', true],
    ]);
    await page.evaluate('window.scrollTo(0, 0)');
    await shot(page, '05-integracao');
    await page.getByRole('heading', { name: 'Headers estáticos' }).scrollIntoViewIfNeeded();
    await shot(page, '05b-integracao-headers');

    // Validador: login with a seeded beneficiary → aprovado, with the contract table beside it.
    await goTo(page, 'Validador de integração');
    await visible(page.getByTestId('contrato').getByText('Contrato — Login'));
    await field(page, 'CPF ou matrícula (login)').fill(ana.cpf);
    await field(page, 'Senha (senha)').fill(ana.senha);
    await page.getByRole('button', { name: 'Executar' }).click();
    expect(await (await visible(page.getByTestId('veredito'), 20_000)).textContent()).toBe('Aprovado');
    const resultado = await page.getByTestId('resultado-validador').textContent();
    expect(resultado).toContain(`${sim.url}/login`);
    expect(resultado).toContain('x-operadora-token');
    expect(resultado).not.toContain(ana.senha);
    await shot(page, '06-validador-aprovado');
    // A broken answer: reprovado, each violation in the table and marked on the response.
    sim.setFault('missing-mandatory', { methods: ['login'] });
    await page.getByRole('button', { name: 'Executar' }).click();
    expect(await (await visible(page.getByText('Reprovado'), 20_000)).textContent()).toBe('Reprovado');
    const tabela = await visible(page.getByRole('table', { name: 'Violações do contrato' }));
    sim.setFault(null);
    // Scroll the verdict to just under the fixed header: verdict, violations and marked response in one picture.
    await page.getByTestId('resultado-validador').evaluate((element) => element.scrollIntoView({ block: 'start' }));
    await page.evaluate('window.scrollBy(0, -80)');
    expect(await tabela.textContent()).toContain('usuarioLogado');
    expect(await page.getByTestId('resultado-validador').locator('[data-violacao="true"]').count()).toBeGreaterThan(0);
    await shot(page, '07-validador-reprovado');

    // APIs: the token shows once, with a copy button that really copies it.
    await goTo(page, 'APIs (tokens do cliente)');
    await visible(page.getByRole('heading', { name: 'Nenhum token criado' }));
    await page.getByRole('button', { name: 'Novo token' }).click();
    await field(page, 'Descrição').fill('Backend das funcionalidades');
    await page.getByRole('button', { name: 'Criar token' }).click();
    const tokenBox = await visible(page.getByTestId('token-criado'));
    const token = (await tokenBox.locator('.mantine-Code-root').textContent())!.trim();
    expect(token).toMatch(/^ptk_/);
    await visible(page.getByText('Este token é exibido uma única vez'));
    await shot(page, '08-token-criado');
    await page.getByRole('button', { name: 'Copiar token' }).click();
    expect(await page.evaluate('navigator.clipboard.readText()')).toBe(token);
    const temp = await fetch(`${base}/clientes/auth/temp-authorization`, { method: 'POST', headers: { authorization: token } });
    expect(temp.status).toBe(200);
    await page.getByRole('button', { name: 'Já copiei o token' }).click();
    await visible(page.getByRole('row', { name: /Backend das funcionalidades/ }));
    expect(await page.content()).not.toContain(token);
    await shot(page, '09-apis');
    // The operator's WebView backend (the simulator's page) exchanges chaves passe with this token.
    sim.setPonte({ url: base, token });

    // Central de logs: every call so far (the grupo's live checks, the two validador runs), filters, detail.
    await goTo(page, 'Central de logs');
    const rows = page.getByRole('table', { name: 'Chamadas à operadora' }).locator('tbody tr');
    // The central de logs writes in batches: ask again (bounded) until the calls are in.
    for (let attempt = 0; attempt < 40 && (await rows.count()) < 4; attempt += 1) {
      await page.waitForTimeout(250);
      await page.getByRole('button', { name: 'Atualizar' }).click();
    }
    const operacoes = await rows.locator('td:nth-child(3)').allTextContents();
    expect(operacoes.filter((o) => o === 'Login')).toHaveLength(2);
    expect(operacoes.filter((o) => o === 'Grupo de autorização').length).toBeGreaterThanOrEqual(2);
    await shot(page, '10-logs');
    await choose(page, 'Operação', 'Login');
    await expect.poll(() => page.locator('table[aria-label="Chamadas à operadora"] tbody tr').count(), { timeout: 10_000 }).toBe(2);
    const violado = page.getByRole('button', { name: /Ver a chamada Login/ }).first();
    await violado.focus();
    await page.keyboard.press('Enter');
    const detalhe = await visible(page.getByTestId('detalhe-log'));
    expect(await detalhe.textContent()).toContain('violação');
    expect(await detalhe.locator('[data-violacao="true"]').count()).toBeGreaterThan(0);
    expect(await detalhe.textContent()).not.toContain('segredo-da-operadora');
    await shot(page, '11-log-detalhe');
    await detalhe.getByRole('heading', { name: 'Resposta', exact: true }).scrollIntoViewIfNeeded();
    await shot(page, '11b-log-detalhe-resposta');
    await page.keyboard.press('Escape');

    // Funcionalidades: register the operator's page; its chaveFuncionalidade goes into the page's
    // own URL, as an operator configures its backend with the key the painel shows.
    await goTo(page, 'Funcionalidades');
    await visible(page.getByRole('heading', { name: 'Nenhuma funcionalidade nesta instância' }));
    await page.getByRole('button', { name: 'Nova funcionalidade' }).click();
    const novaFuncionalidade = page.getByRole('dialog');
    await field(novaFuncionalidade, 'Nome').fill('Boas-vindas');
    await field(novaFuncionalidade, 'URL').fill('ftp://pagina');
    await novaFuncionalidade.getByRole('button', { name: 'Cadastrar' }).click();
    expect(await field(novaFuncionalidade, 'URL').getAttribute('aria-invalid')).toBe('true');
    await field(novaFuncionalidade, 'URL').fill(`${sim.url}/webview/boas-vindas?instanciaApp=1`);
    await novaFuncionalidade.getByRole('button', { name: 'Cadastrar' }).click();
    await novaFuncionalidade.waitFor({ state: 'hidden' });
    await visible(page.getByRole('row', { name: /Boas-vindas/ }));
    const [funcionalidade] = await t.services.funcionalidades.list(clienteId, 1);
    expect(funcionalidade?.nome).toBe('Boas-vindas');
    await page.getByRole('button', { name: 'Ações da funcionalidade Boas-vindas' }).click();
    await page.getByRole('menuitem', { name: 'Editar' }).click();
    const editarFuncionalidade = page.getByRole('dialog');
    await visible(editarFuncionalidade.getByText(funcionalidade!.chave));
    await field(editarFuncionalidade, 'URL').fill(`${sim.url}/webview/boas-vindas?instanciaApp=1&chaveFuncionalidade=${funcionalidade!.chave}`);
    await editarFuncionalidade.getByRole('button', { name: 'Salvar' }).click();
    await editarFuncionalidade.waitFor({ state: 'hidden' });
    await shot(page, '15-funcionalidades');

    // Formulários: the defaults per method, and the editor's live preview of one.
    await goTo(page, 'Formulários');
    await visible(page.getByRole('table', { name: 'Formulários de Login' }));
    await shot(page, '16-formularios');

    // The demo app, phone-sized, against the App API of this cliente's Sandbox.
    const appId = (await t.services.clientes.get(clienteId))!.instancias.find((i) => i.numero === 1)!.appId;
    const phone = await browser!.newContext({ viewport: { width: 390, height: 844 }, locale: 'pt-BR', timezoneId: 'America/Sao_Paulo' });
    const app = await phone.newPage();
    app.setDefaultTimeout(15_000);
    app.on('pageerror', (error) => pageErrors.push(`demo: ${error.message}`));
    const input = (nome: string) => app.locator(`input[name="${nome}"]`);
    await app.goto(`${base}/demo?app=${appId}`);
    await input('login').fill(ana.cpf);
    await input('senha').fill(ana.senha);
    await shot(app, '20-demo-login');
    await app.getByRole('button', { name: 'Entrar' }).click();
    await visible(app.getByText(`Olá, ${ana.nome.split(' ')[0]}!`));
    await shot(app, '21-demo-home');
    // Opening the funcionalidade: the operator's page, in the WebView, greets the user by name
    // with what its backend got from /clientes/chavePasse/usuario.
    await app.getByRole('button', { name: 'Abrir Boas-vindas' }).click();
    await visible(app.frameLocator('iframe').getByText(`Olá, ${ana.nome}!`), 20_000);
    // Like a real app's WebView, the frame lets the operator's page use the Clipboard API ("copiar" buttons).
    expect(await app.locator('iframe').getAttribute('allow')).toBe('clipboard-write');
    await shot(app, '22-demo-webview');
    await app.getByRole('button', { name: 'Voltar' }).click();
    await app.getByRole('button', { name: 'Sair' }).click();

    // Esqueci minha senha: contacts only obfuscated; the code comes from the development outbox,
    // read in the painel's Caixa de saída.
    await app.getByRole('button', { name: 'Esqueci minha senha' }).click();
    await input('cpf').fill(ana.cpf);
    const [ano, mes, dia] = ana.dataNascimento.split('-');
    await input('dataNascimento').fill(`${dia}${mes}${ano}`);
    await app.getByRole('button', { name: 'Continuar' }).click();
    await visible(app.getByText('Para onde enviar o código?'));
    const contatos = await app.locator('[role="radio"], input[type="radio"]').count();
    expect(contatos).toBeGreaterThan(0);
    expect(await app.content()).not.toContain(ana.email);
    expect(await app.content()).not.toContain(ana.celular);
    await shot(app, '23-demo-recuperar-contatos');
    await app.locator('[role="radio"], input[type="radio"]').first().click({ force: true });
    await app.getByRole('button', { name: 'Enviar código' }).click();
    await visible(app.getByText('Digite o código'));
    await goTo(page, 'Caixa de saída (dev)');
    await visible(page.getByRole('table', { name: 'Mensagens da caixa de saída' }));
    const codigo = (await (await visible(page.getByTestId('codigo'))).textContent())?.trim();
    expect(codigo).toMatch(/^\d{6}$/);
    await shot(page, '17-caixa-de-saida');
    await app.locator('input[inputmode="numeric"]').first().click();
    await app.keyboard.type(codigo!);
    await app.getByRole('button', { name: 'Confirmar código' }).click();
    await visible(app.getByText('Crie uma nova senha'));
    // One new-senha policy in both forms: at least 6 characters, typed twice (checked by Ponte, never sent).
    await input('novaSenha').fill('ana-nova-senha-1');
    await input('confirmacaoNovaSenha').fill('ana-nova-senha-2');
    await app.getByRole('button', { name: 'Salvar nova senha' }).click();
    await visible(app.getByText('As senhas não conferem: digite em "Confirme a nova senha" a mesma senha de "Nova senha".'));
    await input('confirmacaoNovaSenha').fill('ana-nova-senha-1');
    await app.getByRole('button', { name: 'Salvar nova senha' }).click();
    await visible(app.getByText('Entre com a sua nova senha.'));
    await input('login').fill(ana.cpf);
    await input('senha').fill('ana-nova-senha-1');
    await app.getByRole('button', { name: 'Entrar' }).click();
    await visible(app.getByText(`Olá, ${ana.nome.split(' ')[0]}!`));
    // Trocar senha, logged in: the operator checks the current one.
    await app.getByRole('button', { name: 'Trocar senha' }).click();
    await input('senhaAtual').fill('ana-nova-senha-1');
    await input('novaSenha').fill(ana.senha);
    await input('confirmacaoNovaSenha').fill(ana.senha);
    await app.getByRole('button', { name: 'Salvar nova senha' }).click();
    await visible(app.getByText('Senha alterada'));
    await phone.close();

    // Central de logs again: the app's calls are there, beside the painel's.
    await goTo(page, 'Central de logs');
    const operacoesDoApp = async () => page.getByRole('table', { name: 'Chamadas à operadora' }).locator('tbody tr td:nth-child(3)').allTextContents();
    for (let attempt = 0; attempt < 40 && !(await operacoesDoApp()).includes('Recuperar senha — nova senha'); attempt += 1) {
      await page.waitForTimeout(250);
      await page.getByRole('button', { name: 'Atualizar' }).click();
    }
    const todas = await operacoesDoApp();
    expect(todas.filter((o) => o === 'Login')).toHaveLength(4);
    expect(todas).toContain('Recuperar senha — identificação');
    expect(todas).toContain('Recuperar senha — nova senha');
    await shot(page, '18-logs-com-app');

    // Painel inicial with those calls as charts.
    await goTo(page, 'Painel inicial');
    await visible(page.getByText('Volume de chamadas'));
    await shot(page, '19-inicio');

    // Origens and auditoria: one origin added; the audit shows who changed what, secrets masked.
    await goTo(page, 'Origens');
    await field(page, 'Nova origem').fill('https://app.operadora-navegador.com.br');
    await page.getByRole('button', { name: 'Adicionar' }).click();
    await visible(page.getByRole('cell', { name: 'https://app.operadora-navegador.com.br' }));
    await shot(page, '12-origens');
    await goTo(page, 'Auditoria');
    await visible(page.getByText('Integração criada'));
    await page.getByRole('button', { name: 'Ver antes e depois' }).nth(2).click();
    const auditoria = await page.getByRole('table', { name: 'Eventos de auditoria' }).textContent();
    expect(auditoria).toContain(email);
    expect(auditoria).not.toContain('segredo-da-operadora');
    await shot(page, '13-auditoria');

    // Copiar para Produção: the diff is shown, and a Sandbox on http://127.0.0.1 cannot go to Produção.
    await goTo(page, 'Integração');
    await page.getByRole('button', { name: 'Copiar para Produção' }).click();
    await visible(page.getByRole('table', { name: 'Diferenças entre Sandbox e Produção' }));
    await visible(page.getByText('A cópia está bloqueada'));
    await shot(page, '24-copia-para-producao');
    await page.keyboard.press('Escape');

    // Usuários: the admin invites a leitor — e-mail and papel only, no password (the next test
    // accepts the invitation as that person).
    await goTo(page, 'Usuários');
    await page.getByRole('button', { name: 'Convidar', exact: true }).click();
    const convite = page.getByRole('dialog');
    await field(convite, 'E-mail').fill(leitorEmail);
    // No `force`: a forced click during the modal's opening transition can land beside the radio
    // (CI saw "Clicking the checkbox did not change its state"); check() waits until it is stable.
    await convite.getByRole('radio', { name: /^Leitor/ }).check();
    expect(await convite.getByLabel(/senha/i).count()).toBe(0);
    await shot(page, '25a-convidar');
    await convite.getByRole('button', { name: 'Enviar convite' }).click();
    const linhaDoConvite = page.getByRole('table', { name: 'Usuários do cliente' }).getByRole('row', { name: leitorEmail });
    await visible(linhaDoConvite.getByText('Convite pendente'));
    await visible(linhaDoConvite.getByRole('button', { name: `Reenviar o convite para ${leitorEmail}` }));
    await shot(page, '25-usuarios');

    expect(pageErrors).toEqual([]);
  });

  it('the invited leitor accepts, sees the configuration without any way to change it, changes and resets the password', { timeout: 90_000 }, async () => {
    const leitor = leitorEmail;
    const clienteId = (await t.services.clientes.list({})).find((c) => c.nome === 'Operadora Navegador')!.id;
    /** The token of the newest link of this kind e-mailed to the leitor (development outbox). */
    const linkDo = async (pagina: 'convite' | 'redefinir-senha') => {
      await t.services.users.settle();
      const { itens } = await t.services.caixaDeSaida.listar({ clienteId, instancia: 1, pagina: 1, porPagina: 50 });
      const texto = itens.find((m) => m.destino === leitor && m.texto.includes(`/painel/${pagina}#`))?.texto ?? '';
      const token = new RegExp(`/painel/${pagina}#([A-Za-z0-9_-]+)`).exec(texto)?.[1];
      if (!token) throw new Error(`no ${pagina} link for ${leitor} in the outbox`);
      return token;
    };
    const own = await browser!.newContext({ viewport: { width: 1280, height: 800 }, locale: 'pt-BR' });
    const view = await own.newPage();

    // The invitation link: the person chooses their own name and password, and is in.
    await view.goto(`${base}/painel/convite#${await linkDo('convite')}`);
    await visible(view.getByRole('heading', { name: 'Convite para Operadora Navegador' }));
    await visible(view.getByText('Só consulta: configuração, logs e auditoria.'));
    await field(view, 'Seu nome').fill('Lia Leitora');
    await field(view, 'Senha').fill(TEST_PASSWORD);
    await field(view, 'Confirme a senha').fill('outra-coisa-123');
    await view.getByRole('button', { name: 'Criar conta e entrar' }).click();
    await visible(view.getByText('As senhas não são iguais.'));
    await field(view, 'Confirme a senha').fill(TEST_PASSWORD);
    await shot(view, '26-convite');
    await view.getByRole('button', { name: 'Criar conta e entrar' }).click();
    await visible(view.getByRole('heading', { name: 'Painel inicial', exact: true }));
    // Admin-only sections are not offered to a leitor.
    expect(await view.getByRole('navigation', { name: 'Seções do painel' }).getByRole('link', { name: 'Usuários' }).count()).toBe(0);
    await goTo(view, 'Integração');
    await visible(view.getByText('Seu papel permite apenas consultar a integração.'));
    // Read-only, as text at full contrast (not a greyed-out disabled input).
    expect(await field(view, 'URL base').isEditable()).toBe(false);
    expect(await view.getByRole('button', { name: 'Salvar integração' }).isDisabled()).toBe(true);
    await goTo(view, 'APIs (tokens do cliente)');
    await visible(view.getByRole('row', { name: /Backend das funcionalidades/ }));
    expect(await view.getByRole('button', { name: 'Novo token' }).isDisabled()).toBe(true);
    expect(await view.getByRole('button', { name: /Revogar o token/ }).count()).toBe(0);
    await goTo(view, 'Grupos de autorização');
    await visible(view.getByRole('row', { name: /Grupo do simulador/ }));
    expect(await view.getByRole('button', { name: 'Novo grupo' }).isDisabled()).toBe(true);
    expect(await view.getByRole('button', { name: 'Renovar agora' }).isDisabled()).toBe(true);
    await goTo(view, 'Validador de integração');
    expect(await (await visible(view.getByRole('button', { name: 'Executar' }))).isDisabled()).toBe(true);
    await shot(view, '14-leitor-validador');
    await goTo(view, 'Funcionalidades');
    await visible(view.getByRole('row', { name: /Boas-vindas/ }));
    expect(await view.getByRole('button', { name: 'Nova funcionalidade' }).isDisabled()).toBe(true);

    // Minha conta → trocar senha: the current one is required.
    await view.getByRole('button', { name: 'Conta de Lia Leitora' }).click();
    await view.getByRole('menuitem', { name: 'Minha conta' }).click();
    await visible(view.getByRole('heading', { name: 'Minha conta' }));
    await field(view, 'Senha atual').fill('nao-e-a-senha-1');
    await field(view, 'Nova senha').fill('lia-nova-senha-2');
    await field(view, 'Confirme a nova senha').fill('lia-nova-senha-2');
    await view.getByRole('button', { name: 'Trocar senha' }).click();
    await visible(view.getByText('A senha atual não confere.'));
    await field(view, 'Senha atual').fill(TEST_PASSWORD);
    await shot(view, '27-minha-conta');
    await view.getByRole('button', { name: 'Trocar senha' }).click();
    await visible(view.getByText('Senha alterada'));

    // Esqueci minha senha: the link comes by e-mail (development outbox); the new password logs in.
    await view.getByRole('button', { name: 'Conta de Lia Leitora' }).click();
    await view.getByRole('menuitem', { name: 'Sair' }).click();
    await view.waitForURL(/\/painel\/login$/);
    await view.getByRole('link', { name: 'Esqueci minha senha' }).click();
    await field(view, 'E-mail').fill(leitor);
    await view.getByRole('button', { name: 'Enviar link' }).click();
    await visible(view.getByRole('heading', { name: 'Verifique o seu e-mail' }));
    await shot(view, '28-esqueci-senha');
    await view.goto(`${base}/painel/redefinir-senha#${await linkDo('redefinir-senha')}`);
    await field(view, 'Nova senha').fill('lia-senha-final-3');
    await field(view, 'Confirme a nova senha').fill('lia-senha-final-3');
    await view.getByRole('button', { name: 'Salvar nova senha' }).click();
    await visible(view.getByText('Senha alterada. Entre com a nova senha.'));
    await field(view, 'E-mail').fill(leitor);
    await field(view, 'Senha').fill('lia-senha-final-3');
    await view.getByRole('button', { name: 'Entrar' }).click();
    await visible(view.getByRole('heading', { name: 'Painel inicial', exact: true }));
    await own.close();
  });
});
