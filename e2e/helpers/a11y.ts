// Axe on every page a test visits (DESIGN.md "Testing"): WCAG 2.0/2.1 A and AA, no violations.
import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';

const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/** Pages opened with JavaScript disabled (registered by the `page` fixture in ./test). */
const scriptless = new WeakSet<Page>();

export function markJavaScriptDisabled(page: Page): void {
  scriptless.add(page);
}

export function isJavaScriptDisabled(page: Page): boolean {
  return scriptless.has(page);
}

/**
 * Runs axe on the page as it is now and fails, listing each violation, if there is any.
 *
 * axe needs timers, which do not run in a page with JavaScript disabled; there it checks the
 * same HTML (with the page's own scripts removed and blocked, so nothing hydrates) in a
 * JavaScript-enabled page of its own, with the same URL and stylesheets.
 */
export async function expectAccessible(page: Page): Promise<void> {
  const url = page.url();
  const results = isJavaScriptDisabled(page) ? await analyzeCopy(page) : await analyze(page);
  const report = results.violations
    .map((v) => {
      const nodes = v.nodes
        .map((n) => `      ${n.target.join(' ')}\n        ${n.failureSummary?.replace(/\n/g, '\n        ')}`)
        .join('\n');
      return `  [${v.impact}] ${v.id}: ${v.help} (${v.helpUrl})\n${nodes}`;
    })
    .join('\n');
  expect(results.violations, `axe violations on ${url}:\n${report}`).toEqual([]);
}

function analyze(page: Page) {
  return new AxeBuilder({ page }).withTags(TAGS).analyze();
}

async function analyzeCopy(page: Page) {
  const url = page.url();
  const html = (await page.content()).replace(/<script\b[\s\S]*?<\/script>/gi, '');
  const browser = page.context().browser();
  if (!browser) throw new Error('expectAccessible: the page has no browser');
  const context = await browser.newContext({
    javaScriptEnabled: true,
    viewport: page.viewportSize(),
  });
  try {
    await context.route('**/*', async (route) => {
      const request = route.request();
      if (request.resourceType() === 'document' && request.url() === url) {
        await route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html });
      } else if (['script', 'fetch', 'xhr'].includes(request.resourceType()) || /\.wasm$/.test(request.url())) {
        await route.abort();
      } else {
        await route.continue();
      }
    });
    const copy = await context.newPage();
    await copy.goto(url);
    return await analyze(copy);
  } finally {
    await context.close();
  }
}
