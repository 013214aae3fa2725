/**
 * Case 4: the login handler end to end on DynamoDB Local at the bcrypt cost the parent sets (10),
 * beside its irreducible work: one bcrypt compare at that cost plus one GetItem. Also an unknown
 * username against an existing one with a wrong password, which must take the same time. Every
 * timed login is checked to answer as it should (a locked name would answer 429 and time the wrong
 * path), and the right and wrong passwords go to two accounts, so that the right one's lockout
 * counter stays empty as for an ordinary login. Then a dozen right logins and baselines, taken
 * apart request by request, say where the overhead goes.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import bcrypt from 'bcryptjs';
import { handler } from '../../handlers/login';
import { createDocumentClient } from '../../lib/storage/dynamodb';
import { httpEvent, lambdaContext, uniqueUsername } from '../../test/support/events';
import { awsRequestSpans, countAwsRequests } from '../aws-requests';
import { runCaseMain } from '../child';
import { measureSideBySide, median } from '../measure';
import type { BaselinePhases, LoginPhases, LoginResult } from '../results';
import { awsRequestsPerCall, BENCH_PASSWORD, benchAccount, requiredEnv } from './support';

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

  // Where a right login's time goes beyond the baseline: logins and baselines alternate, each
  // request's span is taken at the SDK's HTTP handler, and each run is cut into its phases.
  const login: LoginPhases[] = [];
  const base: BaselinePhases[] = [];
  for (let i = 0; i < TIMELINE_PAIRS; i++) {
    login.push(loginPhases(await awsRequestSpans(tasks.existingRight)));
    base.push(baselinePhases(await awsRequestSpans(baseline)));
  }
  const medianOf = <T extends object>(runs: readonly T[]) =>
    Object.fromEntries(Object.keys(runs[0] ?? {}).map((k) => [k, median(runs.map((run) => run[k as keyof T] as number))])) as {
      [P in keyof T]: number;
    };
  const timeline = { pairs: TIMELINE_PAIRS, login: medianOf(login), baseline: medianOf(base) };
  documents.destroy();
  return { bcryptCost, ...timings, dynamodbRight, dynamodbExisting, dynamodbUnknown, timeline };
});

const TIMELINE_PAIRS = 12;

type Run = Awaited<ReturnType<typeof awsRequestSpans>>;

/** A right login: its reads (reservation beside the claim), the compare (the account read meanwhile), the session write, the rest. */
function loginPhases({ start, end, spans }: Run): LoginPhases {
  // Before the compare: the attempt's reservation (UpdateItem) beside the username claim's read,
  // which holds the hash. During it: the account's read. After it: the session's PutItem beside
  // the counter's reset (DeleteItem).
  const gets = spans.filter((span) => span.operation === 'GetItem').sort((a, b) => a.start - b.start);
  const reserve = spans.find((span) => span.operation === 'UpdateItem');
  const [claim, account] = gets;
  const write = spans.find((span) => span.operation === 'PutItem');
  const reset = spans.find((span) => span.operation === 'DeleteItem');
  if (reserve === undefined || claim === undefined || account === undefined || write === undefined || reset === undefined || spans.length !== 5) {
    throw new Error(`a right login made ${spans.map((span) => span.operation).join(', ')}, not an UpdateItem and 2 GetItems, then a PutItem and a DeleteItem`);
  }
  const readsEnd = Math.max(reserve.end, claim.end);
  const writesStart = Math.min(write.start, reset.start);
  const writesEnd = Math.max(write.end, reset.end);
  return {
    readsMs: readsEnd - start,
    accountReadMs: account.end - account.start,
    compareMs: writesStart - readsEnd,
    writeMs: writesEnd - writesStart,
    restMs: end - writesEnd,
    totalMs: end - start,
  };
}

/** The baseline: its GetItem, then the compare. */
function baselinePhases({ start, end, spans }: Run): BaselinePhases {
  const [read] = spans;
  if (spans.length !== 1 || read === undefined) throw new Error(`the baseline made ${spans.length} requests`);
  return { readMs: read.end - start, compareMs: end - read.end, totalMs: end - start };
}
