import { createRequire } from 'node:module';
import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';

/** Steps the painel's browser tests share: locating, navigating, waiting for data, axe-core. */

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

export async function visible(locator: Locator, timeout = 15_000): Promise<Locator> {
  await locator.first().waitFor({ state: 'visible', timeout });
  return locator.first();
}

/** A text input by its label, with or without the required-field asterisk. */
export function field(scope: Page | Locator, label: string): Locator {
  const escaped = label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return scope.getByRole('textbox', { name: new RegExp(`^${escaped}( \\*)?$`) });
}

/** Opens a section from the painel's sidebar. */
export async function goTo(page: Page, section: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Seções do painel' }).getByRole('link', { name: section, exact: true }).click();
}

/** Until skeletons and loaders are gone (the screen's data arrived) — and toasts too, with `toasts`. */
export async function settled(page: Page, options: { toasts?: boolean } = {}): Promise<void> {
  const selector = `.mantine-Skeleton-root, main .mantine-Loader-root${options.toasts ? ', .mantine-Notification-root' : ''}`;
  await expect.poll(() => page.locator(selector).count(), { timeout: 15_000 }).toBe(0);
}

export type AxeFinding = { id: string; impact: string; help: string; nodes: string[] };

/** axe-core in the page: the serious and critical WCAG 2.1 A/AA violations. */
export async function axeSerious(page: Page): Promise<AxeFinding[]> {
  if (!(await page.evaluate('typeof window.axe !== "undefined"'))) await page.addScriptTag({ path: AXE });
  return (await page.evaluate(`axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }).then((r) =>
    r.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 4).map((n) => n.target.join(' ') + ' — ' + (n.failureSummary || '').replace(/\\s+/g, ' ')) })))`)) as AxeFinding[];
}
