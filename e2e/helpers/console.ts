// The merchant console's e2e set-up. The seeded `admin` must change its first password (LOG-3),
// which approvals.spec.ts tests; console specs run beside it, so each makes a merchant admin
// of its own: a person registered as an individual, then made a merchant admin in the database
// (the product has no screen that makes one, by design).
import { expect, type APIRequestContext, type Page } from '@playwright/test';

import { newPerson, registerByPost, type Person } from './app';
import { signIn, sqlite, waitHydrated } from './approvals';

/** A new merchant admin, signed in on `page`. */
export async function signInAsNewConsoleAdmin(page: Page, request: APIRequestContext, prefix = 'ops'): Promise<Person> {
  const admin = newPerson(prefix);
  await registerByPost(request, admin);
  sqlite(
    "db.execute('UPDATE users SET is_merchant_admin = 1 WHERE lower(username) = lower(?)', (args[0],))",
    admin.username,
  );
  await signIn(page, admin.username, admin.password);
  await expect(page).not.toHaveURL((url) => url.pathname === '/login');
  await waitHydrated(page);
  return admin;
}

/** The console's menu on the page. */
export const consoleNav = (page: Page) => page.getByRole('navigation', { name: 'Console' });

/** Screenshots at 390 and 1280 px (in test-results/), checking nothing scrolls sideways. */
export async function screenshots(page: Page, name: string): Promise<void> {
  for (const width of [390, 1280]) {
    await page.setViewportSize({ width, height: 900 });
    await page.screenshot({ path: `test-results/${name}-${width}.png`, fullPage: true });
    const sideways = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
    expect(sideways, `nothing scrolls sideways at ${width} px`).toBe(false);
  }
  await page.setViewportSize({ width: 1280, height: 720 });
}
