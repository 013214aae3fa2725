import { loadAccountConfig, loadConfig, type AccountConfig, type Config } from '../config';

/*
 * lib/dependencies/ is the only place that constructs adapters and services. It is split by
 * what a function needs, because esbuild keeps every module a handler imports (a `once(...)`
 * call may have side effects, as far as it knows): config (here); storage, the DynamoDB
 * adapters; keys, the signing keys; tokens, access tokens; sessions; authorizer; accounts
 * (sign-up and administration) and login, the only two that reach bcryptjs. Each handler imports
 * the module of the service it calls. Every value is built on first use and kept for the
 * container's life; a function that never logs in never pays for bcrypt's dummy hash.
 */

/** Builds a value on first use and keeps it for the container's life. */
export function once<T>(build: () => T): () => T {
  let value: { built: T } | undefined;
  return () => (value ??= { built: build() }).built;
}

export const config = once((): Config => loadConfig());
/** Account operations need only these: no JWT setting (the admin CLI has none). */
export const accountConfig = once((): AccountConfig => loadAccountConfig());
