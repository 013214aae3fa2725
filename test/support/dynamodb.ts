import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '../../lib/storage/dynamodb';

/** A client on the tests' DynamoDB Local that counts the requests it sends, by operation. */
export function countingClient(): { client: DynamoDBDocumentClient; sent: () => number; operations: () => string[]; reset: () => void } {
  const client = createDocumentClient({ region: 'us-east-1', endpoint: process.env['DYNAMODB_ENDPOINT'] });
  let operations: string[] = [];
  client.middlewareStack.add(
    (next, context) => async (args) => {
      operations.push(String(context.commandName));
      return next(args);
    },
    { step: 'initialize', name: 'countRequests' },
  );
  return { client, sent: () => operations.length, operations: () => [...operations], reset: () => (operations = []) };
}

export const tableName = (): string => process.env['TABLE_NAME'] ?? '';
