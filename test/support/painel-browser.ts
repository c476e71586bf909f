import type { Browser, BrowserContext, Page } from 'playwright-core';
import { TEST_PASSWORD } from './fixtures.ts';
import { field } from './painel-page.ts';

/** Opening the painel in Chromium: a pt-BR user's browser context, and the login form. */

export type PainelContextOptions = {
  /** 1280×800 unless given. */
  viewport?: { width: number; height: number };
  colorScheme?: 'light' | 'dark';
  /** Lets a test inject scripts (axe-core) the painel's CSP would refuse. */
  bypassCSP?: boolean;
  /** Grants clipboard read and write to `base`. */
  clipboard?: boolean;
  /** The page's default timeout; 15 s unless given. */
  defaultTimeout?: number;
};

/** A context in pt-BR and São Paulo time with one page; its uncaught errors land in `pageErrors`. */
export async function openPainelContext(browser: Browser, base: string, options: PainelContextOptions = {}): Promise<{ context: BrowserContext; page: Page; pageErrors: string[] }> {
  const context = await browser.newContext({
    viewport: options.viewport ?? { width: 1280, height: 800 },
    locale: 'pt-BR',
    timezoneId: 'America/Sao_Paulo',
    ...(options.colorScheme ? { colorScheme: options.colorScheme } : {}),
    ...(options.bypassCSP ? { bypassCSP: true } : {}),
  });
  if (options.clipboard) await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
  const page = await context.newPage();
  page.setDefaultTimeout(options.defaultTimeout ?? 15_000);
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  return { context, page, pageErrors };
}

/** Opens `startAt` (a /painel/ path) logged out, logs in on the page it redirects to, and waits for `landAt` (`startAt` unless given). */
export async function loginThroughPainel(page: Page, base: string, login: { email: string; password?: string; startAt: string; landAt?: string }): Promise<void> {
  await page.goto(`${base}${login.startAt}`);
  await page.waitForURL(/\/painel\/login$/);
  await field(page, 'E-mail').fill(login.email);
  await field(page, 'Senha').fill(login.password ?? TEST_PASSWORD);
  await page.getByRole('button', { name: 'Entrar' }).click();
  await page.waitForURL(`${base}${login.landAt ?? login.startAt}`);
}
