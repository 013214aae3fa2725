import { registry } from './browser-global-setup';
import { stopService } from './service-global-setup';

/** Stops the browser project's service: SIGINT to its process group, SIGKILL after 10 s. */
export default async function globalTeardown(): Promise<void> {
  const service = registry.__BROWSER_SERVICE__;
  if (service === undefined) return;
  delete registry.__BROWSER_SERVICE__;
  await stopService(service, 10_000);
}
