import { LogLevelThreshold, type Logger } from '@aws-lambda-powertools/logger';
import { InvalidTokenError } from '../errors';
import { EVERY_SERVICE, matchProtectedRoute, OWN_SERVICE, routeOpenedBy, routesAllowedBy, serviceOf, type GuardedRoute } from '../routes';
import type { AccessTokenService, VerifiedAccessToken } from './access-tokens';
import type { TokenState } from './session-service';

/** Whether a verified token's account and session still stand (one store read). */
export type TokenStateCheck = (token: VerifiedAccessToken) => Promise<TokenState>;

/** The parts of an execute-api method ARN the policy is built from. */
interface MethodArn {
  /** `arn:aws:execute-api:region:account:apiId/stage` */
  readonly stagePrefix: string;
  readonly method: string;
  readonly path: string;
}

/** What a token's scope opens: its permissions, and each route it opens as `METHOD/path` with `*` for parameters. */
interface Grant {
  readonly permissions: ReadonlySet<string>;
  readonly routes: readonly string[];
  /** The routes as execute-api ARNs under the stage prefix last asked for: a container serves one API stage, mostly. */
  allowedIn?: { readonly stagePrefix: string; readonly allowed: readonly string[] };
}

/** Distinct scopes (per service) worked out and kept; tokens carry one per combination of roles, so a handful. */
const MAX_GRANTS = 64;

/**
 * `allowed`: every route the token opens. `denied`: the called route when it is not among them.
 * Both answers carry the whole allowed list, so a cached answer is right for every route.
 */
export type AuthorizationDecision =
  | { readonly effect: 'Allow'; readonly token: VerifiedAccessToken; readonly allowed: readonly string[] }
  | { readonly effect: 'Deny'; readonly token: VerifiedAccessToken; readonly allowed: readonly string[]; readonly denied: string };

/**
 * Decides a bearer token against the route being called. The Allow policy lists every route the
 * token's permissions open (and no other), so a cached decision is right for every route.
 */
export class AuthorizerService {
  /** Service → scope → grant: two lookups of strings at hand, no key put together per call. */
  private readonly grants = new Map<string, Map<string, Grant>>();
  private grantCount = 0;

  constructor(
    private readonly tokens: AccessTokenService,
    private readonly tokenState: TokenStateCheck,
    private readonly logger: Logger,
  ) {}

  /**
   * Throws InvalidTokenError for a token that is not good (bad, expired, or revoked: its account
   * gone, disabled or bumped, its session ended); returns Deny for a route it does not open.
   * A store failure propagates: the handler fails the authorization (a 503 from API Gateway),
   * never allows it and never calls the token bad.
   */
  async authorize(bearerToken: string, methodArn: string): Promise<AuthorizationDecision> {
    const arn = parseMethodArn(methodArn);
    const token = await this.tokens.verify(bearerToken);
    const state = await this.tokenState(token);
    if (state !== 'live') throw new InvalidTokenError(state);
    const route = matchProtectedRoute(arn.method, arn.path);
    // Another service's route (lib/routes.ts SERVICE_ROUTES) is called through that service's API:
    // its policy lists that service's routes, the ones API Gateway may apply a cached answer to. A
    // route nobody declared may be any API's: its Deny allows the token's routes of every service.
    const grant = this.grantOf(token.scope, route === undefined ? EVERY_SERVICE : serviceOf(route));
    const { permissions } = grant;
    const allowed = allowedIn(grant, arn.stagePrefix);
    if (route === undefined || !routeOpenedBy(route, permissions)) {
      const reason = route === undefined || route.access === 'public' ? 'unknown_route' : 'missing_permission';
      this.logger.info('authorization denied', { event: 'authorize', outcome: 'deny', reason, accountId: token.sub, route: routeName(route) });
      return { effect: 'Deny', token, allowed, denied: methodArn };
    }
    // DEBUG, not INFO: allows are the bulk of the traffic, and API Gateway's access log (where a
    // stage turns it on) records each with its principal; the line would cost about as much as the
    // rest of the authorization (docs/benchmarks.md, case 1). Refusals and denials stay at INFO.
    // The level is asked first, so that at INFO the line is not even put together (Powertools would
    // drop it only after reading the trace id from the environment). Nothing is lost: lib/logger.ts
    // turns no log buffer on, so a DEBUG line below the level is not kept anywhere either.
    if (this.logger.level <= LogLevelThreshold.DEBUG) {
      this.logger.debug('authorization allowed', {
        event: 'authorize',
        outcome: 'allow',
        reason: 'permission_granted',
        accountId: token.sub,
        route: routeName(route),
      });
    }
    return { effect: 'Allow', token, allowed };
  }

  /** The grant of a scope on one service's routes: a pure function of both, so worked out once per container. */
  private grantOf(scope: string, service: string): Grant {
    let ofService = this.grants.get(service);
    let grant = ofService?.get(scope);
    if (grant === undefined) {
      const permissions = new Set(scope.split(' ').filter((permission) => permission !== ''));
      const routes = routesAllowedBy(permissions, service).map((allowed) => `${allowed.method}${allowed.path.replace(/\{[^}]+\}/g, '*')}`);
      grant = { permissions, routes };
      if (this.grantCount >= MAX_GRANTS) {
        this.grants.clear();
        this.grantCount = 0;
        ofService = undefined;
      }
      if (ofService === undefined) this.grants.set(service, (ofService = new Map()));
      ofService.set(scope, grant);
      this.grantCount++;
    }
    return grant;
  }
}

/** A grant's routes as ARNs under one stage prefix: the policy's Allow list, kept for the last prefix asked for. */
function allowedIn(grant: Grant, stagePrefix: string): readonly string[] {
  if (grant.allowedIn?.stagePrefix === stagePrefix) return grant.allowedIn.allowed;
  const allowed = Object.freeze(grant.routes.map((opened) => `${stagePrefix}/${opened}`));
  grant.allowedIn = { stagePrefix, allowed };
  return allowed;
}

/** The route template (`GET /admin/users/{id}`, another service's as `greeter GET /hello`), never the concrete path with its ids. */
function routeName(route: GuardedRoute | undefined): string | undefined {
  if (route === undefined) return undefined;
  const service = serviceOf(route);
  return `${service === OWN_SERVICE ? '' : `${service} `}${route.method} ${route.path}`;
}

function parseMethodArn(methodArn: string): MethodArn {
  const match = /^(arn:aws[\w-]*:execute-api:[^:]*:[^:]*:[^/]+\/[^/]+)\/([A-Z]+)(\/.*)?$/.exec(methodArn);
  if (match === null) throw new InvalidTokenError('malformed');
  return { stagePrefix: match[1] ?? '', method: match[2] ?? '', path: match[3] ?? '/' };
}
