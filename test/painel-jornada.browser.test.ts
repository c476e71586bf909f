import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Browser, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedPeople } from '../src/simulator/seed-data.ts';
import { createOperatorSimulator, FAULT_HEADER, type OperatorSimulator } from '../src/simulator/simulator.ts';
import { launchChromium, runBrowserTests, warnIfSkipped } from './support/browser.ts';
import { loginThroughPainel, openPainelContext } from './support/painel-browser.ts';
import { axeSerious, field, goTo, settled, visible, type AxeFinding } from './support/painel-page.ts';
import { loginAs } from './support/fixtures.ts';
import { startSmtpStandIn } from './support/smtp-server.ts';
import { createTestApp, type TestApp } from './support/test-app.ts';

/**
 * The operator developer's journey through the screens issues 13 and 14 added, in a real browser
 * (setup as in painel.browser.test.ts): the validador green on every method against the operator
 * simulator (nova senha and trocar senha through a chained test login) and a fault's own verdict;
 * "Enviar mensagem de teste" through the cliente's own SMTP server (a local `smtp-server`) and the
 * SMS template's 160-character warning; the auditoria with instância, names and filters in the
 * address; the reason of an inbound 403 in the central de logs. Each of those screens, in the state
 * the journey leaves it (a result, an expanded diff, a warning), is checked with axe-core (zero
 * serious or critical violations) and photographed in light and dark mode under
 * test-results/painel/jornada-*.png (painel-navegacao.browser.test.ts covers the screens at rest).
 * Needs `npm run build:painel`.
 */

warnIfSkipped('the painel journey browser test');
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SHOTS = `${ROOT}test-results/painel`;
const bruno = seedPeople[1]!;
const REMETENTE = 'codigos@operadora-jornada.test';

/** Picks `option` in the Mantine select labelled `label`. */
async function choose(page: Page, label: string, option: string): Promise<void> {
  await field(page, label).click();
  await (await visible(page.getByRole('option', { name: option, exact: true }))).click();
}

/** The screen as it is now, in light and in dark mode: axe findings and sideways overflow (keyed by screen and mode), and a full-page screenshot of each. */
async function checkScreen(page: Page, nome: string): Promise<Record<string, AxeFinding[]>> {
  const findings: Record<string, AxeFinding[]> = {};
  for (const esquema of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: esquema });
    await expect.poll(() => page.locator('html').getAttribute('data-mantine-color-scheme')).toBe(esquema);
    await settled(page, { toasts: true });
    // Colours change through CSS transitions: measure the end state, not a frame halfway.
    await page.evaluate('Promise.all(document.getAnimations().map((a) => a.finished.catch(() => undefined)))');
    const found = await axeSerious(page);
    // A screen wider than the window scrolls sideways at 1280 px: reported like a violation.
    const sobra = (await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth')) as number;
    if (sobra > 0) found.push({ id: 'horizontal-overflow', impact: 'serious', help: `${sobra}px wider than the window`, nodes: [] });
    if (found.length > 0) findings[`${nome} (${esquema})`] = found;
    await page.screenshot({ path: `${SHOTS}/jornada-${nome}-${esquema}.png`, fullPage: true });
  }
  await page.emulateMedia({ colorScheme: 'light' });
  return findings;
}

describe.runIf(runBrowserTests)('painel journey in headless Chromium: validador on every method, envio de mensagens, auditoria, inbound refusals, accessibility', () => {
  let t: TestApp;
  let sim: OperatorSimulator;
  let smtp: Awaited<ReturnType<typeof startSmtpStandIn>>;
  let browser: Browser | undefined;
  let page: Page;
  let base: string;
  let clienteId: string;
  let admin: Awaited<ReturnType<typeof loginAs>>;
  let pageErrors: string[];

  /** Runs the validador's current method and waits for this verdict and classification. */
  async function executar(botao: string, veredito: 'Aprovado' | 'Reprovado', classificacao: string): Promise<string> {
    await page.getByRole('button', { name: botao, exact: true }).click();
    const resultado = await visible(page.getByTestId('resultado-validador'), 30_000);
    await expect.poll(async () => [await page.getByTestId('veredito').textContent(), await page.getByTestId('classificacao').textContent()], { timeout: 30_000 }).toEqual([veredito, classificacao]);
    return (await resultado.textContent()) ?? '';
  }

  beforeAll(async () => {
    if (!existsSync(`${ROOT}painel/dist/index.html`)) throw new Error('painel/dist is missing: run npm run build:painel first.');
    mkdirSync(SHOTS, { recursive: true });
    sim = await createOperatorSimulator({ port: 0, host: '127.0.0.1' });
    smtp = await startSmtpStandIn({ user: 'operadora', pass: 'smtp-da-operadora' });
    t = await createTestApp();
    clienteId = (await t.services.clientes.create({ nome: 'Operadora Jornada' })).id;
    admin = await loginAs(t, { platformAdmin: true });

    // Grupo and integração of the Sandbox, through the painel's API (their screens have their own journey).
    const api = (method: 'POST' | 'PUT', path: string, payload: object) =>
      t.app.inject({ method, url: `/painel/api/clientes/${clienteId}/instancias/1/${path}`, headers: admin.headers, payload });
    const grupo = await api('POST', 'grupos', { nome: 'Grupo do simulador', url: `${sim.url}/autorizacao`, usuario: 'demo', senha: 'demo' });
    expect(grupo.statusCode, grupo.body).toBe(201);
    const integracao = await api('PUT', 'integracao', { baseUrl: sim.url, grupoId: grupo.json().id, metodos: {}, headers: [] });
    expect(integracao.statusCode, integracao.body).toBe(200);

    base = await t.app.listen({ port: 0, host: '127.0.0.1' });
    browser = await launchChromium();
    // bypassCSP: axe-core is injected as a script the painel's CSP (script-src 'self') would refuse.
    ({ page, pageErrors } = await openPainelContext(browser, base, { bypassCSP: true }));
    await loginThroughPainel(page, base, { email: admin.email, startAt: `/painel/${clienteId}/sandbox/validador` });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await smtp?.close();
    await sim?.close();
  });

  it('validador: every method passes against the simulator (nova senha and trocar senha through a test login); faults get their own verdict', { timeout: 120_000 }, async () => {
    await visible(page.getByTestId('contrato').getByText('Contrato — Login'));

    await choose(page, 'Método', 'Grupo de autorização');
    await executar('Executar', 'Aprovado', 'Segue o contrato');

    await choose(page, 'Método', 'Login');
    await field(page, 'CPF ou matrícula (login)').fill(bruno.cpf);
    await field(page, 'Senha (senha)').fill(bruno.senha);
    await executar('Executar', 'Aprovado', 'Segue o contrato');

    await choose(page, 'Método', 'Recuperar senha — identificação');
    await field(page, 'CPF (cpf)').fill(bruno.cpf);
    await field(page, 'Data de nascimento (dataNascimento)').fill(bruno.dataNascimento);
    await executar('Executar', 'Aprovado', 'Segue o contrato');

    // Nova senha: an identificação de teste first, its seguranca reused; chaveUnica and integracao leave the form.
    await choose(page, 'Método', 'Recuperar senha — nova senha');
    expect(await page.getByRole('switch', { name: /Executar com identificação de teste/ }).isChecked()).toBe(true);
    expect(await field(page, 'chaveUnica').count()).toBe(0);
    await field(page, 'CPF (cpf)').fill(bruno.cpf);
    await field(page, 'Data de nascimento (dataNascimento)').fill(bruno.dataNascimento);
    await field(page, 'Nova senha (novaSenha)').fill(bruno.senha);
    const novaSenha = await executar('Executar com identificação de teste', 'Aprovado', 'Segue o contrato');
    expect(novaSenha).toContain('Passo 1 · Recuperar senha — identificação de teste');
    expect(novaSenha).toContain('x-recuperacao-token · do login de teste');

    // Trocar senha: a login de teste first.
    await choose(page, 'Método', 'Trocar senha');
    await field(page, 'CPF ou matrícula (login)').fill(bruno.cpf);
    await field(page, 'Senha (senha)').fill(bruno.senha);
    await field(page, 'Senha atual (senhaAtual)').fill(bruno.senha);
    await field(page, 'Nova senha (novaSenha)').fill(bruno.senha);
    const trocar = await executar('Executar com login de teste', 'Aprovado', 'Segue o contrato');
    expect(trocar).toContain('Passo 1 · Login de teste');
    expect(trocar).toContain('x-sessao-operadora · do login de teste');

    // Elegibilidade: no password, the person's chave única (as chaveAuth sends it) — no login first.
    await choose(page, 'Método', 'Elegibilidade');
    expect(await page.getByRole('switch', { name: /de teste/ }).count()).toBe(0);
    await field(page, 'chaveUnica').fill(bruno.cpf);
    await executar('Executar', 'Aprovado', 'Segue o contrato');
    expect(Object.fromEntries(Object.entries(sim.calls()).map(([m, c]) => [m, c.count > 0]))).toEqual({
      autorizacao: true, login: true, recuperarSenhaIdentificacao: true, recuperarSenhaNovaSenha: true, trocarSenha: true, elegibilidade: true,
    });

    // The operator crashes (5xx): its own verdict, not a generic refusal.
    await choose(page, 'Método', 'Login');
    await field(page, 'CPF ou matrícula (login)').fill(bruno.cpf);
    await field(page, 'Senha (senha)').fill(bruno.senha);
    sim.setFault('status-500', { methods: ['login'] });
    await executar('Executar', 'Reprovado', 'Erro da operadora (5xx)');
    sim.setFault(null);
    // A redirect asked for through an extra header: not followed, its Location shown.
    await page.getByRole('button', { name: 'Adicionar header' }).click();
    await field(page, 'Nome do header extra 1').fill(FAULT_HEADER);
    await page.getByLabel('Valor do header extra 1').fill('redirect:https://outra.example/login');
    const redirect = await executar('Executar', 'Reprovado', 'Redirecionamento não seguido');
    expect(redirect).toContain('Location (não seguido): https://outra.example/login');
    expect(redirect).toContain(`${FAULT_HEADER} · extra`);
    await page.getByRole('button', { name: 'Remover o header extra 1' }).click();
    // A negative test: a refusal that follows the contract passes.
    await field(page, 'Senha (senha)').fill('senha-errada');
    await page.getByRole('radiogroup', { name: 'O que o teste espera' }).getByText('Espera recusa (teste negativo)').click();
    await executar('Executar', 'Aprovado', 'Recusa conforme o contrato');
    await page.getByRole('radiogroup', { name: 'O que o teste espera' }).getByText('Espera sucesso').click();
    // A broken answer: the violation table, and the contract row marked (the state axe checks).
    sim.setFault('missing-mandatory', { methods: ['login'] });
    await field(page, 'Senha (senha)').fill(bruno.senha);
    await executar('Executar', 'Reprovado', 'Violação de contrato');
    sim.setFault(null);
    await visible(page.getByRole('table', { name: 'Violações do contrato' }));

    expect(await checkScreen(page, 'validador')).toEqual({});
    expect(pageErrors).toEqual([]);
  });

  it('envio de mensagens: the SMS template warns past 160 characters; "Enviar mensagem de teste" reaches the cliente’s own SMTP server with its sender', { timeout: 120_000 }, async () => {
    await goTo(page, 'Envio de mensagens');
    await visible(page.getByRole('heading', { name: 'Envio de mensagens', exact: true }));

    // The SMS counter: over one segment, the warning; the default text is back within it.
    await field(page, 'SMS').fill(`{{app}}: seu codigo e {{codigo}}. ${'Nao compartilhe este codigo com ninguem. '.repeat(4)}`);
    await visible(page.getByText(/^Passa de 160 caracteres: o SMS chegaria dividido em 2 partes/));
    await visible(page.getByText(/\/160 caracteres · GSM-7 · 2 segmentos/));
    const excedido = await checkScreen(page, 'envio-mensagens-sms-longo');
    await page.getByRole('button', { name: 'Restaurar textos padrão' }).click();
    await visible(page.getByText(/\/160 caracteres · GSM-7 · 1 segmento$/));
    expect(await page.getByText(/^Passa de 160 caracteres/).count()).toBe(0);

    // The cliente's sender and own SMTP server, saved.
    await field(page, 'Nome do remetente').fill('Operadora Jornada Saúde');
    await field(page, 'Endereço do remetente').fill(REMETENTE);
    await page.getByLabel('Servidor SMTP próprio (opcional)').fill(smtp.url);
    await page.getByRole('button', { name: 'Salvar', exact: true }).click();
    await visible(page.getByText('Configuração de envio salva.'));
    await visible(page.getByText('Servidor SMTP próprio', { exact: true }));
    expect(await page.content()).not.toContain('smtp-da-operadora');

    // "Enviar mensagem de teste" by e-mail: the UI says it was delivered, and the stand-in has it.
    await visible(page.getByRole('heading', { name: 'Enviar mensagem de teste' }));
    await page.getByRole('radiogroup', { name: 'Canal do teste' }).getByText('E-mail', { exact: true }).click();
    await field(page, 'E-mail de destino').fill('dev@operadora-jornada.test');
    await page.getByRole('button', { name: 'Enviar teste', exact: true }).click();
    const entregue = await visible(page.getByRole('status').filter({ hasText: 'Mensagem entregue ao provedor' }), 30_000);
    expect(await entregue.textContent()).toMatch(/Enviada para d\*+@o\*+\.test via servidor SMTP próprio em \d+ ms/);
    expect(smtp.received).toHaveLength(1);
    const [mail] = smtp.received;
    expect(mail).toMatchObject({ from: REMETENTE, to: ['dev@operadora-jornada.test'], user: 'operadora' });
    expect(mail!.raw.replace(/\r?\n[ \t]+/g, ' ')).toMatch(/^From: =\?UTF-8\?Q\?Operadora_Jornada_Sa=C3=BAde\?= <codigos@operadora-jornada\.test>/m);
    expect(mail!.raw).toContain('123456');

    expect({ ...excedido, ...(await checkScreen(page, 'envio-mensagens')) }).toEqual({});
    expect(pageErrors).toEqual([]);
  });

  it('auditoria: a change made in Sandbox shows its instância and names, and the filters narrow the list from the address', { timeout: 120_000 }, async () => {
    // A funcionalidade created in the painel, on the simulator's sample page (its key filled in by itself).
    await goTo(page, 'Funcionalidades');
    await page.getByRole('button', { name: 'Nova funcionalidade' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: /Usar a página de exemplo do simulador/ }).click();
    await dialog.getByRole('button', { name: 'Cadastrar' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await visible(page.getByRole('row', { name: /Boas-vindas/ }));

    await goTo(page, 'Auditoria');
    const tabela = page.getByRole('table', { name: 'Eventos de auditoria' });
    const criada = await visible(tabela.getByRole('row', { name: /Funcionalidade criada/ }));
    expect(await criada.textContent()).toMatch(/Sandbox.*Funcionalidade criada.*Funcionalidade Boas-vindas/);
    const grupo = await visible(tabela.getByRole('row', { name: /Grupo criado/ }));
    expect(await grupo.textContent()).toMatch(/Sandbox.*Grupo criado.*Grupo de autorização Grupo do simulador/);
    // The integração's grupo is a name, not a bare grp_… id, in the before-and-after.
    const integracao = tabela.getByRole('row', { name: /Integração criada/ });
    await integracao.getByRole('button', { name: 'Ver antes e depois' }).click();
    const antesDepois = await visible(page.getByRole('table', { name: 'Antes e depois' }));
    expect(await antesDepois.getByRole('row', { name: /^Grupo de autorização/ }).textContent()).toMatch(/Grupo do simulador \(grp_/);
    // The envio de mensagens saved and tested before: labelled, and in its instância (not "cliente todo").
    for (const acao of ['Envio de mensagens alterado', 'Mensagem de teste enviada']) {
      expect(await (await visible(tabela.getByRole('row', { name: new RegExp(acao) }))).textContent()).toMatch(new RegExp(`Sandbox${acao}Envio de mensagens`));
    }
    expect(await tabela.textContent()).not.toMatch(/envio-mensagens\.|grupo\.criado/);
    expect(await checkScreen(page, 'auditoria')).toEqual({});

    // Filters: by ação, then instância; both in the address, and a reload keeps them.
    await choose(page, 'Ação', 'Envio de mensagens');
    await expect.poll(() => new URL(page.url()).searchParams.get('acao')).toBe('envio-mensagens.');
    await expect.poll(() => tabela.locator('tbody > tr').count()).toBe(2);
    expect(await tabela.textContent()).not.toMatch(/Grupo criado|Funcionalidade criada/);
    await choose(page, 'Instância', 'Produção');
    await expect.poll(() => new URL(page.url()).searchParams.get('instancia')).toBe('2');
    await visible(page.getByRole('heading', { name: 'Nenhum evento com estes filtros' }));
    await page.reload();
    await visible(page.getByRole('heading', { name: 'Nenhum evento com estes filtros' }));
    expect(await field(page, 'Ação').inputValue()).toBe('Envio de mensagens');
    await page.getByRole('button', { name: 'Limpar filtros' }).first().click();
    await visible(tabela.getByRole('row', { name: /Grupo criado/ }));
    expect(new URL(page.url()).search).toBe('');
    expect(pageErrors).toEqual([]);
  });

  it('central de logs: an operator call refused with 403 shows the reason (token sem a API) that the answer itself never says', { timeout: 120_000 }, async () => {
    const token = await t.services.tokens.create({ clienteId, apis: ['seguranca'], descricao: 'Backend sem chave passe', actor: { userId: null, label: 'teste' } });
    const query = 'instanciaApp=1&chavePasse=chave-qualquer&chaveFuncionalidade=00000000-0000-4000-8000-000000000000';
    const response = await fetch(`${base}/clientes/chavePasse/usuario?${query}`, { headers: { authorization: token.plaintext } });
    expect(response.status).toBe(403);
    expect(await response.text()).not.toContain('token_sem_api');
    await t.services.logWriter.flush();

    await goTo(page, 'Central de logs');
    await page.getByRole('radiogroup', { name: 'Sentido' }).getByText('Operadora → Ponte').click();
    await expect.poll(() => new URL(page.url()).searchParams.get('direcao')).toBe('entrada');
    const verChamada = page.getByRole('button', { name: /^Ver a chamada Chave passe — usuário/ });
    const linha = await visible(page.getByRole('row').filter({ has: verChamada }));
    expect(await linha.textContent()).toContain('403');
    expect(await linha.getByTestId('motivo-recusa').textContent()).toContain('não tem a API chamada');
    await choose(page, 'Motivo da recusa', 'Token sem a API');
    await expect.poll(() => new URL(page.url()).searchParams.get('motivo')).toBe('token_sem_api');
    await visible(verChamada);
    expect(await checkScreen(page, 'logs-entrada')).toEqual({});

    await verChamada.first().focus();
    await page.keyboard.press('Enter');
    const motivo = await visible(page.getByTestId('motivo-detalhe'));
    expect(await page.getByTestId('detalhe-log').textContent()).toMatch(/^Chave passe — usuárioRecusado pela Ponte403/);
    expect(await motivo.textContent()).toContain('não tem a API chamada');
    expect(await page.getByTestId('detalhe-log').textContent()).not.toContain(token.plaintext);
    expect(await checkScreen(page, 'logs-detalhe')).toEqual({});
    await page.keyboard.press('Escape');
    expect(pageErrors).toEqual([]);
  });
});
