// covers: PRO-1, PRO-2, PRO-4, REG-11, REG-14, REG-15, ADM-9
// My Profile: opened from the menu; Personal information edited with JavaScript and without
// (errors next to the fields); an e-mail change confirmed from the link sent to the new
// address while the old one gets a notice; the used link refused; the opt-in's history.
import { expect, test, type Page } from '../helpers/test';
import { expectAccessible } from '../helpers/a11y';
import { expectFieldError, gotoReady, header, newPerson, registerByPost, waitUntilReady, type Person } from '../helpers/app';
import { signIn, waitForMail } from '../helpers/approvals';

const MAIL_WAIT = { timeout: 20_000 };

function profileForm(page: Page) {
  const main = page.getByRole('main');
  const textbox = (name: string) => main.getByRole('textbox', { name, exact: true });
  return {
    firstName: textbox('First name'),
    lastName: textbox('Last name'),
    email: textbox('Email'),
    phone: textbox('Phone'),
    language: main.getByRole('combobox', { name: 'Language', exact: true }),
    save: main.getByRole('button', { name: 'Save', exact: true }),
    status: main.locator('p.notice[role="status"]'),
  };
}

async function signedIn(page: Page, request: Parameters<typeof registerByPost>[0], prefix: string): Promise<Person> {
  const p = newPerson(prefix);
  await registerByPost(request, p);
  await signIn(page, p.username, p.password);
  await expect(header(page).getByRole('button', { name: 'Sign out' })).toBeVisible();
  return p;
}

async function openProfileFromMenu(page: Page): Promise<void> {
  await header(page).getByRole('link', { name: 'My Profile', exact: true }).click();
  await expect(page).toHaveURL((url) => url.pathname === '/profile');
  await waitUntilReady(page);
  await expect(page.getByRole('heading', { level: 2, name: 'Personal information' })).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Your profile' }).getByRole('link', { name: 'Personal information' }))
    .toHaveAttribute('aria-current', 'page');
  await expectAccessible(page);
}

for (const javaScript of [true, false]) {
  test.describe(`profile (JavaScript ${javaScript ? 'on' : 'off'})`, () => {
    test.use({ javaScriptEnabled: javaScript });

    test('edit names and phone; bad input shows errors next to the fields', async ({ page, request }) => {
      const p = await signedIn(page, request, javaScript ? 'prof' : 'profsrv');
      await openProfileFromMenu(page);
      const f = profileForm(page);
      await expect(f.firstName).toHaveValue(p.firstName);
      await expect(f.email).toHaveValue(p.email);

      await f.firstName.fill('');
      await f.phone.fill('call me');
      await f.save.click();
      await expectFieldError(f.firstName, 'Enter a name');
      await expect(page.locator('#phone-error')).toBeVisible();
      await expect(f.phone).toHaveValue('call me');
      await expectAccessible(page);

      await f.firstName.fill('Marguerite');
      await f.phone.fill('+1 415 555 0142');
      await f.save.click();
      await expect(page).toHaveURL((url) => url.searchParams.get('notice') === 'saved');
      await expect(f.status).toContainText('Your personal information has been saved.');
      await expect(f.firstName).toHaveValue('Marguerite');
      await expect(f.phone).toHaveValue('+1 415 555 0142');
      await expect(header(page).getByText(`Marguerite ${p.lastName}`, { exact: true })).toBeVisible();
      await expectAccessible(page);
    });

    test('change the e-mail address: link to the new one, notice to the old one', async ({ page, request }) => {
      const p = await signedIn(page, request, javaScript ? 'profmail' : 'profmailsrv');
      await openProfileFromMenu(page);
      const f = profileForm(page);
      const newAddress = `new.${p.email}`;
      await f.email.fill(newAddress);
      await f.save.click();
      await expect(f.status.filter({ hasText: `We have sent a confirmation link to ${newAddress}` })).toBeVisible();
      await expect(f.email).toHaveValue(p.email);
      await expectAccessible(page);

      const confirm = await waitForMail(newAddress, /^Confirm your e-mail address/);
      const notice = await waitForMail(p.email, /change of your e-mail address/);
      expect(notice.text).toContain(newAddress);
      expect(notice.text).not.toContain('/profile/email/confirm/');
      expect(confirm.text).not.toContain(p.password);
      const link = /\/profile\/email\/confirm\/[A-Za-z0-9_-]{43}/.exec(confirm.text)?.[0] as string;
      expect(link, 'a confirmation link').toBeTruthy();

      await gotoReady(page, link);
      await expect(page.getByRole('heading', { level: 1, name: 'Confirm your e-mail address' })).toBeVisible();
      await expectAccessible(page);
      await page.getByRole('main').getByRole('button', { name: 'Confirm', exact: true }).click();
      await expect(page).toHaveURL((url) => url.pathname === '/profile/emails');
      await waitUntilReady(page);
      const rows = page.getByRole('main').getByRole('table').getByRole('row');
      await expect(rows.nth(1)).toContainText(newAddress);
      await expect(rows.nth(1)).toContainText('Primary');
      await expect(rows.nth(2)).toContainText(p.email);
      await expectAccessible(page);

      await gotoReady(page, link);
      await expect(page.getByRole('heading', { level: 1, name: 'This link is no longer valid' })).toBeVisible();
      await expectAccessible(page);
      await gotoReady(page, '/profile');
      await expect(profileForm(page).email).toHaveValue(newAddress);

      // Make the old address primary again, then remove the new one (PRO-2).
      await gotoReady(page, '/profile/emails');
      const main = page.getByRole('main');
      await main.getByRole('button', { name: `Make primary: ${p.email}`, exact: true }).click();
      await expect(main.locator('p.notice[role="status"]')).toHaveText('Your primary e-mail address has been changed.');
      await waitUntilReady(page);
      await expect(rows.nth(1)).toContainText(p.email);
      await expect(rows.nth(1)).toContainText('Primary');
      await expect(main.getByRole('button', { name: `Remove: ${p.email}`, exact: true })).toHaveCount(0);
      await main.getByRole('button', { name: `Remove: ${newAddress}`, exact: true }).click();
      await expect(main.locator('p.notice[role="status"]')).toHaveText('The e-mail address has been removed.');
      await waitUntilReady(page);
      await expect(main.getByRole('table').getByText(newAddress, { exact: true })).toHaveCount(0);
      await expectAccessible(page);
      await gotoReady(page, '/profile');
      await expect(profileForm(page).email).toHaveValue(p.email);
    });

    test('the marketing opt-in shows in its history', async ({ page, request }) => {
      await signedIn(page, request, javaScript ? 'profpref' : 'profprefsrv');
      await gotoReady(page, '/profile/preferences');
      await expect(page.getByRole('heading', { level: 2, name: 'Preferences' })).toBeVisible();
      await expectAccessible(page);
      const main = page.getByRole('main');
      const optIn = main.getByRole('checkbox', { name: 'Send me news and offers by e-mail' });
      await expect(optIn).not.toBeChecked();
      await optIn.check();
      await main.getByRole('button', { name: 'Save', exact: true }).click();
      await expect(main.locator('p.notice[role="status"]')).toContainText('Your preferences have been saved.');
      const history = main.getByRole('table', { name: /news and offers/ });
      await expect(history.getByRole('row').nth(1)).toContainText('Opted in');
      await expect(history.getByRole('row').nth(1)).toContainText('Your profile');
      await expect(history.getByRole('row').nth(2)).toContainText('Registration');
      await expect(optIn).toBeChecked();
      await expectAccessible(page);
    });
  });
}

test('profile pages fit a phone and a desktop screen', async ({ page, request }) => {
  await signedIn(page, request, 'profshot');
  for (const width of [390, 1280]) {
    await page.setViewportSize({ width, height: 900 });
    for (const path of ['/profile', '/profile/emails', '/profile/preferences']) {
      await gotoReady(page, path);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, `${path} at ${width}px scrolls sideways`).toBeLessThanOrEqual(0);
      if (process.env.E2E_SCREENSHOTS) {
        await page.screenshot({ path: `${process.env.E2E_SCREENSHOTS}/${path.replace(/\//g, '_')}-${width}.png`, fullPage: true });
      }
    }
  }
});
