import type { LocalDynamoDb } from '../../scripts/local-dynamodb';

export default async function globalTeardown(): Promise<void> {
  await (globalThis as { __DYNAMODB_LOCAL__?: LocalDynamoDb }).__DYNAMODB_LOCAL__?.stop();
}
