// covers: CON-1, REG-1, REG-4, REG-6
// CON-1 as the issue tells it: a merchant admin activates the seeded partner_primary type in the
// console; /register offers "Register as a partner" at once, and a partner company registers
// through it; deactivated again, it is gone. Runs in the `late` project (after every other
// spec), since /register's listing is what other specs check. Axe on every page; 390/1280 px.
import { expect, test } from '../helpers/test';
import { expectAccessible } from '../helpers/a11y';
import { fillRegistration, newPerson, registrationFields } from '../helpers/app';
import { REGISTRY_ID, fillCompany, newCompany, newUserPage, open, waitHydrated } from '../helpers/approvals';
import { consoleNav, screenshots, signInAsNewConsoleAdmin } from '../helpers/console';

test('an activated partner type is offered on /register at once and a partner registers', async ({ page, browser, request }) => {
  await signInAsNewConsoleAdmin(page, request, 'opstypes');
  await open(page, '/console');
  await consoleNav(page).getByRole('link', { name: 'User types' }).click();
  await expect(page).toHaveURL((url) => url.pathname === '/console/user-types');
  const main = page.getByRole('main');
  const row = main.getByRole('row').filter({ hasText: 'partner_primary' });
  await expect(row.getByRole('cell').nth(4)).toHaveText('No');
  await expectAccessible(page);
  await screenshots(page, 'console-user-types');

  await row.getByRole('link', { name: 'Edit Register as a partner' }).click();
  await expect(page).toHaveURL((url) => url.pathname === '/console/user-types/partner_primary');
  await waitHydrated(page);
  await expect(main.getByRole('textbox', { name: 'Key' })).toHaveValue('partner_primary');
  await expect(main.getByRole('combobox', { name: 'Kind' })).toHaveValue('partner_admin');
  await expect(main.getByRole('group', { name: 'Roles' }).getByRole('checkbox', { name: 'Partner Primary User' })).toBeChecked();
  await expectAccessible(page);
  await screenshots(page, 'console-user-type');

  // A bad key is refused next to the field and nothing is saved.
  await main.getByRole('textbox', { name: 'Key' }).fill('Partner Primary');
  await main.getByRole('button', { name: 'Save' }).click();
  await expect(main.locator('#key-error')).toContainText('lower-case letters');
  await main.getByRole('textbox', { name: 'Key' }).fill('partner_primary');

  await main.getByRole('checkbox', { name: 'Active' }).check();
  await main.getByRole('button', { name: 'Save' }).click();
  await expect(page).toHaveURL((url) => url.searchParams.get('notice') === 'saved');
  await expect(main.getByRole('status')).toHaveText('The user type was saved. Registration uses it from now on.');
  await expectAccessible(page);

  // Someone else, on /register: offered at once, and a partner company registers.
  const visitor = await newUserPage(browser, true);
  await open(visitor, '/register');
  await visitor.getByRole('link', { name: 'Register as a partner' }).click();
  await expect(visitor).toHaveURL((url) => url.pathname === '/register/partner_primary');
  await expect(visitor.getByRole('heading', { level: 1, name: 'Register as a partner' })).toBeVisible();
  await expectAccessible(visitor);
  await fillCompany(visitor, newCompany('Partner'));
  await fillRegistration(visitor, newPerson('partner'));
  await registrationFields(visitor).submit.click();
  await expect(visitor).toHaveURL((url) => url.pathname === '/register/complete');
  await expect(visitor.getByRole('main').locator('code.registry-id')).toHaveText(REGISTRY_ID);
  await expectAccessible(visitor);

  // Inactive again: gone from /register on the next request.
  await open(page, '/console/user-types/partner_primary');
  await main.getByRole('checkbox', { name: 'Active' }).uncheck();
  await main.getByRole('button', { name: 'Save' }).click();
  await expect(page).toHaveURL((url) => url.searchParams.get('notice') === 'saved');
  await open(visitor, '/register');
  await expect(visitor.getByRole('link', { name: 'Register as a partner' })).toHaveCount(0);
  await visitor.context().close();
});
