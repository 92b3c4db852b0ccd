// Test data and the page actions the specs share.
import { expect, type APIRequestContext, type Locator, type Page } from '@playwright/test';
import { randomBytes } from 'node:crypto';
import { isJavaScriptDisabled } from './a11y';
import { baseURL } from './env';

export interface Person {
  firstName: string;
  lastName: string;
  email: string;
  phone: string;
  username: string;
  password: string;
}

const FIRST = ['Beatrix', 'Cornelius', 'Dorothea', 'Evander', 'Florentyna', 'Gwendolyn'];
const LAST = ['Quimby', 'Ravensworth', 'Sandoval', 'Thistlewood', 'Underhill', 'Vanterpool'];

function pick<T>(list: T[]): T {
  return list[randomBytes(1)[0] % list.length];
}

/** A username no other test (or earlier run) uses: letters, digits and dots only. */
export function uniqueUsername(prefix = 'e2e'): string {
  return `${prefix}.${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
}

/** A strong password that contains neither the names above nor a username made here. */
export function strongPassword(): string {
  return `Velvet-Harbor-${randomBytes(3).toString('hex')}-Kettle`;
}

export function newPerson(prefix = 'e2e'): Person {
  const username = uniqueUsername(prefix);
  return {
    firstName: pick(FIRST),
    lastName: pick(LAST),
    email: `${username}@example.test`,
    phone: '+1 555 0100',
    username,
    password: strongPassword(),
  };
}

export const fullName = (p: Person): string => `${p.firstName} ${p.lastName}`;

/**
 * Opens a page and waits until it is ready for a user: with JavaScript, the network has gone
 * quiet after `load` (the wasm is fetched) and every form in <main> has been taken over by the
 * app (a submit listener, recorded by the page fixture in ./test). Without JavaScript, loaded.
 */
export async function gotoReady(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await waitUntilReady(page);
}

export async function waitUntilReady(page: Page): Promise<void> {
  await page.waitForLoadState('networkidle');
  if (isJavaScriptDisabled(page)) return;
  await page.waitForFunction(() =>
    [...document.querySelectorAll('main form')].every(
      (form) => (form as HTMLFormElement & { __e2eSubmitListener?: boolean }).__e2eSubmitListener === true,
    ),
  );
}

/**
 * The form fields of the registration forms (REG-5, REG-7), by their accessible names: the
 * labels exactly (the required-field "*" is aria-hidden, so not part of the name).
 */
export function registrationFields(page: Page) {
  const form = page.getByRole('main');
  const textbox = (name: string | RegExp) => form.getByRole('textbox', { name, exact: true });
  return {
    registryId: textbox('Registry ID'),
    firstName: textbox('First name'),
    lastName: textbox('Last name'),
    email: textbox('Email'),
    phone: textbox(/^(Business phone|Phone)$/),
    username: textbox('Username'),
    password: textbox('Password'),
    passwordConfirm: textbox('Confirm password'),
    marketing: form.getByRole('checkbox', {
      name: 'Please send me e-mail about special offers and products',
      exact: true,
    }),
    submit: form.getByRole('button', { name: 'Register', exact: true }),
  };
}

export async function fillRegistration(
  page: Page,
  p: Person,
  opts: { registryId?: string; password?: string; passwordConfirm?: string } = {},
): Promise<void> {
  const f = registrationFields(page);
  if (opts.registryId !== undefined) await f.registryId.fill(opts.registryId);
  await f.firstName.fill(p.firstName);
  await f.lastName.fill(p.lastName);
  await f.email.fill(p.email);
  await f.phone.fill(p.phone);
  await f.username.fill(p.username);
  await f.password.fill(opts.password ?? p.password);
  await f.passwordConfirm.fill(opts.passwordConfirm ?? opts.password ?? p.password);
}

/** The fields of an individual registration's plain form post (REG-5). */
export function registrationForm(p: Person): Record<string, string> {
  return {
    first_name: p.firstName,
    last_name: p.lastName,
    email: p.email,
    phone: p.phone,
    username: p.username,
    password: p.password,
    password_confirm: p.password,
  };
}

/** Registers through a plain form post, outside any browser page (test setup). */
export async function registerByPost(
  request: APIRequestContext,
  p: Person,
  type = 'individual',
  extra: Record<string, string> = {},
): Promise<string> {
  const response = await request.post(`/register/${type}`, {
    headers: { Origin: baseURL() },
    form: { ...registrationForm(p), ...extra },
    maxRedirects: 0,
  });
  expect(response.status(), `registering ${p.username}: ${await response.text()}`).toBeGreaterThanOrEqual(300);
  expect(response.status()).toBeLessThan(400);
  return response.headers()['location'] ?? '';
}

/** The page header (the `banner` landmark). */
export const header = (page: Page): Locator => page.getByRole('banner');

/** LOG-5: the header shows the user's full name and a Sign out button. */
export async function expectSignedInAs(page: Page, p: Person): Promise<void> {
  await expect(header(page).getByText(fullName(p), { exact: true })).toBeVisible();
  await expect(header(page).getByRole('button', { name: 'Sign out' })).toBeVisible();
  await expect(header(page).getByRole('link', { name: 'Sign in' })).toHaveCount(0);
}

export async function expectSignedOut(page: Page): Promise<void> {
  await expect(header(page).getByRole('link', { name: 'Sign in' })).toBeVisible();
  await expect(header(page).getByRole('button', { name: 'Sign out' })).toHaveCount(0);
}

/** The error shown next to a field (REG-14): tied to the input and flagged on it. */
export async function expectFieldError(field: Locator, message: string): Promise<void> {
  const errors = field.page().locator('.field-error').filter({ hasText: message });
  await expect(errors).toHaveCount(1);
  await expect(errors).toHaveText(message);
  await expect(field).toHaveAttribute('aria-invalid', 'true');
  const errorId = await errors.getAttribute('id');
  expect(errorId, 'the field error has an id').toBeTruthy();
  const describedBy = (await field.getAttribute('aria-describedby')) ?? '';
  expect(describedBy.split(/\s+/), `aria-describedby of the field names ${errorId}`).toContain(errorId);
  await expect(field).toHaveAccessibleDescription(new RegExp(escapeRegExp(message)));
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A form-level message without its "(reference XXXXXXXX)" code (LOG-1). */
export function withoutReference(text: string): string {
  return text.replace(/\s*\(reference [0-9A-Z]{8}\)\s*/, ' ').replace(/\s+/g, ' ').trim();
}

export const REFERENCE = /\(reference ([0-9A-Z]{8})\)/;
