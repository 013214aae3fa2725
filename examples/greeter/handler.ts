import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';

const JSON_HEADERS = { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' };

/**
 * GET /hello. API Gateway runs serverless-auth's authorizer first, so this handler only runs for a
 * live token whose permissions open the route; the authorizer's context names the caller.
 */
export async function hello(event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
  const caller = event.requestContext.authorizer;
  const username: unknown = caller?.['username'];
  const accountId: unknown = caller?.['sub'];
  // Only a route deployed without the authorizer gets here without its context: refuse, never guess.
  if (typeof username !== 'string' || typeof accountId !== 'string') {
    return { statusCode: 500, headers: JSON_HEADERS, body: JSON.stringify({ error: 'server_error', error_description: 'The service met an unexpected condition.' }) };
  }
  return { statusCode: 200, headers: JSON_HEADERS, body: JSON.stringify({ message: `Hello, ${username}!`, account_id: accountId }) };
}
