// covers: PRO-2, REG-14, REG-15
// The phone book of a signed-in person: a bad number is refused next to the field and nothing
// is added; add a number, edit it, make it preferred (exactly one stays preferred), remove the
// other — with JavaScript (server functions, no reload) and without (plain posts). Axe on every
// page visited; screenshots at 390 and 1280 px.
import { expect, test, type Page } from '../helpers/test';
import { expectAccessible } from '../helpers/a11y';
import { expectFieldError, newPerson, registerByPost } from '../helpers/app';
import { notice, open, signIn, waitHydrated } from '../helpers/approvals';

const INVALID = 'Enter a phone number, like +1 415 555 0100';

function phoneRow(page: Page, number: string) {
  return page.getByRole('main').getByRole('row').filter({ hasText: number });
}

function phoneForm(page: Page) {
  const main = page.getByRole('main');
  return {
    number: main.getByRole('textbox', { name: 'Phone number', exact: true }),
    kind: main.getByRole('combobox', { name: 'Kind', exact: true }),
    save: main.getByRole('button', { name: 'Save', exact: true }),
  };
}

/** The Preferred cell of the number's row. */
async function preferredOf(page: Page, number: string): Promise<string> {
  const cell = phoneRow(page, number).getByRole('cell').nth(2);
  return ((await cell.textContent()) ?? '').replace(/\s+/g, ' ').trim();
}

async function phoneBookJourney(page: Page, javaScriptEnabled: boolean): Promise<void> {
  const person = newPerson(javaScriptEnabled ? 'phones' : 'phonessrv');
  await registerByPost(page.request, person);
  await signIn(page, person.username, person.password);
  await expect(page).toHaveURL((url) => url.pathname === '/');
  await open(page, '/profile/phones');
  await expect(page.getByRole('heading', { level: 2, name: 'Phones' })).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Your profile' }).getByRole('link', { name: 'Phones', exact: true }))
    .toHaveAttribute('aria-current', 'page');
  // The number given at registration is the preferred one.
  expect(await preferredOf(page, person.phone)).toBe('Preferred');
  await expectAccessible(page);

  // A bad number is refused next to its field; what was typed stays; nothing is added.
  await page.getByRole('main').getByRole('link', { name: 'Add a phone number', exact: true }).click();
  await expect(page).toHaveURL((url) => url.pathname === '/profile/phones/new');
  await waitHydrated(page);
  await expectAccessible(page);
  await phoneForm(page).number.fill('call me');
  await phoneForm(page).kind.selectOption({ label: 'Business' });
  await phoneForm(page).save.click();
  await expectFieldError(phoneForm(page).number, INVALID);
  await expect(phoneForm(page).number).toHaveValue('call me');
  await expectAccessible(page);

  // Add a business number.
  await phoneForm(page).number.fill('+1 415 555 0142');
  await phoneForm(page).kind.selectOption({ label: 'Business' });
  await phoneForm(page).save.click();
  await expect(page).toHaveURL((url) => url.pathname === '/profile/phones');
  await expect(notice(page)).toHaveText('The phone number was added.');
  await waitHydrated(page);
  await expect(phoneRow(page, 'call me')).toHaveCount(0);
  await expect(phoneRow(page, '+1 415 555 0142')).toContainText('Business');

  // Edit it.
  await phoneRow(page, '+1 415 555 0142').getByRole('link', { name: 'Edit +1 415 555 0142' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Edit phone number' })).toBeVisible();
  await waitHydrated(page);
  await expectAccessible(page);
  await expect(phoneForm(page).number).toHaveValue('+1 415 555 0142');
  await phoneForm(page).number.fill('+1 415 555 0177');
  await phoneForm(page).save.click();
  await expect(page).toHaveURL((url) => url.pathname === '/profile/phones');
  await expect(notice(page)).toHaveText('The phone number was saved.');
  await waitHydrated(page);
  await expect(phoneRow(page, '+1 415 555 0142')).toHaveCount(0);
  expect(await preferredOf(page, '+1 415 555 0177')).toBe('Make preferred');

  for (const width of [390, 1280]) {
    await page.setViewportSize({ width, height: 900 });
    await page.screenshot({ path: `test-results/phone-book-${javaScriptEnabled ? 'js' : 'plain'}-${width}.png`, fullPage: true });
    const sideways = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
    expect(sideways, `nothing scrolls sideways at ${width} px`).toBe(false);
    await expect(phoneRow(page, '+1 415 555 0177').getByRole('button', { name: /^Remove / })).toBeInViewport();
  }
  await page.setViewportSize({ width: 1280, height: 720 });

  // Make it preferred: exactly one number stays preferred (PRO-2).
  await phoneRow(page, '+1 415 555 0177').getByRole('button', { name: 'Make +1 415 555 0177 preferred' }).click();
  await expect(notice(page)).toHaveText('The preferred phone number was changed.');
  await waitHydrated(page);
  await expect.poll(() => preferredOf(page, '+1 415 555 0177')).toBe('Preferred');
  expect(await preferredOf(page, person.phone)).toBe('Make preferred');

  // Remove the registration number: it is not listed again.
  await phoneRow(page, person.phone).getByRole('button', { name: `Remove ${person.phone}` }).click();
  await expect(notice(page)).toHaveText('The phone number was removed.');
  await waitHydrated(page);
  await expect(phoneRow(page, person.phone)).toHaveCount(0);
  await expectAccessible(page);
  await open(page, '/profile/phones');
  await expect(phoneRow(page, person.phone)).toHaveCount(0);
  expect(await preferredOf(page, '+1 415 555 0177')).toBe('Preferred');
}

test.describe('phone book (JavaScript on)', () => {
  test('a bad number is refused; add, edit, make preferred, remove', async ({ page }) => {
    await phoneBookJourney(page, true);
  });
});

test.describe('phone book (JavaScript off)', () => {
  test.use({ javaScriptEnabled: false });
  test('a bad number is refused; add, edit, make preferred, remove', async ({ page }) => {
    await phoneBookJourney(page, false);
  });
});
