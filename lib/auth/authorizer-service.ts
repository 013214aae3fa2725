import type { Logger } from '@aws-lambda-powertools/logger';
import { InvalidTokenError } from '../errors';
import { matchProtectedRoute, routeOpenedBy, routesAllowedBy, type Route } from '../routes';
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
}

/** Distinct scopes worked out and kept; tokens carry one per combination of roles, so a handful. */
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
  private readonly grants = new Map<string, Grant>();

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
    const { permissions, routes } = this.grantOf(token.scope);
    const route = matchProtectedRoute(arn.method, arn.path);
    const allowed = routes.map((opened) => `${arn.stagePrefix}/${opened}`);
    if (route === undefined || !routeOpenedBy(route, permissions)) {
      const reason = route === undefined || route.access === 'public' ? 'unknown_route' : 'missing_permission';
      this.logger.info('authorization denied', { event: 'authorize', outcome: 'deny', reason, accountId: token.sub, route: routeName(route) });
      return { effect: 'Deny', token, allowed, denied: methodArn };
    }
    // DEBUG, not INFO: allows are the bulk of the traffic, and API Gateway's access log (where a
    // stage turns it on) records each with its principal; the line would cost about as much as the
    // rest of the authorization (docs/benchmarks.md, case 1). Refusals and denials stay at INFO.
    this.logger.debug('authorization allowed', {
      event: 'authorize',
      outcome: 'allow',
      reason: 'permission_granted',
      accountId: token.sub,
      route: routeName(route),
    });
    return { effect: 'Allow', token, allowed };
  }

  /** The grant of a scope: a pure function of it, so worked out once per container and scope. */
  private grantOf(scope: string): Grant {
    let grant = this.grants.get(scope);
    if (grant === undefined) {
      const permissions = new Set(scope.split(' ').filter((permission) => permission !== ''));
      const routes = routesAllowedBy(permissions).map((allowed) => `${allowed.method}${allowed.path.replace(/\{[^}]+\}/g, '*')}`);
      grant = { permissions, routes };
      if (this.grants.size >= MAX_GRANTS) this.grants.clear();
      this.grants.set(scope, grant);
    }
    return grant;
  }
}

/** The route template (`GET /admin/users/{id}`), never the concrete path with its ids. */
function routeName(route: Route | undefined): string | undefined {
  return route === undefined ? undefined : `${route.method} ${route.path}`;
}

function parseMethodArn(methodArn: string): MethodArn {
  const match = /^(arn:aws[\w-]*:execute-api:[^:]*:[^:]*:[^/]+\/[^/]+)\/([A-Z]+)(\/.*)?$/.exec(methodArn);
  if (match === null) throw new InvalidTokenError('malformed');
  return { stagePrefix: match[1] ?? '', method: match[2] ?? '', path: match[3] ?? '/' };
}
