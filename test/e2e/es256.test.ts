/**
 * A second service, started as a new user would: `JWT_ALG=ES256 npm start`, which generates a
 * key pair and the admin's password for the run. Its banner, with that password, must come after
 * serverless offline's start-up lines, and the password must stay findable in an owner-only file
 * while it runs. A token from its login must verify, with jose, against the JWKS its
 * endpoint serves; its authorizer must accept that token and refuse an HS256 token keyed with the
 * published public key (algorithm confusion). Last, it is stopped the way a second Ctrl-C, or a
 * signal relayed twice, reaches scripts/start.ts, and must still stop its DynamoDB Local.
 */
import { createPublicKey, type JsonWebKey } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from 'jose';
import jwt from 'jsonwebtoken';
import { startService, stopService, type StartedService } from '../support/service-global-setup';
import { accessTokenVerifier, grants } from '../../examples/jwks-verifier/verify-access-token';
import { PRIVATE_JWK_MEMBERS } from '../support/signing';
import { bodyOf, decodeJwt, expectGatewayRefusal, expectStatus, newPassword, request, uniqueUsername, USER_PERMISSIONS, type TokenResponse } from './support';

let es256: StartedService;
beforeAll(async () => {
  // No ADMIN_PASSWORD (set, but empty, so that a developer's own .env cannot supply one): npm start generates it.
  es256 = await startService({ JWT_ALG: 'ES256', ADMIN_USERNAME: 'admin', ADMIN_PASSWORD: '' }, 'es256 service');
}, 150_000);
afterAll(async () => {
  if (es256 !== undefined) await stopService(es256.service);
}, 30_000);

const on = (options: Parameters<typeof request>[2] = {}) => ({ ...options, baseUrl: es256.baseUrl });

async function userToken(): Promise<{ id: string; token: string }> {
  const username = uniqueUsername('es256');
  const password = newPassword();
  const registered = await request('POST', '/auth/register', on({ json: { username, password } }));
  expectStatus(registered, 201);
  const loggedIn = await request('POST', '/auth/login', on({ json: { username, password } }));
  expectStatus(loggedIn, 200);
  return { id: bodyOf<{ id: string }>(registered).id, token: bodyOf<TokenResponse>(loggedIn).access_token };
}

async function publishedKeys(): Promise<JSONWebKeySet> {
  const metadata = await request('GET', '/.well-known/oauth-authorization-server', on());
  expectStatus(metadata, 200);
  const jwksUri = bodyOf<{ jwks_uri: string }>(metadata).jwks_uri;
  expect(jwksUri).toBe(`${es256.baseUrl}/.well-known/jwks.json`);
  const response = await fetch(jwksUri);
  expect(response.status).toBe(200);
  expect(response.headers.get('cache-control')).toMatch(/^public, max-age=\d+$/);
  return (await response.json()) as JSONWebKeySet;
}

/** The generated password and the file npm start names for it, as its banner shows them. */
function bannerPassword(): { password: string; file: string } {
  const output = es256.service.output.text();
  return { password: /generated password: (\S+)/.exec(output)?.[1] ?? '', file: /\(also in (\S+?)[,;]? until you stop/.exec(output)?.[1] ?? '' };
}

// The first test: nothing has called the service yet, so nothing may follow the banner.
test('npm start prints the admin password last, after serverless offline is up, and keeps it in an owner-only file', async () => {
  const lines = es256.service.output.text().split('\n');
  const ready = lines.findIndex((line) => line.includes('Server ready'));
  const banner = lines.findIndex((line) => line.startsWith('serverless-auth is running at'));
  const bannerEnd = lines.findIndex((line) => line.startsWith('Ctrl-C stops'));
  const { password, file } = bannerPassword();

  expect(ready).toBeGreaterThan(-1);
  expect(banner).toBeGreaterThan(ready);
  expect(bannerEnd).toBeGreaterThan(banner);
  expect(lines.slice(bannerEnd + 1).filter((line) => line.trim() !== '')).toEqual([]);
  expect(password).toMatch(/^[\w-]{20,}$/);
  expect(file).toMatch(/^\.dynamodb\/admin-password-\d+$/);
  const path = join(__dirname, '../..', file);
  expect({ content: readFileSync(path, 'utf8'), mode: statSync(path).mode & 0o777 }).toEqual({ content: `${password}\n`, mode: 0o600 });
  // It is the admin's real password.
  expectStatus(await request('POST', '/auth/login', on({ json: { username: 'admin', password } })), 200);
});

test('JWT_ALG=ES256 npm start publishes one P-256 public key, and nothing private', async () => {
  const { keys } = await publishedKeys();

  expect(keys).toHaveLength(1);
  expect(keys[0]).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig', kid: expect.any(String) });
  for (const member of PRIVATE_JWK_MEMBERS) expect(keys[0]).not.toHaveProperty(member);
});

test('a token from its login verifies with jose against its JWKS, and opens /me', async () => {
  const { id, token } = await userToken();
  const metadata = bodyOf<{ issuer: string }>(await request('GET', '/.well-known/oauth-authorization-server', on()));

  const { payload, protectedHeader } = await jwtVerify(token, createLocalJWKSet(await publishedKeys()), {
    issuer: metadata.issuer,
    audience: 'serverless-auth',
    typ: 'at+jwt',
    algorithms: ['ES256'],
  });

  expect(protectedHeader).toMatchObject({ alg: 'ES256', typ: 'at+jwt' });
  expect(payload).toMatchObject({ sub: id, scope: USER_PERMISSIONS.join(' ') });
  const me = await request('GET', '/me', on({ token }));
  expectStatus(me, 200);
  expect(me.body).toMatchObject({ id });
});

test('an HS256 token keyed with the published public key, or naming an unknown kid, is refused with 401', async () => {
  const { token } = await userToken();
  const { header, payload } = decodeJwt(token);
  const jwk = (await publishedKeys()).keys[0];
  const publicPem = createPublicKey({ key: jwk as JsonWebKey, format: 'jwk' }).export({ type: 'spki', format: 'pem' }).toString();

  const confused = jwt.sign(payload, publicPem, { algorithm: 'HS256', header: { alg: 'HS256', typ: 'at+jwt', kid: String(header['kid']) } });
  const unknownKid = `${Buffer.from(JSON.stringify({ ...header, kid: 'not-ours' })).toString('base64url')}.${token.split('.').slice(1).join('.')}`;

  expectGatewayRefusal(await request('GET', '/me', on({ token: confused })), 401);
  expectGatewayRefusal(await request('GET', '/me', on({ token: unknownKid })), 401);
  expectStatus(await request('GET', '/me', on({ token })), 200);
});

test("docs/other-services.md's own verifier (examples/jwks-verifier) accepts its token, and still does after logout, until exp, where the shared authorizer refuses at once", async () => {
  const { id, token } = await userToken();
  const metadata = bodyOf<{ issuer: string; jwks_uri: string }>(await request('GET', '/.well-known/oauth-authorization-server', on()));
  const verify = accessTokenVerifier({ issuer: metadata.issuer, audience: 'serverless-auth', jwksUri: metadata.jwks_uri });

  const claims = await verify(token);
  expect({ sub: claims.sub, reads: grants(claims, 'profile:read'), administers: grants(claims, 'users:write') }).toEqual({ sub: id, reads: true, administers: false });
  const [header = '', payload = '', signature = ''] = token.split('.');
  const asIdToken = `${Buffer.from(JSON.stringify({ ...decodeJwt(token).header, typ: 'JWT' })).toString('base64url')}.${payload}.${signature}`;
  await expect(verify(asIdToken)).rejects.toThrow();
  await expect(verify(`${header}.${payload}.${signature.slice(0, -4)}AAAA`)).rejects.toThrow();

  expectStatus(await request('POST', '/auth/logout', on({ token })), 204);
  expectGatewayRefusal(await request('GET', '/me', on({ token })), 401);
  // What the guide warns of: a service verifying by itself cannot see the logout.
  expect((await verify(token)).sub).toBe(id);
});

// The last test: it stops the service (afterAll's stopService then finds little or nothing left).
test('two SIGINTs to scripts/start.ts alone still stop its DynamoDB Local and free the port', async () => {
  const pgid = es256.service.child.pid ?? 0;
  const startScript = processesInGroup(pgid).find(({ args }) => args.includes('scripts/start') && args.includes('loader.mjs'));
  expect(startScript).toBeDefined();
  expect(processesInGroup(pgid).some(({ args }) => args.includes('DynamoDBLocal.jar'))).toBe(true);
  expect(await accepts(es256.dynamodbPort)).toBe(true);
  // Who listens on the port, not merely whether something does: once freed, the port may be taken
  // by another suite's DynamoDB Local at once (test files run in parallel, each on a free port).
  expect(groupsListeningOn(es256.dynamodbPort)).toContain(pgid);

  process.kill(startScript?.pid ?? 0, 'SIGINT');
  // Apart, as two key presses are (two signals sent at once arrive as one), and soon enough to land
  // while the first is still stopping the service: where a one-shot handler had left the default.
  await new Promise((resolve) => setTimeout(resolve, 20));
  process.kill(startScript?.pid ?? 0, 'SIGINT');

  const deadline = Date.now() + 20_000;
  while (processesInGroup(pgid).some(({ args }) => args.includes('DynamoDBLocal.jar')) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  expect(processesInGroup(pgid).filter(({ args }) => args.includes('DynamoDBLocal.jar'))).toEqual([]);
  expect(groupsListeningOn(es256.dynamodbPort)).not.toContain(pgid);
  // The in-memory account is gone, and so is the file with its password.
  expect(existsSync(join(__dirname, '../..', bannerPassword().file))).toBe(false);
}, 30_000);

/** The process groups of the processes listening on a TCP port (IPv4 or IPv6), read from /proc (Linux). */
function groupsListeningOn(port: number): number[] {
  const portHex = `:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    if (!existsSync(table)) continue;
    for (const line of readFileSync(table, 'utf8').split('\n').slice(1)) {
      // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
      const fields = line.trim().split(/\s+/);
      if (fields[1]?.endsWith(portHex) && fields[3] === '0A' && fields[9] !== undefined) inodes.add(`socket:[${fields[9]}]`);
    }
  }
  const groups = new Set<number>();
  if (inodes.size === 0) return [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const holds = readdirSync(`/proc/${entry}/fd`).some((fd) => {
        try {
          return inodes.has(readlinkSync(`/proc/${entry}/fd/${fd}`));
        } catch {
          return false;
        }
      });
      if (!holds) continue;
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      groups.add(Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]));
    } catch {
      // gone meanwhile
    }
  }
  return [...groups];
}

/** The processes of a process group, read from /proc (Linux), with their command lines. */
function processesInGroup(pgid: number): { pid: number; args: string }[] {
  const found: { pid: number; args: string }[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // stat: pid (comm) state ppid pgrp …; comm may hold spaces, so read after its closing parenthesis.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) !== pgid) continue;
      found.push({ pid: Number(entry), args: readFileSync(`/proc/${entry}/cmdline`, 'utf8').replace(/\0/g, ' ') });
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
