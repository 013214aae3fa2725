import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { load } from 'js-yaml';
import { handler as me } from '../../handlers/me';
import { authorizedEvent, httpEvent, lambdaContext } from '../support/events';
import { registerUser, tokenFor } from './helpers';

type Handler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

/** Every function behind an HTTP route in serverless.yml, with one of its routes. */
const ROUTED = Object.entries(
  (load(readFileSync(join(__dirname, '../../serverless.yml'), 'utf8')) as { functions: Record<string, { handler: string; events?: { http: { method: string; path: string } }[] }> })
    .functions,
).flatMap(([name, fn]) => {
  const http = fn.events?.[0]?.http;
  return http === undefined ? [] : [{ name, module: fn.handler.replace(/\.handler$/, ''), method: http.method, resource: http.path }];
});

const APP_ORIGIN = 'https://app.example.com';

// A browser script can read a response only if it names the origin; API Gateway passes a proxy
// integration's response through as it is, so each function must write it, on errors too.
describe('CORS headers on the functions\' responses', () => {
  it.each(ROUTED.map((route) => [route.name, route] as const))('%s writes them on what it answers an empty request', async (_name, route) => {
    const { handler } = (await import(`../../${route.module}`)) as { handler: Handler };
    const response = await handler(httpEvent({ method: route.method, resource: route.resource }), lambdaContext(route.name));
    expect({ status: response.statusCode, cors: pickCors(response) }).toEqual({
      status: response.statusCode,
      cors: { 'Access-Control-Allow-Origin': '*', 'Access-Control-Expose-Headers': 'WWW-Authenticate, Retry-After' },
    });
  });

  it('writes them on a success too', async () => {
    const user = await registerUser();
    const response = await me(await authorizedEvent(await tokenFor(user.username), { method: 'GET', resource: '/me' }), lambdaContext('me'));
    expect(response.statusCode).toBe(200);
    expect(response.headers?.['Access-Control-Allow-Origin']).toBe('*');
  });

  it('names CORS_ALLOWED_ORIGIN when it is set', async () => {
    const response = await withOrigin(APP_ORIGIN, (handler) => handler(httpEvent({ method: 'GET', resource: '/openapi.json' }), lambdaContext('openapi')));
    expect(response.statusCode).toBe(200);
    expect(response.headers?.['Access-Control-Allow-Origin']).toBe(APP_ORIGIN);
    // One origin: its scripts may send the refresh cookie of cookie mode (never with *, above).
    expect(response.headers?.['Access-Control-Allow-Credentials']).toBe('true');
  });

  it('stops a function at INIT, naming the variable, when CORS_ALLOWED_ORIGIN is not one origin', async () => {
    await expect(withOrigin('https://a.example, https://b.example', async () => undefined)).rejects.toThrow(/CORS_ALLOWED_ORIGIN/);
  });
});

function pickCors(response: APIGatewayProxyResult): Record<string, unknown> {
  return Object.fromEntries(Object.entries(response.headers ?? {}).filter(([name]) => name.startsWith('Access-Control-')));
}

/** Loads the openapi function afresh, as a new container would, with CORS_ALLOWED_ORIGIN set. */
async function withOrigin<T>(origin: string, use: (handler: Handler) => Promise<T>): Promise<T> {
  const before = process.env['CORS_ALLOWED_ORIGIN'];
  process.env['CORS_ALLOWED_ORIGIN'] = origin;
  try {
    let handler: Handler | undefined;
    jest.isolateModules(() => {
      handler = (jest.requireActual('../../handlers/openapi') as { handler: Handler }).handler;
    });
    if (handler === undefined) throw new Error('handlers/openapi did not load');
    return await use(handler);
  } finally {
    if (before === undefined) delete process.env['CORS_ALLOWED_ORIGIN'];
    else process.env['CORS_ALLOWED_ORIGIN'] = before;
  }
}
