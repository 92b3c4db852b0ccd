// covers: PRO-7, SEC-5
// With multi-customer access a contact of two companies switches customer from the header, and
// the previous company's administration is then out of reach. A late spec: it turns on a
// setting every other spec reads (the console's settings form among them).
import { expect, test, trackFormTakeover, type Page } from '../helpers/test';
import { expectAccessible } from '../helpers/a11y';
import { header, newPerson } from '../helpers/app';
import { newCompany, open, registerCompany, sqlite } from '../helpers/approvals';

/** The Switch button of the header form holding the select named `select`. */
function switchButton(page: Page, select: string) {
  // `has` is matched inside the form, so its locator starts from the page, not the header.
  return header(page)
    .locator('form.scope-switch', { has: page.getByRole('combobox', { name: select, exact: true }) })
    .getByRole('button', { name: 'Switch' });
}

test('with multi-customer access a contact of two companies switches customer from the header', async ({ page, browser }) => {
  const primary = newPerson('acct');
  await registerCompany(page, newCompany('Acct'), primary, expectAccessible);
  const other = newCompany('Other');
  const otherPage = await browser.newPage();
  await trackFormTakeover(otherPage);
  await registerCompany(otherPage, other, newPerson('other'), async () => {});
  await otherPage.close();
  sqlite(
    `
person = db.execute("SELECT person_id FROM users WHERE lower(username) = lower(?)", (args[0],)).fetchone()[0]
org = db.execute("SELECT id FROM organizations WHERE name = ?", (args[1],)).fetchone()[0]
db.execute("INSERT INTO contacts (id, person_id, organization_id, kind, status, created_at, updated_at) VALUES (?, ?, ?, 'contact_of', 'active', 0, 0)", ('e2e-' + org, person, org))
db.execute("INSERT INTO settings (key, value, updated_at) VALUES ('multi_customer_access', 'true', 0) ON CONFLICT (key) DO UPDATE SET value = 'true'")
`,
    primary.username,
    other.name,
  );
  try {
    const customer = header(page).getByRole('combobox', { name: 'Customer' });
    // The setting was written behind the server's back: it keeps a copy of the settings for up
    // to a second (CACHE_TTL, as for a change made by another instance), so the header offers
    // the switch from the first page rendered after that.
    await expect(async () => {
      await open(page, '/admin/approvals');
      await expect(page.getByRole('heading', { level: 1, name: 'Pending Approvals' })).toBeVisible();
      await expect(customer).toBeVisible({ timeout: 1_000 });
    }).toPass();
    await customer.selectOption({ label: other.name });
    await switchButton(page, 'Customer').click();
    // Acting for the other company, the first company's queue is out of reach (SEC-5) …
    await expect(page.getByRole('heading', { level: 1, name: 'Access denied' })).toBeVisible();
    await expect(header(page).getByRole('combobox', { name: 'Customer' }).locator('option:checked')).toHaveText(other.name);
    await expect(header(page).getByRole('link', { name: 'Pending Approvals' })).toHaveCount(0);
    await expectAccessible(page);
    // … and switching back brings it back.
    const back = header(page).getByRole('combobox', { name: 'Customer' });
    await back.selectOption({ index: 0 });
    const selected = await back.locator('option:checked').textContent();
    if (selected === other.name) await back.selectOption({ index: 1 });
    await switchButton(page, 'Customer').click();
    await expect(page.getByRole('heading', { level: 1, name: 'Pending Approvals' })).toBeVisible();
  } finally {
    sqlite("db.execute(\"UPDATE settings SET value = 'false' WHERE key = 'multi_customer_access'\")");
  }
});
