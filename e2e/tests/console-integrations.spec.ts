// covers: CON-4, API-1, API-2, API-3, API-5, SEC-7, REG-14, REG-15
// Integration users (CON-4) and the JSON API (SPEC §13) as a merchant admin and an integrated
// system use them: the admin creates an integration user in the console and sees its client
// secret once; the system (Playwright's request API) gets a token with it, lists the pending
// approvals, finds a staff request and approves it; the admin inactivates the integration user
// and the same token gets 401 at once. Without JavaScript the form keeps what was typed next to
// its error. The OpenAPI document validates as OpenAPI 3.1. Axe on every page; 390/1280 px.
import { validate, compileErrors } from '@readme/openapi-parser';
import { request as playwrightRequest, type APIRequestContext } from '@playwright/test';
import { randomBytes } from 'node:crypto';
import { expect, test } from '../helpers/test';
import { expectAccessible, markJavaScriptDisabled } from '../helpers/a11y';
import { newPerson, registerByPost } from '../helpers/app';
import { newUserPage, open, waitHydrated } from '../helpers/approvals';
import { consoleNav, screenshots, signInAsNewConsoleAdmin } from '../helpers/console';
import { baseURL } from '../helpers/env';

const uniqueClientId = (prefix: string) => `${prefix}-${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;

/** A client with no cookies: what an integrated system is. */
async function system(): Promise<APIRequestContext> {
  return playwrightRequest.newContext({ baseURL: baseURL() });
}

async function tokenFor(api: APIRequestContext, clientId: string, secret: string) {
  return api.post('/api/v1/token', {
    headers: { Authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}` },
    form: { grant_type: 'client_credentials' },
  });
}

test('an admin creates an integration user, which approves a request through the API until it is inactivated', async ({
  page,
  request,
}) => {
  await signInAsNewConsoleAdmin(page, request, 'intg');
  await open(page, '/console');
  await consoleNav(page).getByRole('link', { name: 'Integrations' }).click();
  await expect(page).toHaveURL((url) => url.pathname === '/console/integrations');
  const main = page.getByRole('main');
  await expect(main.getByRole('heading', { level: 1, name: 'Integration users' })).toBeVisible();
  await expect(consoleNav(page).getByRole('link', { name: 'Integrations' })).toHaveAttribute('aria-current', 'page');
  await expectAccessible(page);
  await screenshots(page, 'console-integrations');

  await main.getByRole('link', { name: 'Create', exact: true }).click();
  await expect(page).toHaveURL((url) => url.pathname === '/console/integrations/new');
  await waitHydrated(page);
  await expect(main.getByRole('heading', { level: 1, name: 'Create integration user' })).toBeVisible();
  await expectAccessible(page);
  await screenshots(page, 'console-integration-new');

  // With JavaScript: the browser's check first, nothing sent.
  await main.getByRole('textbox', { name: 'Client ID' }).fill('x');
  await main.getByRole('button', { name: 'Create', exact: true }).click();
  await expect(main.locator('#client_id-error')).toHaveText('The Client ID must be 3 to 128 characters');
  await expectAccessible(page);

  const clientId = uniqueClientId('cpq');
  await main.getByRole('textbox', { name: 'Client ID' }).fill(clientId);
  await main.getByRole('textbox', { name: 'Name' }).fill('CPQ in Fusion');
  await main.getByRole('checkbox', { name: /^approvals:read/ }).check();
  await main.getByRole('checkbox', { name: /^approvals:write/ }).check();
  await main.getByRole('button', { name: 'Create', exact: true }).click();
  await expect(page).toHaveURL((url) => /^\/console\/integrations\/[^/]+\/secret$/.test(url.pathname));
  await expect(main.getByRole('heading', { level: 1, name: 'Client secret' })).toBeVisible();
  const secret = (await main.locator('#client-secret').textContent())?.trim() ?? '';
  expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
  expect(page.url()).not.toContain(secret);
  await expect(main.locator('#client-id')).toHaveText(clientId);
  await expectAccessible(page);
  await screenshots(page, 'console-integration-secret');
  // Shown once: a reload shows it no more.
  await page.reload();
  await expect(main.getByText('The secret was shown once and cannot be shown again.')).toBeVisible();
  await expect(main.locator('#client-secret')).toHaveCount(0);

  // A staff registration that waits for approval (demo company Acme Tools, OPS-6).
  const staff = newPerson('intgstaff');
  await registerByPost(request, staff, 'company_business', { registry_id: 'R-ACME01' });

  const api = await system();
  const token = await tokenFor(api, clientId, secret);
  expect(token.status()).toBe(200);
  const { access_token: accessToken, token_type: tokenType, expires_in: expiresIn } = await token.json();
  expect(tokenType).toBe('Bearer');
  expect(expiresIn).toBe(900);
  const bearer = { Authorization: `Bearer ${accessToken}` };

  // The pending approvals, page by page, until the staff member's request.
  let requestId: string | undefined;
  let cursor: string | null = null;
  do {
    const params: Record<string, string | number> = cursor ? { limit: 50, cursor } : { limit: 50 };
    const listed = await api.get('/api/v1/approvals', { headers: bearer, params });
    expect(listed.status()).toBe(200);
    const pageOfItems: { items: { id: string; username: string }[]; next_cursor: string | null } = await listed.json();
    requestId = pageOfItems.items.find((item) => item.username === staff.username)?.id;
    cursor = pageOfItems.next_cursor;
  } while (!requestId && cursor);
  expect(requestId, 'the staff request is listed').toBeTruthy();

  const approved = await api.post(`/api/v1/approvals/${requestId}/approve`, {
    headers: { ...bearer, 'Idempotency-Key': `e2e-${requestId}` },
    data: { comment: 'Approved by CPQ' },
  });
  expect(approved.status()).toBe(200);
  expect((await approved.json()).status).toBe('approved');
  const decided = await api.post(`/api/v1/approvals/${requestId}/approve`, { headers: bearer, data: {} });
  expect(decided.status()).toBe(409);
  expect(decided.headers()['content-type']).toBe('application/problem+json');
  // Out of its scopes: 403 problem with the reference code.
  const users = await api.get('/api/v1/users', { headers: bearer });
  expect(users.status()).toBe(403);
  expect((await users.json()).reference).toBe(users.headers()['x-request-id']);

  // The admin inactivates it: the same token gets 401 at once.
  await open(page, page.url().replace(/\/secret$/, ''));
  await expect(main.getByRole('heading', { level: 1, name: 'Edit integration user' })).toBeVisible();
  await expectAccessible(page);
  await screenshots(page, 'console-integration-edit');
  await main.getByRole('button', { name: 'Inactivate', exact: true }).click();
  await expect(main.getByRole('status').filter({ hasText: 'inactivated' })).toBeVisible();
  await expect(main.getByRole('button', { name: 'Activate', exact: true })).toBeVisible();
  const refused = await api.get('/api/v1/approvals', { headers: bearer });
  expect(refused.status()).toBe(401);
  expect(refused.headers()['www-authenticate']).toContain('Bearer');
  expect((await tokenFor(api, clientId, secret)).status()).toBe(401);

  await open(page, '/console/integrations');
  await expect(main.getByRole('row', { name: new RegExp(clientId) })).toContainText('Inactive');
  await expectAccessible(page);
  await api.dispose();
});

test('without JavaScript the form keeps what was typed, finds organizations and shows the secret', async ({ browser, request }) => {
  const page = await newUserPage(browser, false);
  markJavaScriptDisabled(page);
  await signInAsNewConsoleAdmin(page, request, 'intgnojs');
  await open(page, '/console/integrations/new');
  const main = page.getByRole('main');
  const clientId = uniqueClientId('erp');
  await main.getByRole('textbox', { name: 'Client ID' }).fill(clientId);
  await main.getByRole('textbox', { name: 'Name' }).fill('ERP');
  await main.getByRole('checkbox', { name: /^organizations:read/ }).check();
  // "Find organizations" is a GET of the same form: what was typed stays.
  await main.getByRole('searchbox', { name: 'Find organizations' }).fill('Acme');
  await main.getByRole('button', { name: 'Find organizations' }).click();
  await expect(main.getByRole('checkbox', { name: 'Acme Tools (R-ACME01)' })).toBeVisible();
  await expect(main.getByRole('textbox', { name: 'Client ID' })).toHaveValue(clientId);
  await expect(main.getByRole('checkbox', { name: /^organizations:read/ })).toBeChecked();
  await expectAccessible(page);
  await main.getByRole('checkbox', { name: 'Acme Tools (R-ACME01)' }).check();

  // A bad name is refused next to its field by the server, values kept.
  await main.getByRole('textbox', { name: 'Name' }).fill('N'.repeat(101));
  await main.getByRole('button', { name: 'Create', exact: true }).click();
  await expect(main.locator('#name-error')).toHaveText('The name must be at most 100 characters');
  await expect(main.getByRole('textbox', { name: 'Client ID' })).toHaveValue(clientId);
  await expect(main.getByRole('checkbox', { name: 'Acme Tools (R-ACME01)' })).toBeChecked();
  await expect(main.getByRole('alert')).toContainText('There is a problem with one field');
  await expectAccessible(page);

  await main.getByRole('textbox', { name: 'Name' }).fill('ERP');
  await main.getByRole('button', { name: 'Create', exact: true }).click();
  await expect(main.getByRole('heading', { level: 1, name: 'Client secret' })).toBeVisible();
  const secret = (await main.locator('#client-secret').textContent())?.trim() ?? '';
  const api = await system();
  const token = await tokenFor(api, clientId, secret);
  expect(token.status()).toBe(200);
  const { access_token: accessToken } = await token.json();
  // API-2: its sales group is Acme Tools only.
  const organizations = await api.get('/api/v1/organizations', { headers: { Authorization: `Bearer ${accessToken}` } });
  expect(organizations.status()).toBe(200);
  expect((await organizations.json()).items.map((o: { registry_id: string }) => o.registry_id)).toEqual(['R-ACME01']);
  await api.dispose();
  await page.context().close();
});

test('the OpenAPI document validates as OpenAPI 3.1 and every route without a token answers 401', async () => {
  const api = await system();
  const response = await api.get('/api/v1/openapi.json');
  expect(response.status()).toBe(200);
  const document = await response.json();
  expect(document.openapi).toMatch(/^3\.1\./);
  const result = await validate(structuredClone(document));
  expect(result.valid, result.valid ? '' : compileErrors(result)).toBe(true);
  for (const [path, item] of Object.entries(document.paths as Record<string, Record<string, unknown>>)) {
    if (path === '/token' || path === '/openapi.json') continue;
    for (const method of Object.keys(item)) {
      const url = `/api/v1${path.replace('{id}', '00000000-0000-7000-8000-000000000000')}`;
      const answer = await api.fetch(url, { method: method.toUpperCase() });
      expect(answer.status(), `${method} ${url}`).toBe(401);
      expect(answer.headers()['content-type']).toBe('application/problem+json');
    }
  }
  await api.dispose();
});
