import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';

/** Debian's chromium (installed by `npm test`); Playwright's own browser builds are never downloaded. */
export function chromiumPath(): string {
  const fromEnv = process.env.HEXMETA_TEST_CHROMIUM;
  if (fromEnv) return fromEnv;
  try {
    return execFileSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' }).trim();
  } catch {
    if (existsSync('/usr/bin/chromium')) return '/usr/bin/chromium';
    throw new Error('the Web UI tests need Debian\'s chromium (npm test installs it: apt-get install chromium)');
  }
}

/** Headless chromium; `--no-sandbox` because CI runs as root, where chromium refuses its sandbox. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath(), headless: true, args: ['--no-sandbox'] });
}

/**
 * A page that reaches this machine only: the Web UI also asks the internet for things (a news feed), which
 * a test has no business doing.
 */
export async function openLocalPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  await context.route('**/*', (route) => {
    const { hostname, protocol } = new URL(route.request().url());
    const local = hostname === '127.0.0.1' || hostname === 'localhost' || protocol === 'data:' || protocol === 'blob:';
    return local ? route.continue() : route.abort('blockedbyclient');
  });
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  return page;
}

/** Waits until `check` returns a value other than undefined, running `retry` (e.g. a reload) between tries. */
export async function eventually<T>(
  what: string,
  check: () => Promise<T | undefined>,
  options: { timeoutMs?: number; intervalMs?: number; retry?: () => Promise<unknown> } = {},
): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${lastError ? `: ${(lastError as Error).message}` : ''}`);
    await new Promise((r) => setTimeout(r, options.intervalMs ?? 500));
    await options.retry?.();
  }
}

/** The text a locator shows, or '' while it is not attached. */
export function textOf(locator: Locator): Promise<string> {
  return locator.innerText({ timeout: 1_000 }).catch(() => '');
}
