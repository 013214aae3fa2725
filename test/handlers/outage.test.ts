/**
 * Storage faults, on a DynamoDB Local of this file's own, started here and stopped mid-test: a
 * separately built service (its own module registry, pointed at that instance) must answer 503
 * service_unavailable within a bounded time while the store is stopped, hangs, or throttles; the
 * authorizer must never Allow after a storage call failed; and a sign-up that fails half-way must
 * leave nothing behind.
 */
import crypto from 'node:crypto';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createTcpServer, type Server as TcpServer, type Socket } from 'node:net';
import type { APIGatewayAuthorizerResult, APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { DynamoDBDocumentClient, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { ensureTable, freePort, localClient, startDynamoDbLocal, type LocalDynamoDb } from '../../scripts/local-dynamodb';
import { authorizerEvent, bodyOf, httpEvent, lambdaContext, uniqueUsername, type HttpEventInput } from '../support/events';
import { expectApiError, expectAuthorizerFailure, expectUnauthorized, PASSWORD } from './helpers';

const TABLE = 'serverless-auth-outage';
/** Generous for a loaded machine; the SDK settings (3 attempts, 0.5 s connect, 1 s request timeouts) aim at about 3.5 s. */
const BOUND_MS = 5_000;

/** Past this a call is reported as unanswered instead of running into the test's own timeout. */
const GIVE_UP_MS = 15_000;

/** The promise's value, or undefined if it has not settled within `ms`. */
async function withDeadline<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

type HttpHandler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;
type Authorizer = (event: ReturnType<typeof authorizerEvent>, context: Context) => Promise<APIGatewayAuthorizerResult>;

interface Service {
  readonly handlers: Record<'register' | 'login' | 'oauthToken' | 'me' | 'adminCreate' | 'adminList' | 'adminGet' | 'adminUpdate' | 'adminDelete', HttpHandler>;
  readonly authorizer: Authorizer;
  readonly createAccount: (username: string, roles: ('user' | 'admin')[]) => Promise<{ id: string }>;
  /** How many requests the service's AWS SDK clients have sent (each with its retries). */
  readonly storageCalls: () => number;
  readonly release: () => void;
}

/** The whole service built afresh in its own module registry, reading this environment at INIT. */
async function buildService(endpoint: string): Promise<Service> {
  const saved = { endpoint: process.env['DYNAMODB_ENDPOINT'], table: process.env['TABLE_NAME'] };
  process.env['DYNAMODB_ENDPOINT'] = endpoint;
  process.env['TABLE_NAME'] = TABLE;
  try {
    let built: Service | undefined;
    await jest.isolateModulesAsync(async () => {
      const { config } = await import('../../lib/dependencies/config');
      const { accountService } = await import('../../lib/dependencies/accounts');
      config(); // read now, while the environment names this instance
      // Every SDK client (document or plain) sends through the Smithy Client's send().
      const { DynamoDBDocumentClient: IsolatedDocumentClient } = await import('@aws-sdk/lib-dynamodb');
      const send = jest.spyOn(Object.getPrototypeOf(IsolatedDocumentClient.prototype) as { send: () => unknown }, 'send');
      built = {
        handlers: {
          register: (await import('../../handlers/register')).handler,
          login: (await import('../../handlers/login')).handler,
          oauthToken: (await import('../../handlers/oauth-token')).handler,
          me: (await import('../../handlers/me')).handler,
          adminCreate: (await import('../../handlers/admin-create-user')).handler,
          adminList: (await import('../../handlers/admin-list-users')).handler,
          adminGet: (await import('../../handlers/admin-get-user')).handler,
          adminUpdate: (await import('../../handlers/admin-update-user')).handler,
          adminDelete: (await import('../../handlers/admin-delete-user')).handler,
        },
        authorizer: (await import('../../handlers/authorizer')).handler,
        createAccount: (username, roles) => accountService().createAccount({ username, password: PASSWORD, roles }),
        storageCalls: () => send.mock.calls.length,
        release: () => send.mockRestore(),
      };
    });
    if (built === undefined) throw new Error('the service was not built');
    return built;
  } finally {
    process.env['DYNAMODB_ENDPOINT'] = saved.endpoint;
    process.env['TABLE_NAME'] = saved.table;
  }
}

let port: number;
let db: LocalDynamoDb;
let documents: DynamoDBDocumentClient;
let service: Service;
const people = {
  user: { username: uniqueUsername('outage-user'), token: '', context: {} as Record<string, string> },
  admin: { username: uniqueUsername('outage-admin'), token: '', context: {} as Record<string, string> },
  target: { id: '' },
};

async function tokenFor(username: string): Promise<string> {
  const response = await service.handlers.login(httpEvent({ method: 'POST', resource: '/auth/login', json: { username, password: PASSWORD } }), lambdaContext());
  if (response.statusCode !== 200) throw new Error(`login failed: ${response.statusCode}`);
  return bodyOf<{ access_token: string }>(response).access_token;
}

async function contextFor(token: string): Promise<Record<string, string>> {
  const result = await service.authorizer(authorizerEvent({ method: 'GET', path: '/admin/users', headers: { Authorization: `Bearer ${token}` } }), lambdaContext());
  return Object.fromEntries(Object.entries(result.context ?? {}).map(([key, value]) => [key, String(value)]));
}

async function scanAll(): Promise<Record<string, unknown>[]> {
  return (await documents.send(new ScanCommand({ TableName: TABLE, ConsistentRead: true }))).Items ?? [];
}

beforeAll(async () => {
  port = await freePort();
  db = await startDynamoDbLocal({ port });
  const client = localClient(db.endpoint);
  await ensureTable(client, TABLE);
  documents = DynamoDBDocumentClient.from(client);
  service = await buildService(db.endpoint);
  await service.createAccount(people.user.username, ['user']);
  await service.createAccount(people.admin.username, ['admin']);
  people.target.id = (await service.createAccount(uniqueUsername('outage-target'), ['user'])).id;
  people.user.token = await tokenFor(people.user.username);
  people.admin.token = await tokenFor(people.admin.username);
  people.user.context = await contextFor(people.user.token);
  people.admin.context = await contextFor(people.admin.token);
}, 60_000);

afterAll(async () => {
  service?.release();
  documents?.destroy();
  await db?.stop();
});

/** One request to every handler that uses the store, built before the fault so only the call is timed. */
function everyStoreRequest(): [string, HttpHandler, APIGatewayProxyEvent][] {
  const admin = (input: HttpEventInput) => httpEvent({ ...input, authorizer: people.admin.context });
  const credentials = { username: people.user.username, password: PASSWORD };
  return [
    ['register', service.handlers.register, httpEvent({ method: 'POST', resource: '/auth/register', json: { username: uniqueUsername('during'), password: PASSWORD } })],
    ['login (JSON)', service.handlers.login, httpEvent({ method: 'POST', resource: '/auth/login', json: credentials })],
    ['login (form)', service.handlers.login, httpEvent({ method: 'POST', resource: '/auth/login', form: credentials })],
    ['login (unknown name)', service.handlers.login, httpEvent({ method: 'POST', resource: '/auth/login', json: { username: uniqueUsername('nobody'), password: PASSWORD } })],
    ['oauth token', service.handlers.oauthToken, httpEvent({ method: 'POST', resource: '/oauth/token', form: { grant_type: 'password', ...credentials } })],
    ['admin create', service.handlers.adminCreate, admin({ method: 'POST', resource: '/admin/users', json: { username: uniqueUsername('during'), password: PASSWORD, roles: ['user'] } })],
    ['admin list', service.handlers.adminList, admin({ method: 'GET', resource: '/admin/users', query: { limit: '5' } })],
    ['admin get', service.handlers.adminGet, admin({ method: 'GET', resource: '/admin/users/{id}', pathParameters: { id: people.target.id } })],
    ['admin update', service.handlers.adminUpdate, admin({ method: 'PATCH', resource: '/admin/users/{id}', pathParameters: { id: people.target.id }, json: { disabled: true } })],
    ['admin delete', service.handlers.adminDelete, admin({ method: 'DELETE', resource: '/admin/users/{id}', pathParameters: { id: people.target.id } })],
  ];
}

/** Every store-backed handler answers 503 in API.md's shape, each within the bound; /me, which reads no store, still answers. */
async function expectEveryHandlerUnavailable(): Promise<void> {
  const requests = everyStoreRequest();
  const answers = await Promise.all(
    requests.map(async ([name, handler, event]) => {
      const context = lambdaContext();
      const started = performance.now();
      const response = await withDeadline(handler(event, context), GIVE_UP_MS);
      return { name, response, ms: performance.now() - started };
    }),
  );
  for (const { name, response, ms } of answers) {
    if (response === undefined) throw new Error(`${name} gave no answer within ${GIVE_UP_MS} ms`);
    expect({ name, status: response.statusCode }).toEqual({ name, status: 503 });
    expectApiError(response, 503, 'service_unavailable');
    expect(response.body).not.toMatch(/ECONNREFUSED|ECONNRESET|Timeout|Throttl|Exception|127\.0\.0\.1|dynamo/i);
    expect({ name, withinBound: ms < BOUND_MS, ms: Math.round(ms) }).toEqual({ name, withinBound: true, ms: expect.any(Number) });
  }
  const meResponse = await service.handlers.me(httpEvent({ method: 'GET', resource: '/me', authorizer: people.user.context }), lambdaContext());
  expect(meResponse.statusCode).toBe(200);
}

/**
 * The authorizer fails closed: bad tokens are Unauthorized as always, and a good token is never
 * allowed once a storage call made for it has failed. Nor is it called bad: an outage is an
 * authorizer failure (API Gateway's AUTHORIZER_FAILURE, a 503), not the 401 that tells clients to
 * throw their tokens away.
 */
async function expectAuthorizerFailsClosed(): Promise<void> {
  const authorize = (token: string, path = '/me') =>
    service.authorizer(authorizerEvent({ method: 'GET', path, headers: { Authorization: `Bearer ${token}` } }), lambdaContext('authorizer'));
  await expectUnauthorized(authorize('not.a.token'));
  await expectUnauthorized(authorize(`${people.user.token}x`));
  for (const [token, path] of [
    [people.user.token, '/me'],
    [people.admin.token, '/admin/users'],
  ] as const) {
    const before = service.storageCalls();
    const started = performance.now();
    const outcome = authorize(token, path);
    const settled = await withDeadline(
      outcome.then(
        (policy) => ({ effect: (policy.policyDocument.Statement[0] as { Effect?: string } | undefined)?.Effect }),
        () => ({ effect: 'thrown' }),
      ),
      GIVE_UP_MS,
    );
    if (settled === undefined) throw new Error(`the authorizer gave no answer within ${GIVE_UP_MS} ms`);
    const consulted = service.storageCalls() > before;
    expect(performance.now() - started).toBeLessThan(BOUND_MS);
    if (consulted) await expectAuthorizerFailure(outcome);
    else expect({ path, consulted, settled }).toEqual({ path, consulted, settled: { effect: 'Allow' } });
  }
}

describe('with the store up', () => {
  it('the separately built service works against its own DynamoDB Local', async () => {
    const username = uniqueUsername('up');
    const registered = await service.handlers.register(httpEvent({ method: 'POST', resource: '/auth/register', json: { username, password: PASSWORD } }), lambdaContext());
    expect(registered.statusCode).toBe(201);
    expect(await tokenFor(username)).toEqual(expect.any(String));
    expect((await scanAll()).some((item) => item['username'] === username)).toBe(true);
  });

  it('a sign-up whose account write fails while its username claim would succeed leaves neither behind, and retries under a fresh id', async () => {
    // The account item's key is taken (a planted item stands where the next id's account goes),
    // so the transaction's account Put fails its condition while the claim Put on its own would pass.
    const plantedId = crypto.randomUUID();
    const planted = { pk: `USER#${plantedId}`, sk: 'PROFILE', planted: true };
    await documents.send(new PutCommand({ TableName: TABLE, Item: planted }));
    const username = uniqueUsername('half');
    const event = httpEvent({ method: 'POST', resource: '/auth/register', json: { username, password: PASSWORD } });
    const context = lambdaContext();
    const before = await scanAll();
    const nextId = jest.spyOn(crypto, 'randomUUID').mockReturnValueOnce(plantedId);
    let response: APIGatewayProxyResult;
    try {
      response = await service.handlers.register(event, context);
    } finally {
      nextId.mockRestore();
    }

    // The first transaction (under the planted id) wrote nothing; the service drew a fresh id and
    // the second one wrote exactly the account and its claim.
    expect(response.statusCode).toBe(201);
    const id = (JSON.parse(response.body) as { id: string }).id;
    expect(id).not.toBe(plantedId);
    const after = await scanAll();
    expect(after).toHaveLength(before.length + 2);
    expect(after.filter((item) => item['pk'] === `USERNAME#${username}`)).toEqual([expect.objectContaining({ account_id: id })]);
    expect(after.find((item) => item['pk'] === planted.pk)).toEqual(planted);
    expect(after.filter((item) => item['username'] === username).map((item) => item['pk'])).toEqual([`USER#${id}`]);
  });
});

describe('with the store down', () => {
  let stand: TcpServer | HttpServer | undefined;
  const held: Socket[] = [];
  afterEach(async () => {
    held.splice(0).forEach((socket) => socket.destroy());
    if (stand !== undefined) await new Promise((resolve) => stand?.close(resolve));
    stand = undefined;
  });

  it('stopped mid-test (connection refused): every store-backed handler answers 503 within the bound', async () => {
    await db.stop();
    await expectEveryHandlerUnavailable();
  }, 60_000);

  it('stopped: the authorizer never allows after a failed storage call', async () => {
    await expectAuthorizerFailsClosed();
  }, 60_000);

  it('hanging (accepts connections, never answers): 503 within the bound, and the authorizer fails closed', async () => {
    const server = createTcpServer((socket) => {
      held.push(socket);
      socket.on('error', () => undefined);
    });
    stand = server;
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    await expectEveryHandlerUnavailable();
    await expectAuthorizerFailsClosed();
  }, 60_000);

  it('throttling (as DynamoDB reports it, transactions included): 503 within the bound, and the authorizer fails closed', async () => {
    const server = createHttpServer((request, response) => {
      request.resume();
      request.on('end', () => {
        const operation = String(request.headers['x-amz-target'] ?? '').split('.')[1];
        // DynamoDB cancels a throttled TransactWriteItems rather than throttling it outright.
        const body =
          operation === 'TransactWriteItems'
            ? {
                __type: 'com.amazonaws.dynamodb.v20120810#TransactionCanceledException',
                Message: 'Transaction cancelled, please refer cancellation reasons for specific reasons [ThrottlingError, None]',
                CancellationReasons: [{ Code: 'ThrottlingError', Message: 'Throughput exceeds the current capacity of your table or index.' }, { Code: 'None' }],
              }
            : { __type: 'com.amazonaws.dynamodb.v20120810#ThrottlingException', message: 'Throughput exceeds the current capacity of your table or index.' };
        response.writeHead(400, { 'Content-Type': 'application/x-amz-json-1.0', 'x-amzn-RequestId': crypto.randomUUID() });
        response.end(JSON.stringify(body));
      });
    });
    stand = server;
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    await expectEveryHandlerUnavailable();
    await expectAuthorizerFailsClosed();
  }, 60_000);
});
