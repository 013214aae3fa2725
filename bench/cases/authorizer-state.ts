/**
 * Case 2: the exported authorizer handler, as the service builds it, against DynamoDB Local: its
 * account-state read is in the timing, and its requests are counted. Beside it, the read alone: one
 * consistent BatchGetItem of the same two items (the account and the token's session) through a
 * client built like the service's, to read the figure against.
 */
import { BatchGetCommand } from '@aws-sdk/lib-dynamodb';
import { handler } from '../../handlers/authorizer';
import { createDocumentClient } from '../../lib/storage/dynamodb';
import { lambdaContext } from '../../test/support/events';
import { countAwsRequests } from '../aws-requests';
import { runCaseMain } from '../child';
import { measureSideBySide } from '../measure';
import type { AuthorizerStateResult } from '../results';
import { assertAllowed, awsRequestsPerCall, benchAccount, jwsPayload, meAuthorizerEvent, requiredEnv } from './support';

runCaseMain(async (): Promise<AuthorizerStateResult> => {
  countAwsRequests();
  const account = await benchAccount();
  const event = meAuthorizerEvent(account.token);
  const context = lambdaContext('authorizer');
  const documents = createDocumentClient({ region: requiredEnv('AWS_REGION'), endpoint: requiredEnv('DYNAMODB_ENDPOINT') });
  const tableName = requiredEnv('TABLE_NAME');
  const keys = [
    { pk: `USER#${account.id}`, sk: 'PROFILE' },
    { pk: `USER#${account.id}`, sk: `SESSION#${String(jwsPayload(account.token)['sid'])}` },
  ];
  const batchGet = new BatchGetCommand({ RequestItems: { [tableName]: { Keys: keys, ConsistentRead: true } } });

  assertAllowed(await handler(event, context));
  const found = (await documents.send(batchGet)).Responses?.[tableName]?.length;
  if (found !== 2) throw new Error(`the reference read found ${String(found)} of the 2 items the authorizer reads`);
  // What DynamoDB bills for it: the read capacity it consumed, as DynamoDB Local reports it (the cost model in docs/benchmarks.md).
  const billed = await documents.send(new BatchGetCommand({ ...batchGet.input, ReturnConsumedCapacity: 'TOTAL' }));
  const readCapacityUnits = billed.ConsumedCapacity?.reduce((sum, consumed) => sum + (consumed.CapacityUnits ?? 0), 0);
  const reference = await awsRequestsPerCall(() => documents.send(batchGet), 20);
  if (reference.perCall !== 1) throw new Error(`the request counter saw ${reference.perCall} requests for one BatchGetItem`);
  const dynamodb = await awsRequestsPerCall(() => handler(event, context), 100);

  const timings = await measureSideBySide(
    { handler: () => handler(event, context), batchGet: () => documents.send(batchGet) },
    { rounds: 3, timeMs: 300, iterations: 50, warmupTimeMs: 100, warmupIterations: 20 },
  );
  documents.destroy();
  return { ...timings, dynamodb, readCapacityUnits };
});
