// covers: PRO-3, PRO-7, ADM-9, SEC-5, REG-15
// A business user's accounts: the header shows the session's account and switches it, the
// Accounts page makes another one primary (with JavaScript and without), individuals are
// refused the page. Multi-customer access is in accounts-multi-customer.late.spec.ts.
import { expect, test, trackFormTakeover, type Page } from '../helpers/test';
import { expectAccessible } from '../helpers/a11y';
import { header, newPerson, registerByPost, type Person } from '../helpers/app';
import { newCompany, open, registerCompany, sqlite } from '../helpers/approvals';

/** A second account of the user's company, assigned to them (ADM-6's screen is not built yet). */
function assignSecondAccount(username: string, number: string): void {
  sqlite(
    `
u = db.execute("SELECT id, organization_id FROM users WHERE lower(username) = lower(?)", (args[0],)).fetchone()
db.execute("INSERT INTO accounts (id, account_number, person_id, organization_id, is_company_primary, status, created_at) VALUES (?, ?, NULL, ?, 0, 'active', 0)", (args[1], args[1], u[1]))
db.execute("INSERT INTO account_assignments (user_id, account_id, is_primary, created_at) VALUES (?, ?, 0, 9999999999999)", (u[0], args[1]))
`,
    username,
    number,
  );
}

function accountRow(page: Page, number: string) {
  return page.getByRole('main').getByRole('row').filter({ hasText: number });
}

async function registerCompanyUser(page: Page): Promise<{ primary: Person; first: string }> {
  const primary = newPerson('acct');
  await registerCompany(page, newCompany('Acct'), primary, expectAccessible);
  const first = sqlite(
    "print(db.execute(\"SELECT a.account_number FROM accounts a JOIN users u ON u.organization_id = a.organization_id WHERE lower(u.username) = lower(?)\", (args[0],)).fetchone()[0])",
    primary.username,
  ).trim();
  return { primary, first };
}

for (const javaScript of [true, false]) {
  test.describe(`accounts (JavaScript ${javaScript ? 'on' : 'off'})`, () => {
    test.use({ javaScriptEnabled: javaScript });

    test('switch the session account in the header, then make another account primary', async ({ page }) => {
      const { primary, first } = await registerCompanyUser(page);
      const second = `A-E2E${Date.now().toString(36).toUpperCase()}`;
      assignSecondAccount(primary.username, second);

      await open(page, '/profile/accounts');
      await expect(page.getByRole('heading', { level: 1, name: 'Accounts' })).toBeVisible();
      await expectAccessible(page);
      await expect(accountRow(page, first)).toContainText('Primary');
      await expect(accountRow(page, first)).toContainText('In use');

      // PRO-3: the header shows the session's account and switches it.
      const switcher = header(page).getByRole('combobox', { name: 'Account' });
      await expect(switcher).toHaveValue(/.+/);
      await switcher.selectOption({ label: second });
      await header(page).getByRole('button', { name: 'Switch' }).click();
      await expect(page).toHaveURL((url) => url.pathname === '/profile/accounts');
      await expect(accountRow(page, second)).toContainText('In use');
      await expect(accountRow(page, first)).not.toContainText('In use');
      await expect(header(page).getByRole('combobox', { name: 'Account' }).locator('option:checked')).toHaveText(second);

      await open(page, '/profile/accounts');
      await accountRow(page, second).getByRole('button', { name: `Make ${second} primary` }).click();
      await expect(page.getByRole('main').locator('.notice[role="status"]')).toHaveText(
        'Your primary account has been changed.',
      );
      await expect(accountRow(page, second)).toContainText('Primary');
      await expect(accountRow(page, first)).not.toContainText('Primary');
      await expectAccessible(page);
    });
  });
}

test('individuals are refused the Accounts page and are not offered it', async ({ page }) => {
  const ann = newPerson('indiv');
  await registerByPost(page.request, ann);
  await open(page, '/profile');
  await expect(page.getByRole('navigation', { name: 'Your profile' }).getByRole('link', { name: 'Accounts' })).toHaveCount(0);
  const response = await page.goto('/profile/accounts');
  expect(response?.status()).toBe(403);
  await expect(page.getByRole('heading', { level: 1, name: 'Access denied' })).toBeVisible();
  await expectAccessible(page);
});
