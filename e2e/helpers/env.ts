// What playwright.config.ts shares with the tests through the environment.
function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the suite through playwright.config.ts`);
  return value;
}

export const baseURL = (): string => required('GATEHOUSE_E2E_BASE_URL');
export const mailDir = (): string => required('GATEHOUSE_E2E_MAIL_DIR');
export const serverLog = (): string => required('GATEHOUSE_E2E_SERVER_LOG');
