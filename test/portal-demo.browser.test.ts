import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../src/cli/serve.ts';
import { loadConfig } from '../src/platform/config.ts';
import { createBeneficiaryPortal, type BeneficiaryPortal } from '../src/simulator/portal.ts';
import { seedPeople } from '../src/simulator/seed-data.ts';
import { CHROMIUM, hasChromium, launchChromium, runBrowserTests, warnIfSkipped } from './support/browser.ts';

/**
 * The demo's portal do beneficiário in headless Chromium, started the way `npm start` starts it
 * (`serve --demo`: Ponte, the operator simulator, the portal and the demo seed, over a fresh data
 * folder): the banner's portal link opens the operator's page, a seeded person is picked, the
 * portal's backend gets a chaveAuth session, and the embedded Boas-vindas — the simulator's
 * WebView page, opened through Ponte's frame with a chave passe — greets that person by name. The
 * same portal on an origin the seed did not register gets Ponte's refusal and the portal's hint.
 */

warnIfSkipped('the portal do beneficiário browser test');
const carlos = seedPeople[1]!;

describe.runIf(runBrowserTests)('portal do beneficiário of the demo, in headless Chromium', () => {
  let dataDir = '';
  let server: { url: string; close(): Promise<void> } | undefined;
  let browser: Browser | undefined;
  let banner = '';
  let portalUrl = '';
  let ponte = '';
  let chaveFuncionalidade = '';

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'ponte-portal-demo-'));
    const config = loadConfig({ NODE_ENV: 'development', PORT: '0', PONTE_SIMULATOR_PORT: '0', HOST: '127.0.0.1', PONTE_DATA_DIR: dataDir, LOG_LEVEL: 'silent' });
    // The banner is how a person finds the portal: read it as they would (and keep it, secrets and
    // all, out of the test output).
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((chunk: string | Uint8Array) => {
      banner += chunk.toString();
      return true;
    }) as typeof process.stdout.write;
    try {
      server = await startServer(config, { demo: true });
    } finally {
      process.stdout.write = write;
    }
    portalUrl = /^ {2}Portal do beneficiário \(embutir\): (http:\/\/127\.0\.0\.1:\d+)\/ /m.exec(banner)?.[1] ?? '';
    ponte = `http://127.0.0.1:${new URL(server.url).port}`;
    if (hasChromium) browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it(`has Chromium at ${CHROMIUM}`, () => {
    expect(hasChromium, `${CHROMIUM} is missing: CI must install Debian's chromium`).toBe(true);
  });

  it('prints the portal’s address in the banner, on an origin of its own', () => {
    expect(portalUrl, banner).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(new URL(portalUrl).origin).not.toBe(new URL(ponte).origin);
    expect(banner).not.toContain(JSON.parse(readFileSync(join(dataDir, 'portal.json'), 'utf8')).token);
  });

  /** Console messages about the Content-Security-Policy, from the page and its frames. */
  const cspViolations = (page: Page) => {
    const found: string[] = [];
    page.on('console', (message) => {
      if (/Content.Security.Policy/i.test(message.text())) found.push(message.text());
    });
    return found;
  };

  it('picking a seeded person embeds Boas-vindas, which greets that person: chaveAuth → embed.js → chave passe → the operator’s page', async () => {
    const page = await browser!.newPage();
    const violations = cspViolations(page);
    try {
      await page.goto(`${portalUrl}/`);
      expect(await page.textContent('h1')).toBe('Entrar no portal');
      await page.selectOption('#cpf', carlos.cpf);
      await Promise.all([page.waitForURL(`${portalUrl}/entrar`), page.click('button[type="submit"]')]);

      const frame = await (await page.waitForSelector('#funcionalidade iframe', { timeout: 15_000 })).contentFrame();
      await frame!.waitForSelector('h1', { timeout: 15_000 });
      await expect.poll(() => frame!.textContent('h1'), { timeout: 15_000 }).toBe(`Olá, ${carlos.nome}!`);
      // The operator's WebView page at the simulator, opened with a chave passe, exactly as in the app.
      const opened = new URL(frame!.url());
      expect(opened.pathname).toBe('/webview/boas-vindas');
      expect(opened.origin).not.toBe(new URL(portalUrl).origin);
      expect(opened.searchParams.get('chavePasse')).toMatch(/^[A-Za-z0-9_-]{43}$/);
      // The token left the DOM once handed to the SDK; nothing went wrong on the way.
      expect(await page.getAttribute('#funcionalidade', 'data-token')).toBeNull();
      expect(await page.isHidden('#aviso')).toBe(true);
      expect(violations).toEqual([]);
      chaveFuncionalidade = (await page.getAttribute('#funcionalidade', 'data-chave')) ?? '';
    } finally {
      await page.close();
    }
  });

  it('the same portal on an origin not in Segurança → Origens: Ponte refuses to embed, and the page says what to do', async () => {
    expect(chaveFuncionalidade).not.toBe('');
    let other: BeneficiaryPortal | undefined;
    const page = await browser!.newPage();
    try {
      other = await createBeneficiaryPortal({ port: 0 });
      const { token } = JSON.parse(readFileSync(join(dataDir, 'portal.json'), 'utf8')) as { token: string };
      other.setPonte({ url: ponte, token, chaveFuncionalidade, instanciaApp: 1, funcionalidadeOrigin: ponte });
      await page.goto(`${other.url}/`);
      await page.selectOption('#cpf', carlos.cpf);
      await Promise.all([page.waitForURL(`${other.url}/entrar`), page.click('button[type="submit"]')]);
      await page.waitForSelector('body[data-erro="1"]', { timeout: 15_000 });
      expect(await page.textContent('[data-ponte-erro]')).toContain(`A origem ${other.url} não está autorizada a embutir funcionalidades`);
      expect(await page.textContent('#aviso')).toContain(`cadastre ${other.url} no painel, em Segurança → Origens`);
      expect(await page.$('#funcionalidade iframe')).toBeNull();
    } finally {
      await page.close();
      await other?.close();
    }
  });

  it('someone the operator does not know: the portal’s form says so in Portuguese', async () => {
    const page = await browser!.newPage();
    try {
      await page.goto(`${portalUrl}/`);
      await page.fill('#outro', '000.000.000-00');
      await Promise.all([page.waitForURL(`${portalUrl}/entrar`), page.click('button[type="submit"]')]);
      expect(await page.textContent('[data-portal-erro]')).toContain('A operadora não reconheceu o beneficiário: Beneficiário não encontrado');
      expect(await page.inputValue('#outro')).toBe('000.000.000-00');
    } finally {
      await page.close();
    }
  });
});
