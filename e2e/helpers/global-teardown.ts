// Removes the run's temporary folder (database, mail, server.log) unless E2E_KEEP_TMP=1.
import { rmSync } from 'node:fs';

export default async function globalTeardown(): Promise<void> {
  const tmp = process.env.GATEHOUSE_E2E_TMP;
  if (!tmp) return;
  if (process.env.E2E_KEEP_TMP === '1') {
    console.log(`e2e: kept ${tmp} (database, mail/, server.log)`);
    return;
  }
  rmSync(tmp, { recursive: true, force: true });
}
