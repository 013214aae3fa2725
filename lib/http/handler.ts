import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { SigningKeyUnavailableError, StorageUnavailableError } from '../errors';
import { logger } from '../logger';
import { ALLOWED_ORIGIN } from './allowed-origin';
import { corsHeaders } from './cors';
import { SERVER_ERROR, toHttpError } from './errors';
import { errorResponse } from './responses';

export type HttpHandler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

const CORS_HEADERS = corsHeaders(ALLOWED_ORIGIN);

/**
 * Wraps a handler's one business step: request id on every log line, CORS headers on every
 * response, and the one place that turns errors into responses. Unexpected errors become an
 * opaque 500, logged once by name.
 */
export function httpHandler(step: HttpHandler, options: { flavour?: 'api' | 'oauth' } = {}): HttpHandler {
  return async (event, context) => {
    const response = await respond(step, event, context, options.flavour);
    return { ...response, headers: { ...response.headers, ...CORS_HEADERS } };
  };
}

/** The step's response, or the response its error maps to. */
async function respond(step: HttpHandler, event: APIGatewayProxyEvent, context: Context, flavour: 'api' | 'oauth' | undefined): Promise<APIGatewayProxyResult> {
  logger.addContext(context);
  try {
    return await step(event, context);
  } catch (error) {
    const mapped = toHttpError(error, flavour);
    if (mapped !== undefined) {
      if (error instanceof StorageUnavailableError) logger.warn('storage unavailable', { cause: errorName(error.cause) });
      if (error instanceof SigningKeyUnavailableError) logger.warn('signing key unavailable', { cause: errorName(error.cause) });
      return errorResponse(mapped);
    }
    // The name only: a library's message can quote the input (JSON.parse does), so it stays out.
    logger.error('unexpected error', { errorName: errorName(error) });
    return errorResponse(SERVER_ERROR);
  }
}

function errorName(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}
