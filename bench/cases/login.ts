/**
 * Case 4: the login handler end to end on DynamoDB Local at the bcrypt cost the parent sets (10),
 * beside its irreducible work: one bcrypt compare at that cost plus one GetItem. Also an unknown
 * username against an existing one with a wrong password, which must take the same time. Every
 * timed login is checked to answer as it should (a locked name would answer 429 and time the wrong
 * path), and the right and wrong passwords go to two accounts, so that the right one's lockout
 * counter stays empty as for an ordinary login. Then the steps login adds to the baseline are timed
 * on their own through the service's own adapters, to say where the overhead goes.
 */
import { randomUUID } from 'node:crypto';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import bcrypt from 'bcryptjs';
import { handler } from '../../handlers/login';
import { DynamoDbAccountRepository } from '../../lib/accounts/dynamodb-account-repository';
import { DynamoDbLoginAttemptStore } from '../../lib/auth/dynamodb-login-attempt-store';
import { accessTokens } from '../../lib/dependencies';
import { DynamoDbSessionRepository } from '../../lib/sessions/dynamodb-session-repository';
import { createDocumentClient } from '../../lib/storage/dynamodb';
import { httpEvent, lambdaContext, uniqueUsername } from '../../test/support/events';
import { countAwsRequests } from '../aws-requests';
import { runCaseMain } from '../child';
import { measureSideBySide } from '../measure';
import type { LoginResult } from '../results';
import { awsRequestsPerCall, BENCH_PASSWORD, benchAccount, jwsPayload, requiredEnv } from './support';

runCaseMain(async (): Promise<LoginResult> => {
  countAwsRequests();
  const bcryptCost = Number(requiredEnv('BCRYPT_COST'));
  const tableName = requiredEnv('TABLE_NAME');
  const [account, other] = [await benchAccount(), await benchAccount()];
  const context = lambdaContext('login');
  const loginEvent = (username: string, password: string) =>
    httpEvent({ method: 'POST', resource: '/auth/login', json: { username, password }, headers: { 'User-Agent': 'bench/1.0' } });
  const existingRight = loginEvent(account.username, BENCH_PASSWORD);
  const existingWrong = loginEvent(other.username, `${BENCH_PASSWORD}!`);
  const unknown = loginEvent(uniqueUsername('nobody'), BENCH_PASSWORD);

  const documents = createDocumentClient({ region: requiredEnv('AWS_REGION'), endpoint: requiredEnv('DYNAMODB_ENDPOINT') });
  const getAccount = new GetCommand({ TableName: tableName, Key: { pk: `USER#${account.id}`, sk: 'PROFILE' }, ConsistentRead: true });
  const stored = (await documents.send(getAccount)).Item?.['password_hash'];
  if (typeof stored !== 'string' || bcrypt.getRounds(stored) !== bcryptCost) {
    throw new Error(`the stored hash is not a bcrypt hash at cost ${bcryptCost}`);
  }
  const baseline = async () => {
    const item = (await documents.send(getAccount)).Item;
    if (!(await bcrypt.compare(BENCH_PASSWORD, String(item?.['password_hash'])))) throw new Error('the baseline compare did not match');
  };
  const answers = (event: ReturnType<typeof loginEvent>, status: number) => async () => {
    const response = await handler(event, context);
    if (response.statusCode !== status) throw new Error(`login answered ${response.statusCode}, expected ${status}: ${response.body}`);
  };
  const tasks = {
    existingRight: answers(existingRight, 200),
    existingWrong: answers(existingWrong, 401),
    unknown: answers(unknown, 401),
    baseline,
  };

  // Each path answers as it should before it is timed (this also waits out the dummy hash).
  for (const task of Object.values(tasks)) await task();
  const dynamodbRight = await awsRequestsPerCall(tasks.existingRight, 3);
  const dynamodbExisting = await awsRequestsPerCall(tasks.existingWrong, 3);
  const dynamodbUnknown = await awsRequestsPerCall(tasks.unknown, 3);

  const timings = await measureSideBySide(tasks, {
    rounds: 32,
    timeMs: 1,
    iterations: 1,
    warmupTimeMs: 1,
    warmupIterations: 3,
    warmup: 'first-round',
  });

  // The steps of a right-password login beyond the baseline's GetItem + compare, each alone,
  // through the adapters the service uses: its reads (the lockout counter, in parallel with the
  // username claim and then the account), the session it writes, and the token it signs.
  const accounts = new DynamoDbAccountRepository(documents, tableName);
  const attempts = new DynamoDbLoginAttemptStore(documents, tableName);
  const sessions = new DynamoDbSessionRepository(documents, tableName);
  const tokens = accessTokens();
  const claims = jwsPayload(account.token);
  const subject = {
    sub: account.id,
    username: account.username,
    roles: ['user'],
    scope: String(claims['scope']),
    sid: String(claims['sid']),
    ver: Number(claims['ver']),
  };
  const now = new Date().toISOString();
  const steps = await measureSideBySide(
    {
      getItem: () => documents.send(getAccount),
      loginReads: () => Promise.all([attempts.read(randomUUID()), accounts.findByUsername(account.username)]),
      sessionPut: () =>
        sessions.create({
          id: randomUUID(),
          accountId: account.id,
          refreshHash: randomUUID(),
          rotation: 0,
          tokenVersion: 0,
          createdAt: now,
          lastUsedAt: now,
          expiresAt: Math.floor(Date.now() / 1000) + 3600,
          userAgent: 'bench/1.0',
        }),
      tokenIssue: () => tokens.issue(subject),
    },
    { rounds: 4, timeMs: 150, iterations: 20, warmupTimeMs: 50, warmupIterations: 10 },
  );
  documents.destroy();
  return { bcryptCost, ...timings, dynamodbRight, dynamodbExisting, dynamodbUnknown, steps };
});
