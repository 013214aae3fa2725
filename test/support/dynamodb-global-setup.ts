import { ensureTable, freePort, localClient, startDynamoDbLocal } from '../../scripts/local-dynamodb';

/** Starts one DynamoDB Local on a free port for the handler tests; workers inherit its address. */
export default async function globalSetup(): Promise<void> {
  process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] = 'true';
  const db = await startDynamoDbLocal({ port: await freePort() });
  const tableName = 'serverless-auth-test';
  const client = localClient(db.endpoint);
  await ensureTable(client, tableName);
  client.destroy();
  process.env['DYNAMODB_ENDPOINT'] = db.endpoint;
  process.env['TABLE_NAME'] = tableName;
  (globalThis as { __DYNAMODB_LOCAL__?: typeof db }).__DYNAMODB_LOCAL__ = db;
}
