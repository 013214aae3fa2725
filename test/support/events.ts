import { randomUUID } from 'node:crypto';
import type {
  APIGatewayAuthorizerResult,
  APIGatewayProxyEvent,
  APIGatewayProxyResult,
  APIGatewayRequestAuthorizerEvent,
  Context,
} from 'aws-lambda';
import { handler as authorizer } from '../../handlers/authorizer';

export const API_ARN_PREFIX = 'arn:aws:execute-api:us-east-1:123456789012:abcdef1234/dev';

export function lambdaContext(functionName = 'test'): Context {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:123456789012:function:${functionName}`,
    memoryLimitInMB: '1024',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'test',
    getRemainingTimeInMillis: () => 10_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

export interface HttpEventInput {
  method: string;
  /** The resource template, e.g. `/admin/users/{id}`. */
  resource: string;
  pathParameters?: Record<string, string>;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: string | null;
  /** A JSON body; sets Content-Type unless headers give one. */
  json?: unknown;
  /** A form body; sets Content-Type unless headers give one. */
  form?: Record<string, string>;
  authorizer?: Record<string, string> | null;
}

/** An API Gateway REST (v1 proxy) event as API Gateway builds it. */
export function httpEvent(input: HttpEventInput): APIGatewayProxyEvent {
  const headers: Record<string, string> = { Host: 'abcdef1234.execute-api.us-east-1.amazonaws.com', ...input.headers };
  let body = input.body ?? null;
  if (input.json !== undefined) {
    body = JSON.stringify(input.json);
    headers['Content-Type'] ??= 'application/json';
  }
  if (input.form !== undefined) {
    body = new URLSearchParams(input.form).toString();
    headers['Content-Type'] ??= 'application/x-www-form-urlencoded';
  }
  const path = Object.entries(input.pathParameters ?? {}).reduce(
    (acc, [name, value]) => acc.replace(`{${name}}`, encodeURIComponent(value)),
    input.resource,
  );
  return {
    resource: input.resource,
    path,
    httpMethod: input.method,
    headers,
    multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
    queryStringParameters: input.query ?? null,
    multiValueQueryStringParameters: input.query
      ? Object.fromEntries(Object.entries(input.query).map(([k, v]) => [k, [v]]))
      : null,
    pathParameters: input.pathParameters ?? null,
    stageVariables: null,
    body,
    isBase64Encoded: false,
    requestContext: {
      accountId: '123456789012',
      apiId: 'abcdef1234',
      authorizer: input.authorizer ?? null,
      domainName: 'abcdef1234.execute-api.us-east-1.amazonaws.com',
      httpMethod: input.method,
      identity: { sourceIp: '203.0.113.7', userAgent: 'jest' } as APIGatewayProxyEvent['requestContext']['identity'],
      path: `/dev${path}`,
      protocol: 'HTTP/1.1',
      requestId: randomUUID(),
      requestTimeEpoch: Date.now(),
      resourceId: 'res123',
      resourcePath: input.resource,
      stage: 'dev',
    },
  };
}

/** A REQUEST authorizer event for a concrete method and path. */
export function authorizerEvent(input: {
  method: string;
  path: string;
  headers?: Record<string, string>;
  multiValueHeaders?: Record<string, string[]>;
  query?: Record<string, string>;
}): APIGatewayRequestAuthorizerEvent {
  const headers = input.headers ?? {};
  return {
    type: 'REQUEST',
    methodArn: `${API_ARN_PREFIX}/${input.method}${input.path}`,
    resource: input.path,
    path: input.path,
    httpMethod: input.method,
    headers,
    multiValueHeaders: input.multiValueHeaders ?? Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
    pathParameters: null,
    queryStringParameters: input.query ?? null,
    multiValueQueryStringParameters: null,
    stageVariables: null,
    requestContext: {} as APIGatewayRequestAuthorizerEvent['requestContext'],
  };
}

/**
 * Does what API Gateway does before a protected handler: runs the real authorizer, and on Allow
 * builds the handler's event with the authorizer's context. Throws if the authorizer refuses.
 */
export async function authorizedEvent(token: string, input: HttpEventInput): Promise<APIGatewayProxyEvent> {
  const concrete = Object.entries(input.pathParameters ?? {}).reduce(
    (acc, [name, value]) => acc.replace(`{${name}}`, encodeURIComponent(value)),
    input.resource,
  );
  const result: APIGatewayAuthorizerResult = await authorizer(
    authorizerEvent({ method: input.method, path: concrete, headers: { Authorization: `Bearer ${token}` } }),
    lambdaContext('authorizer'),
  );
  const statement = result.policyDocument.Statement[0] as { Effect: string } | undefined;
  if (statement?.Effect !== 'Allow') throw new Error(`authorizer denied ${input.method} ${concrete}`);
  const context = Object.fromEntries(Object.entries(result.context ?? {}).map(([k, v]) => [k, String(v)]));
  return httpEvent({ ...input, headers: { Authorization: `Bearer ${token}`, ...input.headers }, authorizer: context });
}

export function bodyOf<T = Record<string, unknown>>(response: APIGatewayProxyResult): T {
  return JSON.parse(response.body) as T;
}

/** A username no other test uses. */
export function uniqueUsername(prefix = 'user'): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}
