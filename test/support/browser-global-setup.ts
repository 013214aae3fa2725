/**
 * Jest globalSetup of the browser project: its own `npm start` (as the e2e project does, with
 * startService), so the browser tests' accounts, lockouts and cookies meet no other suite's. The
 * workers get its base URL through process.env.
 */
import { registry as e2eRegistry, startService, type RunningService } from './service-global-setup';

type Registry = typeof globalThis & { __BROWSER_SERVICE__?: RunningService };
export const registry = e2eRegistry as Registry;

export default async function globalSetup(): Promise<void> {
  const { service, baseUrl } = await startService({}, 'browser service');
  registry.__BROWSER_SERVICE__ = service;
  process.env['BROWSER_BASE_URL'] = baseUrl;
}
