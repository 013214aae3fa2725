import type { APIGatewayProxyEvent } from 'aws-lambda';
import type { ClientInfo, SessionCaller } from '../auth/session-service';
import { header } from './request';

/** The identity the authorizer put in the request context (all values are strings). */
export interface Caller extends SessionCaller {
  readonly id: string;
  readonly username: string;
  readonly roles: string[];
  readonly permissions: string[];
}

export function callerOf(event: APIGatewayProxyEvent): Caller {
  const context = event.requestContext.authorizer ?? {};
  const sub = context['sub'];
  const username = context['username'];
  const sid = context['sid'];
  if (typeof sub !== 'string' || sub === '' || typeof username !== 'string' || typeof sid !== 'string') {
    // Only a deployment without the authorizer in front of this route gets here.
    throw new Error('The authorizer context is missing.');
  }
  return {
    id: sub,
    accountId: sub,
    sessionId: sid,
    username,
    roles: splitList(context['roles'], ','),
    permissions: splitList(context['scope'], ' '),
  };
}

function splitList(value: unknown, separator: string): string[] {
  return typeof value === 'string' ? value.split(separator).filter((item) => item !== '') : [];
}

/** A path parameter, or an empty string that matches nothing. */
export function pathParameter(event: APIGatewayProxyEvent, name: string): string {
  return event.pathParameters?.[name] ?? '';
}

/** What a new session records about the client. */
export function clientOf(event: APIGatewayProxyEvent): ClientInfo {
  return { userAgent: header(event, 'user-agent') };
}
