/**
 * A DynamoDB table for one handler test file alone. Jest runs test files in parallel against one
 * DynamoDB Local, so a file that compares whole-table snapshots imports this module FIRST: it
 * points TABLE_NAME at a fresh table before lib reads its configuration.
 */
import { randomUUID } from 'node:crypto';
import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { ensureTable, localClient } from '../../scripts/local-dynamodb';

export const OWN_TABLE = `serverless-auth-own-${randomUUID().slice(0, 8)}`;
process.env['TABLE_NAME'] = OWN_TABLE;

function endpoint(): string {
  const value = process.env['DYNAMODB_ENDPOINT'];
  if (value === undefined || value === '') throw new Error('DYNAMODB_ENDPOINT is not set: run with `npx jest --selectProjects handlers`.');
  return value;
}

let documents: DynamoDBDocumentClient | undefined;

export async function createOwnTable(): Promise<void> {
  const client = localClient(endpoint());
  try {
    await ensureTable(client, OWN_TABLE);
  } finally {
    client.destroy();
  }
}

export async function deleteOwnTable(): Promise<void> {
  documents?.destroy();
  documents = undefined;
  const client = localClient(endpoint());
  try {
    await client.send(new DeleteTableCommand({ TableName: OWN_TABLE }));
  } finally {
    client.destroy();
  }
}

/** Every item of the table, in key order: two snapshots are equal when nothing was written. */
export async function snapshotTable(): Promise<Record<string, unknown>[]> {
  documents ??= DynamoDBDocumentClient.from(localClient(endpoint()));
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await documents.send(new ScanCommand({ TableName: OWN_TABLE, ConsistentRead: true, ExclusiveStartKey: start }));
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start !== undefined);
  const key = (item: Record<string, unknown>) => `${String(item['pk'])}\u0000${String(item['sk'])}`;
  return items.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}
