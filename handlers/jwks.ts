import { httpHandler } from '../lib/http/handler';
import { json } from '../lib/http/responses';

/** Public verification keys. HS256 has none to publish: the secret never leaves the service. */
export const handler = httpHandler(async () => json(200, { keys: [] }, { 'Cache-Control': 'public, max-age=300' }));
