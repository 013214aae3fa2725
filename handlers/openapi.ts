import document from '../docs/openapi.yaml';
import { httpHandler } from '../lib/http/handler';
import { json } from '../lib/http/responses';

/** The OpenAPI description of the service; docs/openapi.yaml, turned into JSON when bundled. */
export const handler = httpHandler(async () => json(200, document, { 'Cache-Control': 'public, max-age=300' }));
