import { signingKeys } from '../lib/dependencies/keys';
import { httpHandler } from '../lib/http/handler';
import { json } from '../lib/http/responses';

const keys = signingKeys(); // at INIT: keys given directly were checked and built here

/** RFC 7517 JWK Set of the public keys in use (current and previous); empty under HS256. */
export const handler = httpHandler(async () => json(200, (await keys()).jwks, { 'Cache-Control': 'public, max-age=300' }));
