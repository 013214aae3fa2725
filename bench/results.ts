/** What each case hands back to bench/run.ts, which turns them into the one table. */
import type { RequestCounts } from './aws-requests';
import type { Timing } from './measure';

export interface AwsRequestsPerCall {
  readonly perCall: number;
  /** Requests per call, by operation (`GetItem`). */
  readonly byOperation: RequestCounts;
}

/** Case 1: the authorizer in process, HS256, its account-state read replaced by a constant. */
export interface AuthorizerHs256Result {
  /** Logs silenced, as every other in-process task. */
  readonly handler: Timing;
  /** The same handler at the deployed log level, INFO: an allow writes no line (it is logged at DEBUG). */
  readonly handlerLogged: Timing;
  /** The same handler at DEBUG, writing its allow line to stdout: what an allow line at INFO would cost. */
  readonly handlerDebug: Timing;
  /** Bytes of that one allow line, as written to stdout (what CloudWatch Logs would ingest for it). */
  readonly allowLineBytes: number;
  readonly naive: Timing;
  readonly floor: Timing;
  /** The layers under the handler, timed in the same rounds. */
  readonly breakdown: {
    /** AuthorizerService.authorize: token verify + route match + policy. */
    readonly authorize: Timing;
    /** AccessTokenService.verify: header check + jsonwebtoken + claims check. */
    readonly tokensVerify: Timing;
    /** jwt.verify with the service's KeyObject and options alone. */
    readonly jsonwebtoken: Timing;
    /** bearerCredential(event): finding the Authorization header, as the handler does per request (the b64token check waits for a refusal). */
    readonly bearer: Timing;
  };
  readonly dynamodb: AwsRequestsPerCall;
}

/** Case 2: the exported authorizer handler, with its account-state read. */
export interface AuthorizerStateResult {
  readonly handler: Timing;
  /** Reference: the same consistent BatchGetItem (account + session) through a client built like the service's. */
  readonly batchGet: Timing;
  readonly dynamodb: AwsRequestsPerCall;
  /** Read capacity units that BatchGetItem consumed, as DynamoDB Local reports them; undefined if it does not. */
  readonly readCapacityUnits: number | undefined;
}

export type SigningAlg = 'RS256' | 'ES256';

/** Case 3: one asymmetric algorithm through the authorizer. */
export type AuthorizerAsymmetricResult =
  | {
      readonly alg: SigningAlg;
      readonly available: true;
      readonly kid: string;
      readonly handler: Timing;
      readonly floor: Timing;
      readonly dynamodb: AwsRequestsPerCall;
    }
  | { readonly alg: SigningAlg; readonly available: false; readonly reason: string };

/** Case 4: the login handler end to end at bcrypt cost 10. */
export interface LoginResult {
  readonly bcryptCost: number;
  readonly existingRight: Timing;
  readonly existingWrong: Timing;
  readonly unknown: Timing;
  readonly baseline: Timing;
  readonly dynamodbRight: AwsRequestsPerCall;
  readonly dynamodbExisting: AwsRequestsPerCall;
  readonly dynamodbUnknown: AwsRequestsPerCall;
  /** Medians over alternating right logins and baselines, cut into phases at their DynamoDB requests. */
  readonly timeline: { readonly pairs: number; readonly login: LoginPhases; readonly baseline: BaselinePhases };
}

/** A right login, in phases (ms). */
export interface LoginPhases {
  /** From the start to the reads' answers: the attempt's reservation (UpdateItem) ‖ the username claim with the hash (GetItem). */
  readonly readsMs: number;
  /** The account GetItem, which runs during the compare. */
  readonly accountReadMs: number;
  /** From the reads' end to the session write: the bcrypt compare, mostly. */
  readonly compareMs: number;
  /** The session's PutItem beside the attempt counter's reset. */
  readonly writeMs: number;
  /** Signing the tokens and the response. */
  readonly restMs: number;
  readonly totalMs: number;
}

/** The baseline, in phases (ms). */
export interface BaselinePhases {
  readonly readMs: number;
  readonly compareMs: number;
  readonly totalMs: number;
}
