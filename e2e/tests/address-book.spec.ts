// covers: PRO-2, REJ-4, REG-14, REG-15
// The address book of a signed-in person: add two addresses, switch the preferred billing
// address, remove one (it is never listed again) — with JavaScript (server functions, no
// reload) and without (plain posts). Axe on every page visited; screenshots at 390 and 1280 px.
import { expect, test, type Page } from '../helpers/test';
import { expectAccessible } from '../helpers/a11y';
import { expectFieldError, newPerson, registerByPost } from '../helpers/app';
import { companyFields, notice, open, signIn, waitHydrated } from '../helpers/approvals';

function addressRow(page: Page, line1: string) {
  return page.getByRole('main').getByRole('row').filter({ hasText: line1 });
}

/** The Billing and Shipping cells of the address's row. */
async function usagesOf(page: Page, line1: string): Promise<[string, string]> {
  const cells = addressRow(page, line1).getByRole('cell');
  const text = async (i: number) => ((await cells.nth(i).textContent()) ?? '').replace(/\s+/g, ' ').trim();
  return [await text(1), await text(2)];
}

async function addAddress(page: Page, line1: string, usages: Array<'Billing' | 'Shipping'>): Promise<void> {
  await page.getByRole('main').getByRole('link', { name: 'Add an address', exact: true }).click();
  await expect(page).toHaveURL((url) => url.pathname === '/profile/addresses/new');
  await waitHydrated(page);
  await expectAccessible(page);
  const f = companyFields(page);
  await f.addressLine1.fill(line1);
  await f.city.fill('Springfield');
  await f.postalCode.fill('62701');
  await f.country.selectOption('US');
  for (const usage of usages) {
    await page.getByRole('group', { name: 'Use this address for' }).getByRole('checkbox', { name: usage }).check();
  }
  await page.getByRole('main').getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page).toHaveURL((url) => url.pathname === '/profile/addresses');
  await expect(notice(page)).toHaveText('The address was added.');
  await waitHydrated(page);
  await expect(addressRow(page, line1)).toHaveCount(1);
}

async function addressBookJourney(page: Page, javaScriptEnabled: boolean): Promise<void> {
  const person = newPerson(javaScriptEnabled ? 'book' : 'booksrv');
  await registerByPost(page.request, person);
  await signIn(page, person.username, person.password);
  await expect(page).toHaveURL((url) => url.pathname === '/');
  await open(page, '/profile/addresses');
  await expect(page.getByRole('heading', { level: 2, name: 'Addresses' })).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Your profile' }).getByRole('link', { name: 'Addresses', exact: true }))
    .toHaveAttribute('aria-current', 'page');
  await expectAccessible(page);

  // A blank form is refused next to its fields, and nothing is added.
  await page.getByRole('main').getByRole('link', { name: 'Add an address', exact: true }).click();
  await waitHydrated(page);
  await page.getByRole('main').getByRole('button', { name: 'Save', exact: true }).click();
  await expectFieldError(companyFields(page).addressLine1, 'Enter the first line of the address');
  await expectAccessible(page);
  await open(page, '/profile/addresses');

  await addAddress(page, '1 First Street', ['Billing', 'Shipping']);
  await addAddress(page, '2 Second Avenue', ['Billing']);
  expect(await usagesOf(page, '1 First Street')).toEqual(['Preferred', 'Preferred']);
  expect(await usagesOf(page, '2 Second Avenue')).toEqual(['Yes Make preferred', 'No']);
  await expectAccessible(page);
  for (const width of [390, 1280]) {
    await page.setViewportSize({ width, height: 900 });
    await page.screenshot({ path: `test-results/address-book-${javaScriptEnabled ? 'js' : 'plain'}-${width}.png`, fullPage: true });
    const sideways = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
    expect(sideways, `nothing scrolls sideways at ${width} px`).toBe(false);
    await expect(addressRow(page, '2 Second Avenue').getByRole('button', { name: /^Remove / })).toBeInViewport();
  }
  await page.setViewportSize({ width: 1280, height: 720 });

  // Switch the preferred billing address: exactly one stays preferred (PRO-2).
  await addressRow(page, '2 Second Avenue').getByRole('button', { name: /^Make preferred for billing/ }).click();
  await expect(notice(page)).toHaveText('The preferred address was changed.');
  await waitHydrated(page);
  await expect.poll(() => usagesOf(page, '2 Second Avenue')).toEqual(['Preferred', 'No']);
  expect(await usagesOf(page, '1 First Street')).toEqual(['Yes Make preferred', 'Preferred']);

  // Remove one: it is never listed again (REJ-4).
  await addressRow(page, '1 First Street').getByRole('button', { name: /^Remove / }).click();
  await expect(notice(page)).toHaveText('The address was removed.');
  await waitHydrated(page);
  await expect(addressRow(page, '1 First Street')).toHaveCount(0);
  expect(await usagesOf(page, '2 Second Avenue')).toEqual(['Preferred', 'No']);
  await expectAccessible(page);
  await open(page, '/profile/addresses');
  await expect(addressRow(page, '1 First Street')).toHaveCount(0);
}

test.describe('address book (JavaScript on)', () => {
  test('add two addresses, switch the preferred billing address, remove one', async ({ page }) => {
    await addressBookJourney(page, true);
  });
});

test.describe('address book (JavaScript off)', () => {
  test.use({ javaScriptEnabled: false });
  test('add two addresses, switch the preferred billing address, remove one', async ({ page }) => {
    await addressBookJourney(page, false);
  });
});
