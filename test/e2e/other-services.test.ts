/**
 * A second service behind this one's authorizer, both running as a developer runs them: the suite's
 * `npm start`, and examples/greeter under `serverless offline` on its own ports. serverless-offline
 * cannot call an authorizer by ARN, so the example runs serverless-auth's authorizer code with
 * that `npm start`'s settings (its DynamoDB Local and signing key): docs/other-services.md.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import jwt from 'jsonwebtoken';
import { distinctFreePorts, spawnService, stopService, type RunningService } from '../support/service-global-setup';
import { adminToken, baseUrl, bodyOf, decodeJwt, expectStatus, jwtSecret, newUser, request, type ApiResponse } from './support';

const ROOT = join(__dirname, '..', '..');
const EXAMPLE_DIR = join(ROOT, 'examples', 'greeter');
const STARTUP_TIMEOUT_MS = 150_000;

let example: RunningService;
let exampleUrl: string;
const workFolder = `.esbuild-e2e-${process.pid}`;

beforeAll(async () => {
  const [port, websocketPort, lambdaPort] = await distinctFreePorts(3);
  example = spawnService(
    join(ROOT, 'node_modules', '.bin', 'serverless'),
    ['offline', 'start', '--stage', 'dev'],
    {
      cwd: EXAMPLE_DIR,
      env: {
        ...process.env,
        AUTH_PORT: new URL(baseUrl()).port,
        GREETER_PORT: String(port),
        GREETER_WEBSOCKET_PORT: String(websocketPort),
        GREETER_LAMBDA_PORT: String(lambdaPort),
        ESBUILD_WORK_FOLDER: workFolder,
      },
    },
    'greeter',
  );
  exampleUrl = `http://127.0.0.1:${port}/dev`;
  await waitUntilServing();
}, STARTUP_TIMEOUT_MS + 10_000);

afterAll(async () => {
  if (example !== undefined) await stopService(example);
  rmSync(join(EXAMPLE_DIR, workFolder), { recursive: true, force: true });
});

/** Until GET /hello answers at all (401 without a token); fails with its output if it exits or never does. */
async function waitUntilServing(): Promise<void> {
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  while (Date.now() < deadline && example.child.exitCode === null) {
    try {
      await fetch(`${exampleUrl}/hello`);
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
  throw new Error(`examples/greeter did not start (exit code ${String(example.child.exitCode)}):\n${example.output.text()}`);
}

const hello = (token?: string): Promise<ApiResponse> =>
  request('GET', '/hello', { baseUrl: exampleUrl, ...(token === undefined ? {} : { token }) });

/** The example's answers are not in this service's OpenAPI document: the status alone, with the body in the message. */
function expectExampleStatus(response: ApiResponse, status: number): void {
  expect({ status: response.status, body: response.text.slice(0, 300) }).toEqual({ status, body: expect.any(String) });
}

describe('examples/greeter behind the shared authorizer', () => {
  it("answers 200 to a user's token, greeting the account the authorizer named", async () => {
    const user = await newUser('greeter');
    const response = await hello(user.token);
    expectExampleStatus(response, 200);
    expect(bodyOf(response)).toEqual({ message: `Hello, ${user.username}!`, account_id: user.id });
  });

  it('answers 401 without a token or with a token it cannot verify', async () => {
    expectExampleStatus(await hello(), 401);
    expectExampleStatus(await hello('not.a.token'), 401);
  });

  it('answers 403 to a live token whose permissions do not open the route', async () => {
    // Every role grants profile:read today: the user's own live session, signed with the suite's
    // key, with a scope that lacks it. The authorizer trusts the signed scope, as for any token.
    const user = await newUser('greeter');
    const { header, payload } = decodeJwt(user.token);
    const narrow = jwt.sign({ ...payload, scope: 'profile:write' }, jwtSecret(), { algorithm: 'HS256', header: { ...header, alg: 'HS256' } });
    expectExampleStatus(await hello(narrow), 403);
    expectExampleStatus(await hello(user.token), 200);
  });

  it('refuses a token at once after POST /auth/logout on serverless-auth', async () => {
    const user = await newUser('greeter');
    expectExampleStatus(await hello(user.token), 200);
    expectStatus(await request('POST', '/auth/logout', { token: user.token }), 204);
    expectExampleStatus(await hello(user.token), 401);
  });

  it("refuses a token at once when an admin disables its account", async () => {
    const user = await newUser('greeter');
    expectExampleStatus(await hello(user.token), 200);
    expectStatus(await request('PATCH', `/admin/users/${user.id}`, { token: await adminToken(), json: { disabled: true } }), 200);
    expectExampleStatus(await hello(user.token), 401);
  });
});
