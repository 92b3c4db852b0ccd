// covers: CON-7, OAA-6, REG-15
// The customer import (CON-7) as a merchant admin uses it: a file with one bad row is previewed
// and the preview names the line and the reason; the fixed file is imported and the result page
// counts it by kind; the same file again imports nothing new. Without JavaScript the same upload
// works as a plain multipart post. External ids and numbers are unique per run (the e2e database
// is shared by every spec). Axe on every page; 390/1280 px.
import { expect, test, type Page } from '../helpers/test';
import { expectAccessible } from '../helpers/a11y';
import { newUserPage, open, signIn, waitHydrated } from '../helpers/approvals';
import { consoleNav, screenshots, signInAsNewConsoleAdmin } from '../helpers/console';

const HEADER =
  'record,external_id,first_name,last_name,email,phone,language,name,registry_id,partner,person,organization,job_title,account_number,company_primary,account,order_number,order_date,postal_code,contact';

/** A small file: a person, an organization with a contact, their accounts and two orders. */
function customerFile(run: string, orderDate: string): string {
  const n = run.toUpperCase();
  return [
    HEADER,
    `person,p-${run},Robin,Import${run},robin.${run}@example.com,+1 415 555 0142,en,,,,,,,,,,,,,`,
    `organization,o-${run},,,,,,Import Works ${run},,no,,,,,,,,,,`,
    `contact,c-${run},,,,,,,,,p-${run},o-${run},Buyer,,,,,,,`,
    `account,ap-${run},,,,,,,,,p-${run},,,A-E${n},no,,,,,`,
    `account,ao-${run},,,,,,,,,,o-${run},,A-F${n},yes,,,,,`,
    `order,rp-${run},,,,,,,,,,,,,,ap-${run},O-E${n},2026-03-01,94105,`,
    `order,ro-${run},,,,,,,,,,,,,,ao-${run},O-F${n},${orderDate},10001,c-${run}`,
    '',
  ].join('\n');
}

async function upload(page: Page, csv: string, button: 'Preview' | 'Import'): Promise<void> {
  const main = page.getByRole('main');
  await main.getByLabel('CSV file').setInputFiles({ name: 'customers.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  // The answer is a new page at the same URL: wait for the post's response, then for that page.
  const answered = page.waitForResponse(
    (response) => response.request().method() === 'POST' && new URL(response.url()).pathname === '/console/import',
  );
  await main.getByRole('button', { name: button, exact: true }).click();
  expect((await answered).status()).toBe(200);
  await waitHydrated(page);
}

function countRow(page: Page, kind: string) {
  return page.locator('#import-counts tbody tr').filter({ has: page.getByRole('rowheader', { name: kind, exact: true }) });
}

test('an admin previews a file with a bad row, fixes it, imports it, and importing it again adds nothing', async ({
  page,
  request,
}) => {
  const run = Date.now().toString(36);
  await signInAsNewConsoleAdmin(page, request, 'imp');
  await open(page, '/console');
  await consoleNav(page).getByRole('link', { name: 'Import' }).click();
  await expect(page).toHaveURL((url) => url.pathname === '/console/import');
  await waitHydrated(page);
  const main = page.getByRole('main');
  await expect(main.getByRole('heading', { level: 1, name: 'Import customers' })).toBeVisible();
  await expect(consoleNav(page).getByRole('link', { name: 'Import' })).toHaveAttribute('aria-current', 'page');
  await expectAccessible(page);
  await screenshots(page, 'console-import');

  // Line 8 (the header is line 1; the second order) has a date that does not exist.
  await upload(page, customerFile(run, '2026-02-30'), 'Preview');
  await expect(main.getByRole('heading', { level: 2, name: 'Preview' })).toBeVisible();
  await expect(main.getByRole('alert')).toContainText('1 bad row: nothing was imported');
  const badRow = main.locator('#bad-rows tbody tr');
  await expect(badRow).toHaveCount(1);
  await expect(badRow.locator('td').nth(0)).toHaveText('8');
  await expect(badRow.locator('td').nth(1)).toHaveText('The order_date "2026-02-30" is not a date like 2026-02-03');
  await expectAccessible(page);
  await screenshots(page, 'console-import-preview');

  // Import refuses the same file: nothing is written.
  await upload(page, customerFile(run, '2026-02-30'), 'Import');
  await expect(main.getByRole('alert')).toContainText('nothing was imported');

  // Fixed: the preview counts new rows, the import writes them.
  const fixed = customerFile(run, '2026-02-03');
  await upload(page, fixed, 'Preview');
  await expect(main.getByRole('status').filter({ hasText: 'Preview:' })).toContainText('7 new records would be imported');
  await upload(page, fixed, 'Import');
  await expect(main.getByRole('heading', { level: 2, name: 'Import result' })).toBeVisible();
  await expect(main.getByText('Imported 7 new records.')).toBeVisible();
  await expect(countRow(page, 'Persons').locator('td')).toHaveText(['1', '0']);
  await expect(countRow(page, 'Accounts').locator('td')).toHaveText(['2', '0']);
  await expect(countRow(page, 'Orders').locator('td')).toHaveText(['2', '0']);
  await expectAccessible(page);
  await screenshots(page, 'console-import-result');

  // The same file again: every row is unchanged.
  await upload(page, fixed, 'Import');
  await expect(main.getByText('Nothing new: every row was imported before.')).toBeVisible();
  await expect(countRow(page, 'Orders').locator('td')).toHaveText(['0', '2']);
  await expect(countRow(page, 'Contacts').locator('td')).toHaveText(['0', '1']);
});

test('without JavaScript the upload is a plain multipart post with a result page', async ({ browser, request }) => {
  const run = `n${Date.now().toString(36)}`;
  const jsPage = await newUserPage(browser, true);
  const admin = await signInAsNewConsoleAdmin(jsPage, request, 'impns');
  await jsPage.context().close();
  const page = await newUserPage(browser, false);
  await signIn(page, admin.username, admin.password);
  await open(page, '/console/import');
  await upload(page, customerFile(run, '2026-02-03'), 'Import');
  const main = page.getByRole('main');
  await expect(main.getByText('Imported 7 new records.')).toBeVisible();
  await expect(countRow(page, 'Organizations').locator('td')).toHaveText(['1', '0']);
  await expectAccessible(page);
  await page.context().close();
});
