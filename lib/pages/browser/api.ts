/**
 * The pages' client of the API, in cookie mode: the refresh token lives only in the HttpOnly
 * cookie, which this script can neither read nor write; the access token lives only in this
 * object's memory, and is renewed through the cookie before it expires or when the API refuses it.
 */

/** The API's base: the pages are served at <base>/pages/<page>, whatever the stage prefix. */
const API_BASE = new URL('../', window.location.href);
const COOKIE_MODE = { 'X-Refresh-Token-Transport': 'cookie' } as const;
/** Renew this long before the access token expires. */
const RENEW_EARLY_SECONDS = 60;

/** The API answered with an error (its `{error, error_description}`, when it wrote one). */
export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly description: string,
    readonly retryAfterSeconds: number | undefined,
  ) {
    super(`${status} ${code}`);
  }
}

/** The service did not answer at all. */
export class NetworkProblem extends Error {}

/** The session is gone (signed out here, in another tab, or ended elsewhere): sign in again. */
export class SignedOut extends Error {}

interface Answer {
  readonly status: number;
  readonly body: unknown;
}

interface TokenAnswer {
  readonly access_token: string;
  readonly expires_in: number;
}

async function send(method: string, path: string, options: { token?: string; json?: unknown; cookieMode?: boolean } = {}): Promise<Answer> {
  const headers: Record<string, string> = options.cookieMode === true ? { ...COOKIE_MODE } : {};
  if (options.token !== undefined) headers['Authorization'] = `Bearer ${options.token}`;
  if (options.json !== undefined) headers['Content-Type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(new URL(path, API_BASE), {
      method,
      headers,
      body: options.json === undefined ? undefined : JSON.stringify(options.json),
      credentials: 'same-origin',
      cache: 'no-store',
    });
  } catch {
    throw new NetworkProblem();
  }
  const text = await response.text();
  let body: unknown;
  try {
    body = text === '' ? undefined : (JSON.parse(text) as unknown);
  } catch {
    body = undefined;
  }
  if (response.ok) return { status: response.status, body };
  const fields = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const retryAfter = Number(response.headers.get('Retry-After'));
  throw new ApiProblem(
    response.status,
    typeof fields['error'] === 'string' ? fields['error'] : '',
    typeof fields['error_description'] === 'string' ? fields['error_description'] : '',
    Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined,
  );
}

/** Creates an account (no session: sign in afterwards). */
export async function register(username: string, password: string): Promise<void> {
  await send('POST', 'auth/register', { json: { username, password } });
}

/** Signs in in cookie mode: the service sets the refresh cookie; the access token is not needed on this page. */
export async function signIn(username: string, password: string): Promise<void> {
  await send('POST', 'auth/login', { json: { username, password }, cookieMode: true });
}

/** A signed-in page's connection to the API. */
export class Session {
  /** `signedOut` runs when a renewal on the timer finds the session gone. */
  constructor(private readonly signedOut: () => void) {}

  private accessToken: string | undefined;
  private renewing: Promise<void> | undefined;
  private renewTimer: number | undefined;

  /**
   * A new access token through the cookie (the cookie rotates). Concurrent callers in this tab
   * share one request; other tabs may refresh at the same moment, which the service's reuse
   * interval allows. Throws SignedOut when the cookie no longer opens a session.
   */
  renew(): Promise<void> {
    this.renewing ??= this.refresh().finally(() => {
      this.renewing = undefined;
    });
    return this.renewing;
  }

  /**
   * Calls the API with the access token; when the API refuses the token (expired, or its session
   * ended), renews it once and tries again. SignedOut when renewing fails.
   */
  async call(method: string, path: string, json?: unknown, cookieMode = false): Promise<unknown> {
    if (this.accessToken === undefined) await this.renew();
    try {
      return (await send(method, path, { token: this.accessToken, json, cookieMode })).body;
    } catch (problem) {
      // invalid_grant on a 401 is the application's answer (a wrong current password), not the token's.
      if (!(problem instanceof ApiProblem) || problem.status !== 401 || problem.code === 'invalid_grant') throw problem;
    }
    await this.renew();
    return (await send(method, path, { token: this.accessToken, json, cookieMode })).body;
  }

  /** Ends this session (or every session of the account); the service clears the cookie. */
  async signOut(everywhere: boolean): Promise<void> {
    await this.call('POST', everywhere ? 'auth/logout-all' : 'auth/logout', undefined, true);
    this.forget();
  }

  private async refresh(): Promise<void> {
    let answer: Answer;
    try {
      answer = await send('POST', 'auth/refresh', { cookieMode: true });
    } catch (problem) {
      // 400 (no cookie) and 401 (a cookie that opens nothing): signed out. Anything else may pass.
      if (problem instanceof ApiProblem && (problem.status === 400 || problem.status === 401 || problem.status === 403)) {
        this.forget();
        throw new SignedOut();
      }
      throw problem;
    }
    const tokens = answer.body as TokenAnswer;
    this.accessToken = tokens.access_token;
    window.clearTimeout(this.renewTimer);
    const delay = Math.max(10, tokens.expires_in - RENEW_EARLY_SECONDS) * 1000;
    this.renewTimer = window.setTimeout(() => {
      this.renew().catch((problem: unknown) => {
        if (problem instanceof SignedOut) this.signedOut();
        // Anything else (the network): the next call renews again and reports what fails.
      });
    }, delay);
  }

  private forget(): void {
    this.accessToken = undefined;
    window.clearTimeout(this.renewTimer);
  }
}
