// covers: APR-2, APR-4, APR-5, APR-6, APR-8, REJ-1, NOT-1, LOG-2, LOG-3, LOG-5, LOG-6, REG-7, REG-8, REG-13, SEC-5
// Approvals beyond the single step: a two-step definition (the company's primary users, then the
// universal approver — the merchant admin, who first has to change the password), a rejection
// whose comment reaches the requester and which releases the username at once, and one company's
// primary user trying to see or decide another company's request.
import { expect, test, type Page } from '../helpers/test';
import { expectAccessible } from '../helpers/a11y';
import {
  expectSignedInAs,
  expectSignedOut,
  fullName,
  header,
  newPerson,
  registerByPost,
  type Person,
} from '../helpers/app';
import { baseURL } from '../helpers/env';
import { mailsTo } from '../helpers/mail';
import {
  decisionForm,
  detail,
  expectBackOnQueue,
  findInQueue,
  loginForm,
  newCompany,
  newUserPage,
  notice,
  open,
  queueLists,
  queueRow,
  registerCompany,
  registerStaff,
  requestIdOf,
  rowCells,
  signIn,
  sqlite,
  waitForMail,
  waitHydrated,
  type Company,
} from '../helpers/approvals';

const ADMIN = 'admin';
/** GATEHOUSE_ADMIN_PASSWORD in playwright.config.ts: the seeded merchant admin's first password. */
const ADMIN_INITIAL_PASSWORD = 'e2e-Harbor-passphrase-7391';
/** What the admin test sets at the forced change (LOG-3); the later admin steps sign in with it. */
const ADMIN_PASSWORD = 'Copper-Lantern-Meadow-4821-Quill';

const TWO_STEP = 'company_business_two_step';
const TWO_STEP_SHORT_NAME = 'Business user (two-step)';

/**
 * APR-2 set-up (no console screen for approval definitions yet): a definition with two steps —
 * the company's primary users, then the universal approver — and a user type of kind
 * company_business that uses it, granting the Business User role. The type stays inactive
 * except while this file's staff member registers (see `withTwoStepTypeActive`), so the
 * /register listing other tests check in parallel does not show it.
 */
function createTwoStepType(): void {
  sqlite(
    `
import time, uuid
now = int(time.time() * 1000)
key = args[0]
if db.execute('SELECT 1 FROM user_types WHERE key = ?', (key,)).fetchone() is None:
    definition = str(uuid.uuid4())
    db.execute('INSERT INTO approval_definitions (id, key, name, created_at) VALUES (?, ?, ?, ?)',
               (definition, 'e2e_two_step', 'E2E: primary users, then the universal approver', now))
    for position, kind in ((1, 'primary_users'), (2, 'universal')):
        db.execute('INSERT INTO approval_steps (id, definition_id, position, approver_kind) VALUES (?, ?, ?, ?)',
                   (str(uuid.uuid4()), definition, position, kind))
    user_type = str(uuid.uuid4())
    db.execute("""INSERT INTO user_types (id, key, group_key, kind, long_name, short_name, approval_definition_id,
                      is_active, is_self_service, sort_order, created_at, updated_at)
                  VALUES (?, ?, 'company', 'company_business', ?, ?, ?, 0, 1, 99, ?, ?)""",
               (user_type, key, 'Register as a user of an existing company (two-step approval)', args[1],
                definition, now, now))
    db.execute('INSERT INTO user_type_roles (user_type_id, role_id) VALUES (?, ?)',
               (user_type, '00000000-0000-7000-8000-000000000101'))
`,
    TWO_STEP,
    TWO_STEP_SHORT_NAME,
  );
}

function setTwoStepTypeActive(active: boolean): void {
  sqlite(
    'db.execute("UPDATE user_types SET is_active = ? WHERE key = ?", (int(args[0]), args[1]))',
    active ? '1' : '0',
    TWO_STEP,
  );
}

async function withTwoStepTypeActive<T>(action: () => Promise<T>): Promise<T> {
  setTwoStepTypeActive(true);
  try {
    return await action();
  } finally {
    setTwoStepTypeActive(false);
  }
}

/** Opens the request of `username` from the queue at `base` and answers its ID. */
async function openDecision(
  page: Page,
  base: string,
  username: string,
  decision: 'Approve' | 'Reject',
): Promise<string> {
  const row = await findInQueue(page, base, username, expectAccessible);
  await row.getByRole('link', { name: new RegExp(`^${decision}\\b`) }).click();
  await expect(page).toHaveURL(
    (url) => url.pathname.startsWith(`${base}/`) && url.pathname.endsWith(`/${decision.toLowerCase()}`),
  );
  await expect(page.getByRole('heading', { level: 1, name: `${decision} request` })).toBeVisible();
  await waitHydrated(page);
  await expect(detail(page, 'Username')).toHaveText(username);
  return requestIdOf(page.url());
}

async function expectCannotSignInYet(page: Page, p: Person): Promise<void> {
  await signIn(page, p.username, p.password);
  await expect(loginForm(page).alert).toContainText('awaiting approval');
  await expectSignedOut(page);
  await expectAccessible(page);
}

async function signInSucceeds(page: Page, p: Person): Promise<void> {
  await signIn(page, p.username, p.password);
  await expect(page).toHaveURL(`${baseURL()}/`);
  await expectSignedInAs(page, p);
  await waitHydrated(page);
  await expectAccessible(page);
}

// ---------------------------------------------------------------------------------------------

test.describe('two-step approval: primary user, then the merchant admin', () => {
  test.describe.configure({ mode: 'serial' });

  test.beforeAll(() => {
    createTwoStepType();
  });

  test.afterAll(() => {
    setTwoStepTypeActive(false);
  });

  test('the merchant admin must change the password before anything else (LOG-3)', async ({ page }) => {
    await signIn(page, ADMIN, ADMIN_INITIAL_PASSWORD);
    await expect(page).toHaveURL((url) => url.pathname === '/password/change');
    await expect(page.getByRole('heading', { level: 1, name: 'Reset password' })).toBeVisible();
    await waitHydrated(page);
    await expectAccessible(page);

    // Another page leads back to the password change.
    await open(page, '/register');
    await expect(page).toHaveURL((url) => url.pathname === '/password/change');
    await expect(page.getByRole('heading', { level: 1, name: 'Reset password' })).toBeVisible();
    await expect(header(page).getByRole('link', { name: 'Console', exact: true })).toHaveCount(0);
    await expectAccessible(page);
    // The console is refused until then (whether it redirects is checked in its own test below,
    // so that this chain goes on either way).
    await page.goto('/console/approvals');
    await expect(page.getByRole('main').getByRole('table')).toHaveCount(0);
    await expect(page.getByRole('main').getByRole('link', { name: /^Approve\b/ })).toHaveCount(0);
    await open(page, '/password/change');
    await expect(page.getByRole('heading', { level: 1, name: 'Reset password' })).toBeVisible();

    const main = page.getByRole('main');
    await main.getByRole('textbox', { name: 'Current password', exact: true }).fill(ADMIN_INITIAL_PASSWORD);
    await main.getByRole('textbox', { name: 'New password', exact: true }).fill(ADMIN_PASSWORD);
    await main.getByRole('textbox', { name: 'Confirm new password', exact: true }).fill(ADMIN_PASSWORD);
    await main.getByRole('button', { name: 'Set password', exact: true }).click();

    await expect(page).not.toHaveURL((url) => url.pathname === '/password/change');
    await expect(header(page).getByText('Merchant Administrator', { exact: true })).toBeVisible();
    await expect(header(page).getByRole('link', { name: 'Console', exact: true })).toBeVisible();
    await waitHydrated(page);
    await expectAccessible(page);

    await open(page, '/console/approvals');
    await expect(page).toHaveURL((url) => url.pathname === '/console/approvals');
    await expect(page.getByRole('heading', { level: 1, name: 'Pending Approvals' })).toBeVisible();
    await expectAccessible(page);
  });

  test('step 1 by the primary user leaves the request pending; the admin decides step 2 (APR-2, APR-8)', async ({
    page,
    browser,
  }) => {
    test.setTimeout(120_000); // three people, a dozen pages, each checked with axe
    const company = newCompany('TwoStep');
    const primary = newPerson('prim2s');
    const staff = newPerson('staff2s');
    const firstComment = `Known to us, please double-check ${Date.now()}`;
    const secondComment = `Checked by the merchant ${Date.now()}`;

    const registryId = await registerCompany(page, company, primary, expectAccessible);

    const staffPage = await newUserPage(browser, true);
    const adminPage = await newUserPage(browser, true);
    try {
      await withTwoStepTypeActive(() => registerStaff(staffPage, staff, registryId, expectAccessible, TWO_STEP));
      await waitForMail(primary.email, /^Approval needed: /);

      // Step 1: the company's primary user.
      const row = await findInQueue(page, '/admin/approvals', staff.username, expectAccessible);
      expect(await rowCells(row)).toMatchObject({
        'User type': TWO_STEP_SHORT_NAME,
        Company: company.name,
        Step: '1 of 2',
      });
      const id = await openDecision(page, '/admin/approvals', staff.username, 'Approve');
      await expect(detail(page, 'Step')).toHaveText('1 of 2');
      await expect(detail(page, 'Comment from the previous approver')).toHaveCount(0);
      await expectAccessible(page);
      await decisionForm(page).comments.fill(firstComment);
      // The company's primary account is chosen explicitly here (company.spec.ts approves with
      // none chosen).
      await decisionForm(page).accounts.getByRole('checkbox').first().check();
      await decisionForm(page).approve.click();

      await expectBackOnQueue(page, '/admin/approvals');
      await expect(notice(page)).toHaveText('Approved. The request still needs approval by other approvers');
      await expect(queueRow(page, staff.username)).toHaveCount(0);
      await waitHydrated(page);
      await expectAccessible(page);
      // Not the primary user's to decide any more.
      await open(page, `/admin/approvals/${id}/approve`);
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(/^(Access denied|Page not found)$/);
      await expect(page.getByRole('main')).not.toContainText(staff.username);
      await expectAccessible(page);

      // Still pending: no sign-in, no welcome e-mail.
      await expectCannotSignInYet(staffPage, staff);
      expect(mailsTo(staff.email).filter((m) => /has been approved/.test(m.headers['subject'] ?? ''))).toEqual([]);

      // Step 2: the universal approver (the merchant admin) sees it with step 2 of 2.
      await signIn(adminPage, ADMIN, ADMIN_PASSWORD);
      await expect(adminPage).toHaveURL(`${baseURL()}/`);
      await expect(header(adminPage).getByText('Merchant Administrator', { exact: true })).toBeVisible();
      await waitHydrated(adminPage);
      await expectAccessible(adminPage);
      const adminRow = await findInQueue(adminPage, '/console/approvals', staff.username, expectAccessible);
      expect(await rowCells(adminRow)).toMatchObject({
        Name: fullName(staff),
        Username: staff.username,
        'E-mail': staff.email,
        'User type': TWO_STEP_SHORT_NAME,
        Company: company.name,
        'Request type': 'Registration',
        Step: '2 of 2',
      });
      const adminId = await openDecision(adminPage, '/console/approvals', staff.username, 'Approve');
      expect(adminId).toBe(id);
      await expect(detail(adminPage, 'Step')).toHaveText('2 of 2');
      // APR-2: the comment of the last approver is shown to the next.
      await expect(detail(adminPage, 'Comment from the previous approver')).toHaveText(firstComment);
      await expectAccessible(adminPage);
      await decisionForm(adminPage).comments.fill(secondComment);
      await expect(decisionForm(adminPage).accounts.getByRole('checkbox')).toHaveCount(1);
      await expect(decisionForm(adminPage).accounts.getByRole('checkbox', { name: /\(primary\)$/ })).toHaveCount(1);
      await decisionForm(adminPage).accounts.getByRole('checkbox').first().check();
      await decisionForm(adminPage).approve.click();

      await expectBackOnQueue(adminPage, '/console/approvals');
      await expect(notice(adminPage)).toHaveText('Approved. The user can now sign in.');
      await expect(queueRow(adminPage, staff.username)).toHaveCount(0);
      await waitHydrated(adminPage);
      await expectAccessible(adminPage);

      // Now the staff member can sign in, and has the welcome e-mail.
      await signInSucceeds(staffPage, staff);
      const welcome = await waitForMail(staff.email, /has been approved$/);
      expect(welcome.text).toContain(staff.username);
    } finally {
      await staffPage.context().close();
      await adminPage.context().close();
    }
  });
});

// ---------------------------------------------------------------------------------------------

test.describe('rejection (JavaScript on)', () => {
  test('reject with a comment: the e-mail carries it, and the username is free again (APR-6, REJ-1)', async ({
    page,
    browser,
  }) => {
    test.setTimeout(120_000);
    const company = newCompany('Reject');
    const primary = newPerson('primrej');
    const staff = newPerson('staffrej');
    const comment = `We do not know you, ${staff.firstName} — ref ${Date.now()}`;

    const registryId = await registerCompany(page, company, primary, expectAccessible);
    const staffPage = await newUserPage(browser, true);
    try {
      await registerStaff(staffPage, staff, registryId, expectAccessible);

      await openDecision(page, '/admin/approvals', staff.username, 'Reject');
      await expect(detail(page, 'Name')).toHaveText(fullName(staff));
      await expect(decisionForm(page).comments).toBeVisible();
      await expect(decisionForm(page).accounts).toHaveCount(0);
      await expectAccessible(page);
      await decisionForm(page).comments.fill(comment);
      await decisionForm(page).reject.click();

      await expectBackOnQueue(page, '/admin/approvals');
      await expect(notice(page)).toHaveText(/^Rejected\. /);
      await expect(queueRow(page, staff.username)).toHaveCount(0);
      await waitHydrated(page);
      await expectAccessible(page);

      // NOT-1: the rejection e-mail carries the approver's comment.
      const rejected = await waitForMail(staff.email, /^Your registration at (?!.*approved)/);
      expect(rejected.text).toContain(comment);
      expect(mailsTo(staff.email).filter((m) => /has been approved/.test(m.headers['subject'] ?? ''))).toEqual([]);

      // LOG-2: a rejected user gets the generic sign-in failure.
      await signIn(staffPage, staff.username, staff.password);
      await expect(loginForm(staffPage).alert).toContainText('The username or password is incorrect.');
      await expectSignedOut(staffPage);
      await expectAccessible(staffPage);

      // REJ-1, REG-8: the username is released at once: someone else registers with it.
      const again: Person = { ...newPerson('again'), username: staff.username };
      await registerStaff(staffPage, again, registryId, expectAccessible);
      const row = await findInQueue(page, '/admin/approvals', staff.username, expectAccessible);
      expect(await rowCells(row)).toMatchObject({
        Name: fullName(again),
        Username: staff.username,
        'E-mail': again.email,
        Step: '1 of 1',
      });
    } finally {
      await staffPage.context().close();
    }
  });
});

// ---------------------------------------------------------------------------------------------

test.describe("another company's requests (SEC-5)", () => {
  test("a primary user neither sees nor opens nor decides another company's request", async ({
    page,
    browser,
    request,
  }) => {
    test.setTimeout(120_000);
    const companyA: Company = newCompany('Alpha');
    const companyB: Company = newCompany('Beta');
    const primaryA = newPerson('primA');
    const primaryB = newPerson('primB');
    const staffA = newPerson('staffA');

    const registryA = await registerCompany(page, companyA, primaryA, expectAccessible);
    expect(await registerByPost(request, staffA, 'company_business', { registry_id: registryA })).toBe(
      '/register/pending',
    );
    const row = await findInQueue(page, '/admin/approvals', staffA.username, expectAccessible);
    const approveHref = (await row.getByRole('link', { name: /^Approve\b/ }).getAttribute('href')) as string;
    const id = requestIdOf(approveHref);

    const pageB = await newUserPage(browser, true);
    try {
      await registerCompany(pageB, companyB, primaryB, expectAccessible);

      // Not in B's queue.
      expect(await queueLists(pageB, '/admin/approvals', staffA.username)).toBe(false);
      await expect(pageB.getByRole('main')).not.toContainText(companyA.name);
      await expectAccessible(pageB);

      // Nor behind A's decision URLs: no details of the request.
      for (const action of ['approve', 'reject']) {
        await open(pageB, `/admin/approvals/${id}/${action}`);
        await expect(pageB.getByRole('heading', { level: 1 })).toHaveText(/^(Access denied|Page not found)$/);
        const main = pageB.getByRole('main');
        for (const secret of [staffA.username, staffA.email, fullName(staffA), companyA.name]) {
          await expect(main).not.toContainText(secret);
        }
        await expect(decisionForm(pageB).comments).toHaveCount(0);
        await expectAccessible(pageB);
      }

      // The merchant console is not for primary users.
      await open(pageB, '/console/approvals');
      await expect(pageB.getByRole('heading', { level: 1, name: /^(Access denied|Page not found)$/ })).toBeVisible();
      await expect(pageB.getByRole('main').getByRole('table')).toHaveCount(0);
      await expectAccessible(pageB);

      // Posting a decision with B's session changes nothing.
      for (const action of ['approve', 'reject']) {
        const response = await pageB.request.post(`/admin/approvals/${id}/${action}`, {
          headers: { Origin: baseURL() },
          form: { comments: 'not mine to decide' },
          maxRedirects: 0,
        });
        expect(response.headers()['location'] ?? '', `B's ${action} post is not accepted`).not.toMatch(/notice=/);
        expect(response.status(), `B's ${action} post`).toBeGreaterThanOrEqual(400);
      }
    } finally {
      await pageB.context().close();
    }

    // A's request is untouched: still in A's queue, the staff member still waits.
    const still = await findInQueue(page, '/admin/approvals', staffA.username, expectAccessible);
    expect((await rowCells(still)).Step).toBe('1 of 1');
    const staffPage = await newUserPage(browser, true);
    try {
      await expectCannotSignInYet(staffPage, staffA);
    } finally {
      await staffPage.context().close();
    }
  });
});

// ---------------------------------------------------------------------------------------------

test.describe('a temporary password (LOG-3)', () => {
  for (const javaScriptEnabled of [true, false]) {
    test(`a temporary password leads to Reset password, which reports each error and then lets the user in (JavaScript ${
      javaScriptEnabled ? 'on' : 'off'
    })`, async ({ browser }) => {
      const page = await newUserPage(browser, javaScriptEnabled);
      try {
        const primary = newPerson('primtmp');
        await registerCompany(page, newCompany('Temp'), primary, expectAccessible);
        // As if someone else had set the password (CON-3 has no screen yet).
        sqlite(
          'db.execute("UPDATE users SET must_change_password = 1 WHERE lower_username = lower(?)", (args[0],))',
          primary.username,
        );
        await open(page, '/admin/approvals');
        await expect(page.getByRole('heading', { level: 1, name: 'Reset password' })).toBeVisible();
        await expect(page).toHaveURL((url) => url.pathname === '/password/change');
        await expect(page.getByRole('main').getByRole('heading', { name: 'Access denied' })).toHaveCount(0);
        await expectAccessible(page);

        // LOG-6 error paths: each failure is told next to its field and changes nothing.
        const main = page.getByRole('main');
        const current = main.getByRole('textbox', { name: 'Current password', exact: true });
        const fresh = main.getByRole('textbox', { name: 'New password', exact: true });
        const confirm = main.getByRole('textbox', { name: 'Confirm new password', exact: true });
        const setPassword = async (a: string, b: string, c: string) => {
          await current.fill(a);
          await fresh.fill(b);
          await confirm.fill(c);
          await main.getByRole('button', { name: 'Set password' }).click();
        };
        const newPassword = `Quiet-Lantern-${Date.now().toString(36)}-Meadow`;
        await setPassword('not-my-password-at-all', newPassword, newPassword);
        await expect(page.locator('#current_password-error')).toHaveText('The current password is incorrect');
        await expect(main.getByRole('textbox', { name: 'Current password', exact: true })).toHaveAttribute(
          'aria-describedby',
          /current_password-error/,
        );
        await expect(main.getByRole('alert')).not.toBeEmpty();
        await expectAccessible(page);
        await setPassword(primary.password, 'short', 'short');
        await expect(page.locator('#new_password-error')).toHaveText('Password must be at least 12 characters');
        await setPassword(primary.password, newPassword, `${newPassword}x`);
        await expect(page.locator('#new_password_confirm-error')).toHaveText('Passwords do not match');
        await expect(page).toHaveURL((url) => url.pathname === '/password/change');

        await setPassword(primary.password, newPassword, newPassword);
        await expect(page).toHaveURL((url) => url.pathname === '/');
        await expect(page.getByRole('status').filter({ hasText: 'Your password has been changed.' })).toBeVisible();
        await expectAccessible(page);
        await open(page, '/admin/approvals');
        await expect(page.getByRole('heading', { level: 1, name: 'Pending Approvals' })).toBeVisible();
      } finally {
        await page.context().close();
      }
    });
  }
});
