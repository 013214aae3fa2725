/**
 * Case 2: the authorizer as the service builds it by default, against DynamoDB Local: whatever
 * account-state read the build does is in the timing, and its requests are counted. Beside it, one
 * consistent GetItem through a client built like the service's, to read the figure against.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { handler } from '../../handlers/authorizer';
import { createDocumentClient } from '../../lib/storage/dynamodb';
import { lambdaContext } from '../../test/support/events';
import { countAwsRequests } from '../aws-requests';
import { runCaseMain } from '../child';
import { measureSideBySide } from '../measure';
import type { AuthorizerStateResult } from '../results';
import { assertAllowed, awsRequestsPerCall, benchAccount, meAuthorizerEvent, requiredEnv } from './support';

runCaseMain(async (): Promise<AuthorizerStateResult> => {
  countAwsRequests();
  const account = await benchAccount();
  const event = meAuthorizerEvent(account.token);
  const context = lambdaContext('authorizer');
  const documents = createDocumentClient({ region: requiredEnv('AWS_REGION'), endpoint: requiredEnv('DYNAMODB_ENDPOINT') });
  const getItem = new GetCommand({
    TableName: requiredEnv('TABLE_NAME'),
    Key: { pk: `USER#${account.id}`, sk: 'PROFILE' },
    ConsistentRead: true,
  });

  assertAllowed(await handler(event, context));
  const reference = await awsRequestsPerCall(() => documents.send(getItem), 20);
  if (reference.perCall !== 1) throw new Error(`the request counter saw ${reference.perCall} requests for one GetItem`);
  const dynamodb = await awsRequestsPerCall(() => handler(event, context), 100);

  const timings = await measureSideBySide(
    { handler: () => handler(event, context), getItem: () => documents.send(getItem) },
    { rounds: 3, timeMs: 300, iterations: 50, warmupTimeMs: 100, warmupIterations: 20 },
  );
  documents.destroy();
  return { ...timings, dynamodb };
});
