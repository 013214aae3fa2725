/**
 * Case 4: the login handler end to end on DynamoDB Local at the bcrypt cost the parent sets (10),
 * beside its irreducible work: one bcrypt compare at that cost plus one GetItem. Also an unknown
 * username against an existing one with a wrong password, which must take the same time.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import bcrypt from 'bcryptjs';
import { handler } from '../../handlers/login';
import { createDocumentClient } from '../../lib/storage/dynamodb';
import { httpEvent, lambdaContext, uniqueUsername } from '../../test/support/events';
import { countAwsRequests } from '../aws-requests';
import { runCaseMain } from '../child';
import { measureSideBySide } from '../measure';
import type { LoginResult } from '../results';
import { awsRequestsPerCall, BENCH_PASSWORD, benchAccount, requiredEnv } from './support';

runCaseMain(async (): Promise<LoginResult> => {
  countAwsRequests();
  const bcryptCost = Number(requiredEnv('BCRYPT_COST'));
  const account = await benchAccount();
  const context = lambdaContext('login');
  const loginEvent = (username: string, password: string) =>
    httpEvent({ method: 'POST', resource: '/auth/login', json: { username, password } });
  const existingRight = loginEvent(account.username, BENCH_PASSWORD);
  const existingWrong = loginEvent(account.username, `${BENCH_PASSWORD}!`);
  const unknown = loginEvent(uniqueUsername('nobody'), BENCH_PASSWORD);

  const documents = createDocumentClient({ region: requiredEnv('AWS_REGION'), endpoint: requiredEnv('DYNAMODB_ENDPOINT') });
  const getAccount = new GetCommand({
    TableName: requiredEnv('TABLE_NAME'),
    Key: { pk: `USER#${account.id}`, sk: 'PROFILE' },
    ConsistentRead: true,
  });
  const stored = (await documents.send(getAccount)).Item?.['password_hash'];
  if (typeof stored !== 'string' || bcrypt.getRounds(stored) !== bcryptCost) {
    throw new Error(`the stored hash is not a bcrypt hash at cost ${bcryptCost}`);
  }
  const baseline = async () => {
    const item = (await documents.send(getAccount)).Item;
    return bcrypt.compare(BENCH_PASSWORD, String(item?.['password_hash']));
  };

  // Each path answers as it should before it is timed (this also waits out the dummy hash).
  const expect = async (event: ReturnType<typeof loginEvent>, status: number) => {
    const response = await handler(event, context);
    if (response.statusCode !== status) throw new Error(`login answered ${response.statusCode}, expected ${status}`);
  };
  await expect(unknown, 401);
  await expect(existingWrong, 401);
  await expect(existingRight, 200);
  if (!(await baseline())) throw new Error('the baseline compare did not match');
  const dynamodbExisting = await awsRequestsPerCall(() => handler(existingWrong, context), 3);
  const dynamodbUnknown = await awsRequestsPerCall(() => handler(unknown, context), 3);

  const timings = await measureSideBySide(
    {
      existingRight: () => handler(existingRight, context),
      existingWrong: () => handler(existingWrong, context),
      unknown: () => handler(unknown, context),
      baseline,
    },
    { rounds: 32, timeMs: 1, iterations: 1, warmupTimeMs: 1, warmupIterations: 3, warmup: 'first-round' },
  );
  documents.destroy();
  return { bcryptCost, ...timings, dynamodbExisting, dynamodbUnknown };
});
