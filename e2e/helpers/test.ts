// The suite's `test`: Playwright's, with pages that
// - remember whether JavaScript is disabled (for expectAccessible, see ./a11y);
// - with JavaScript, record which forms got a submit listener, so gotoReady can wait until the
//   app has hydrated and taken over its forms (the app has no "hydrated" marker of its own).
import { test as base, type BrowserContext, type Page } from '@playwright/test';
import { markJavaScriptDisabled } from './a11y';

export const test = base.extend({
  page: async ({ page, javaScriptEnabled }, use) => {
    if (javaScriptEnabled === false) {
      markJavaScriptDisabled(page);
    } else {
      await trackFormTakeover(page);
    }
    await use(page);
  },
});

/** Records, on each form, that the page's script added a submit listener to it. */
export async function trackFormTakeover(target: Page | BrowserContext): Promise<void> {
  await target.addInitScript(() => {
    const original = EventTarget.prototype.addEventListener;
    EventTarget.prototype.addEventListener = function (this: EventTarget, type: string, ...rest: unknown[]) {
      if (type === 'submit' && this instanceof HTMLFormElement) {
        (this as HTMLFormElement & { __e2eSubmitListener?: boolean }).__e2eSubmitListener = true;
      }
      return (original as (...args: unknown[]) => void).call(this, type, ...rest);
    } as typeof EventTarget.prototype.addEventListener;
  });
}

export { expect } from '@playwright/test';
export type { Page } from '@playwright/test';
