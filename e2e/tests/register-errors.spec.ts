// covers: REG-8, REG-9, REG-14, REG-15
// Registration errors: next to their field (aria-invalid, aria-describedby), a form-level
// message in role=alert, entered values kept but passwords never, and nothing written.
import { expect, test, type Page } from '../helpers/test';
import { expectAccessible } from '../helpers/a11y';
import {
  expectFieldError,
  expectSignedInAs,
  fillRegistration,
  gotoReady,
  newPerson,
  registerByPost,
  registrationFields,
  type Person,
} from '../helpers/app';

const SUBMIT_FN = '/rpc/register/submit';

/** Values (not passwords) are still in the form, passwords are empty (REG-14). */
async function expectValuesKept(page: Page, p: Person, username: string): Promise<void> {
  const f = registrationFields(page);
  await expect(f.firstName).toHaveValue(p.firstName);
  await expect(f.lastName).toHaveValue(p.lastName);
  await expect(f.email).toHaveValue(p.email);
  await expect(f.phone).toHaveValue(p.phone);
  await expect(f.username).toHaveValue(username);
  await expect(f.marketing).toBeChecked();
  await expect(f.password, 'the password is never kept').toHaveValue('');
  await expect(f.passwordConfirm, 'the password confirmation is never kept').toHaveValue('');
}

async function expectOneFieldAlert(page: Page): Promise<void> {
  await expect(page.getByRole('main').getByRole('alert')).toHaveText(
    'There is a problem with one field. Please correct it below.',
  );
}

for (const javaScriptEnabled of [true, false]) {
  test.describe(`duplicate username (JavaScript ${javaScriptEnabled ? 'on' : 'off'})`, () => {
    test.use({ javaScriptEnabled });

    test('a username taken in another case is "Username already used"; values kept, passwords not', async ({
      page,
      request,
    }) => {
      const first = newPerson('dup');
      await registerByPost(request, first);

      const second = newPerson('dup2');
      const taken = first.username.toUpperCase();
      await gotoReady(page, '/register/individual');
      await expectAccessible(page);
      await fillRegistration(page, { ...second, username: taken });
      await registrationFields(page).marketing.check();
      await registrationFields(page).submit.click();

      await expectFieldError(registrationFields(page).username, 'Username already used');
      await expectOneFieldAlert(page);
      await expectValuesKept(page, second, taken);
      await expect(page.getByRole('button', { name: 'Sign out' })).toHaveCount(0);
      await expectAccessible(page);
    });
  });
}

test.describe('password rules in the browser (JavaScript on)', () => {
  const cases: { rule: string; password: (p: Person) => string; message: string; checkedInBrowser: boolean }[] = [
    {
      rule: 'too short',
      password: () => 'Kettle-77-a',
      message: 'Password must be at least 12 characters',
      checkedInBrowser: true,
    },
    {
      rule: 'too long',
      password: () => 'Q7-'.repeat(43), // 129 characters
      message: 'Password must be at most 128 characters',
      checkedInBrowser: true,
    },
    {
      rule: 'contains the username',
      password: (p) => `Zz-${p.username}-Zz`,
      message: 'Password must not contain your username or name',
      checkedInBrowser: true,
    },
    {
      rule: 'contains the last name (any case)',
      password: (p) => `Kettle-${p.lastName.toLowerCase()}-77`,
      message: 'Password must not contain your username or name',
      checkedInBrowser: true,
    },
    {
      rule: 'common: password1234',
      password: () => 'password1234',
      message: 'This password is too common',
      checkedInBrowser: false,
    },
    {
      rule: 'common: qwertyuiop123',
      password: () => 'qwertyuiop123',
      message: 'This password is too common',
      checkedInBrowser: false,
    },
  ];

  for (const c of cases) {
    test(`${c.rule} → "${c.message}"`, async ({ page }) => {
      const p = newPerson('pw');
      await gotoReady(page, '/register/individual');
      await expectAccessible(page);
      await fillRegistration(page, p, { password: c.password(p) });

      const submits: string[] = [];
      page.on('request', (r) => {
        if (r.method() === 'POST') submits.push(new URL(r.url()).pathname);
      });
      await page.evaluate(() => ((window as unknown as { __marker: number }).__marker = 1));
      await registrationFields(page).submit.click();

      await expectFieldError(registrationFields(page).password, c.message);
      await expectOneFieldAlert(page);
      expect(await page.evaluate(() => (window as unknown as { __marker?: number }).__marker)).toBe(1);
      if (c.checkedInBrowser) {
        expect(submits, 'checked in the browser, before any request (REG-14)').toEqual([]);
      } else {
        expect(submits, 'only the server knows the common-password list').toContain(SUBMIT_FN);
      }
      await expect(registrationFields(page).username).toHaveValue(p.username);
      await expectAccessible(page);
    });
  }
});

test.describe('password rules on the server (JavaScript off)', () => {
  test.use({ javaScriptEnabled: false });

  test('a too-short password is refused by the server, and the failed submit wrote nothing', async ({
    page,
  }) => {
    const p = newPerson('pwsrv');
    await page.goto('/register/individual');
    await expectAccessible(page);
    await fillRegistration(page, p, { password: 'Kettle-77-a' });
    await registrationFields(page).marketing.check();
    await registrationFields(page).submit.click();

    await expectFieldError(registrationFields(page).password, 'Password must be at least 12 characters');
    await expectOneFieldAlert(page);
    await expectValuesKept(page, p, p.username);
    await expectAccessible(page);

    // Nothing was written (REG-14): the same username can still be registered.
    const f = registrationFields(page);
    await f.password.fill(p.password);
    await f.passwordConfirm.fill(p.password);
    await f.submit.click();
    await expectSignedInAs(page, p);
    await expectAccessible(page);
  });

  test('a common password is refused by the server', async ({ page }) => {
    const p = newPerson('pwsrv2');
    await page.goto('/register/individual');
    await expectAccessible(page);
    await fillRegistration(page, p, { password: 'qwertyuiop123' });
    await registrationFields(page).marketing.check();
    await registrationFields(page).submit.click();

    await expectFieldError(registrationFields(page).password, 'This password is too common');
    await expectOneFieldAlert(page);
    await expectValuesKept(page, p, p.username);
    await expectAccessible(page);
  });
});
