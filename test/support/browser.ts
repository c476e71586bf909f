import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/**
 * Debian's Chromium, driven by playwright-core: the only browser the tests use (nothing is
 * downloaded). CI installs it (.ci/run). Outside CI a machine without it skips the browser
 * tests with a loud warning; in CI (`CI` set) they fail instead.
 */
export const CHROMIUM = '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);
export const inCi = Boolean(process.env.CI);
/** Run the browser suite here: Chromium is present, or CI demands it (and the suite then fails). */
export const runBrowserTests = hasChromium || inCi;

/** Warns, once per file, that `what` is skipped on this machine. */
export function warnIfSkipped(what: string): void {
  if (runBrowserTests) return;
  const bar = '!'.repeat(78);
  console.warn(`\n${bar}\n!! ${CHROMIUM} not found: ${what} is SKIPPED.\n!! Install it (apt-get install -y chromium) to run it; in CI (CI set) it fails instead.\n${bar}\n`);
}

/** Launches headless Chromium with the project's flags; throws a clear message when it is missing. */
export async function launchChromium(): Promise<Browser> {
  if (!hasChromium) throw new Error(`${CHROMIUM} is missing: CI must install Debian's chromium (.ci/run) to run the browser tests.`);
  return chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
}
