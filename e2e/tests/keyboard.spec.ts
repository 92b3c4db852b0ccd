// covers: REG-5, REG-13, REG-15, LOG-5
// The registration form can be filled in and submitted with the keyboard alone.
import { expect, test, type Page } from '../helpers/test';
import { expectAccessible } from '../helpers/a11y';
import { expectSignedInAs, gotoReady, newPerson, registrationFields } from '../helpers/app';

/** The id of the focused element (empty when nothing in particular has focus). */
const focusedId = (page: Page) => page.evaluate(() => document.activeElement?.id ?? '');

test('register with the keyboard only: Tab, typing, Space and Enter', async ({ page }) => {
  const p = newPerson('kbd');
  await gotoReady(page, '/register/individual?ref=/register');
  await expectAccessible(page);

  // Tab from the top of the page into the form (past the skip link and the header links).
  for (let i = 0; i < 15 && (await focusedId(page)) !== 'first_name'; i++) {
    await page.keyboard.press('Tab');
  }
  await expect(registrationFields(page).firstName).toBeFocused();

  const typed: [string, string][] = [
    ['first_name', p.firstName],
    ['last_name', p.lastName],
    ['email', p.email],
    ['phone', p.phone],
    ['username', p.username],
    ['password', p.password],
    ['password_confirm', p.password],
  ];
  for (const [id, text] of typed) {
    expect(await focusedId(page), 'Tab follows the visual order of the form').toBe(id);
    await page.keyboard.type(text);
    await page.keyboard.press('Tab');
  }

  const f = registrationFields(page);
  await expect(f.marketing).toBeFocused();
  await page.keyboard.press('Space');
  await expect(f.marketing).toBeChecked();
  await page.keyboard.press('Tab');
  await expect(f.submit).toBeFocused();
  await page.keyboard.press('Enter');

  await expect(page).toHaveURL((url) => url.pathname === '/register');
  await expectSignedInAs(page, p);
  await expectAccessible(page);
});
