// covers: REG-14, LOG-5
// A full disk, in the browser (issue 11). A server of its own, on a SQLite database in a small
// tmpfs that the test fills: a registration is refused with "out of storage space" where the
// form shows its errors, the typed values kept and nothing saved; a sign-out the database cannot
// record says so and the user stays signed in; once space returns both work.
//
// Mounting a tmpfs needs root and the right to mount (as `make soak` does). Where mounting is
// refused the test is skipped with that reason (the HTTP tests in server/tests/integration/
// http_out_of_space.rs cover the same answers everywhere).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '../helpers/test';
import { expectAccessible } from '../helpers/a11y';
import {
  expectSignedInAs,
  fillRegistration,
  gotoReady,
  header,
  newPerson,
  REFERENCE,
  registrationFields,
  registrationForm,
  type Person,
} from '../helpers/app';

const port = Number(process.env.E2E_PORT ?? 3137) + 11;
const base = `http://127.0.0.1:${port}`;
const OUT_OF_SPACE =
  'We could not save this: the server is out of storage space. Nothing was changed; please try again later.';

let dir = '';
let disk = '';
let server: ChildProcess | undefined;

/** Mounts a small tmpfs at `at`; false where this machine does not allow it. */
function mountTmpfs(at: string): boolean {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=24m', 'tmpfs', at], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

async function waitReady(deadline = Date.now() + 30_000): Promise<void> {
  for (;;) {
    const ready = await fetch(`${base}/readyz`).then((r) => r.ok, () => false);
    if (ready) return;
    if (Date.now() > deadline) throw new Error(`the disk-full server did not become ready (${dir}/server.log)`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Fills the tmpfs to its last byte (dd stops with "No space left on device"). */
function fillDisk(): void {
  try {
    execFileSync('dd', ['if=/dev/zero', `of=${path.join(disk, 'filler')}`, 'bs=64k'], { stdio: 'ignore' });
  } catch {
    // dd exits non-zero when the device is full: that is the point.
  }
}

function freeDisk(): void {
  rmSync(path.join(disk, 'filler'), { force: true });
}

/** A registration posted as a plain form: its status and page. */
async function postRegistration(p: Person): Promise<{ status: number; body: string }> {
  const response = await fetch(`${base}/register/individual`, {
    method: 'POST',
    redirect: 'manual',
    headers: { Origin: base, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(registrationForm(p)),
  });
  return { status: response.status, body: await response.text() };
}

/**
 * Registers until the database refuses: SQLite may still fit a write into its log's free
 * pages just after the disk fills, never for long. Every answer is a save (303) or the refusal.
 */
async function untilRefused(): Promise<void> {
  for (let attempt = 0; attempt < 60; attempt++) {
    const { status, body } = await postRegistration(newPerson('fill'));
    if (status === 503) {
      expect(body).toContain(OUT_OF_SPACE);
      return;
    }
    expect(status, `a registration on a full disk is saved or refused: ${body.slice(0, 300)}`).toBe(303);
  }
  throw new Error('60 registrations on a full disk were all saved');
}

test.describe('a full disk', () => {
  test.describe.configure({ mode: 'serial' });
  test.use({ baseURL: base });

  test.beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'gatehouse-disk-full-'));
    mkdirSync(path.join(dir, 'disk'));
    const mounted = mountTmpfs(path.join(dir, 'disk'));
    test.skip(!mounted, 'mounting a tmpfs is not allowed here (needs root)');
    disk = path.join(dir, 'disk');
    const log = openSync(path.join(dir, 'server.log'), 'a');
    const e2e = path.resolve(__dirname, '..');
    server = spawn(path.resolve(e2e, process.env.GATEHOUSE_BIN ?? '../target/release/gatehouse'), [], {
      stdio: ['ignore', log, log],
      env: {
        ...process.env,
        LEPTOS_SITE_ADDR: `127.0.0.1:${port}`,
        LEPTOS_SITE_ROOT: path.resolve(e2e, process.env.LEPTOS_SITE_ROOT ?? '../target/site'),
        DATABASE_URL: `sqlite://${path.join(disk, 'gatehouse.db')}`,
        GATEHOUSE_PUBLIC_URL: base,
        GATEHOUSE_MAIL_DIR: path.join(dir, 'mail'),
        GATEHOUSE_DEMO_DATA: '1',
        GATEHOUSE_ADMIN_PASSWORD: 'e2e-Disk-full-passphrase-5150',
        GATEHOUSE_IP_RATE_LIMIT: 'off',
        RUST_LOG: 'info,sqlx=warn,tower_sessions=warn',
      },
    });
    await waitReady();
  });

  test.afterAll(async () => {
    if (server && server.exitCode === null) {
      const exited = new Promise((resolve) => server?.once('exit', resolve));
      server.kill('SIGTERM');
      await exited;
    }
    if (disk) execFileSync('umount', [disk]);
    if (dir && !process.env.E2E_KEEP_TMP) rmSync(dir, { recursive: true, force: true });
  });

  test('a refused registration and sign-out say so, keep what was typed, and work once space returns', async ({
    page,
  }) => {
    // Signed in (an individual registration signs the user in) while there is space.
    const signedIn = newPerson('space');
    await gotoReady(page, '/register/individual');
    await fillRegistration(page, signedIn);
    await registrationFields(page).submit.click();
    await expectSignedInAs(page, signedIn);

    fillDisk();
    await untilRefused();

    // The sign-out cannot be recorded: a page says so, with the reference; still signed in.
    await gotoReady(page, '/');
    await header(page).getByRole('button', { name: 'Sign out' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Not signed out' })).toBeVisible();
    const alert = page.getByRole('alert');
    await expect(alert).toContainText('We could not sign you out');
    await expect(alert).toContainText('you are still signed in');
    await expect(alert).toHaveText(REFERENCE);
    await expectAccessible(page);
    await gotoReady(page, '/');
    await expectSignedInAs(page, signedIn);

    // A registration is refused where the form shows its errors; nothing typed is lost.
    const refused = newPerson('full');
    await gotoReady(page, '/register/individual');
    await fillRegistration(page, refused);
    await registrationFields(page).submit.click();
    const formAlert = page.getByRole('main').getByRole('alert');
    await expect(formAlert).toContainText(OUT_OF_SPACE);
    await expect(formAlert).toHaveText(REFERENCE);
    await expectFormKept(page, refused);
    await expectAccessible(page);

    // Space returns: the same form saves (so the refused one saved nothing: its username was
    // still free), and signing out works.
    freeDisk();
    await registrationFields(page).password.fill(refused.password);
    await registrationFields(page).passwordConfirm.fill(refused.password);
    await registrationFields(page).submit.click();
    await expectSignedInAs(page, refused);
    await header(page).getByRole('button', { name: 'Sign out' }).click();
    await expect(header(page).getByRole('link', { name: 'Sign in' })).toBeVisible();
  });
});

/** The typed values are still in the form after the refusal (passwords never are, REG-14). */
async function expectFormKept(page: Page, p: Person): Promise<void> {
  const f = registrationFields(page);
  await expect(f.firstName).toHaveValue(p.firstName);
  await expect(f.lastName).toHaveValue(p.lastName);
  await expect(f.email).toHaveValue(p.email);
  await expect(f.username).toHaveValue(p.username);
}
