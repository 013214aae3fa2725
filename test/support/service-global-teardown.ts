import { registry, stopService } from './service-global-setup';

/** Stops the service the e2e global setup started: SIGINT to its process group, SIGKILL after 10 s. */
export default async function globalTeardown(): Promise<void> {
  const service = registry.__E2E_SERVICE__;
  if (service === undefined) return;
  delete registry.__E2E_SERVICE__;
  await stopService(service, 10_000);
}
