/**
 * The console's only way to the service: the `/v1` API with the bearer
 * token the person signed in with. Authorization is the API's; the console
 * shows what it answers.
 *
 * @typedef {{ readonly type: string, readonly id: string }} ActorRef
 * @typedef {{ readonly path: string, readonly before: unknown, readonly after: unknown }} FieldChange
 * @typedef {{
 *   readonly eventId: string,
 *   readonly eventType: string,
 *   readonly orgId: string,
 *   readonly orgName: string,
 *   readonly revision: number,
 *   readonly occurredAt: string,
 *   readonly actor: ActorRef,
 *   readonly reference: string | null,
 *   readonly changes: readonly FieldChange[],
 * }} AuditEntry
 * @typedef {{ readonly userId: string, readonly role: string, readonly permissions: readonly string[] }} Member
 * @typedef {{ readonly caseReference: string, readonly reason: string }} LegalHold
 * @typedef {{
 *   readonly requestedAt: string,
 *   readonly effectiveAt: string,
 *   readonly gracePeriodDays: number,
 *   readonly reason: string | null,
 *   readonly blockedBy: readonly Record<string, unknown>[] | null,
 * }} ScheduledDeletion
 * @typedef {{
 *   readonly id: string,
 *   readonly name: string,
 *   readonly status: string,
 *   readonly profile: { readonly displayName: string, readonly description: string | null, readonly contactEmail: string },
 *   readonly labels: { readonly environment: string | null, readonly businessUnit: string | null, readonly region: string | null, readonly labels: Readonly<Record<string, string>> },
 *   readonly security: { readonly twoFactorRequired: boolean, readonly ipAllowlist: readonly string[], readonly sessionTimeoutMinutes: number, readonly apiKeyRotation: { readonly maxAgeDays: number | null, readonly warnBeforeDays: number } | null },
 *   readonly billing: { readonly billingEmail: string | null, readonly paymentMethod: string | null, readonly usageAlertThresholds: readonly number[] },
 *   readonly limits: Readonly<Record<string, number | null>>,
 *   readonly usage: Readonly<Record<string, number>>,
 *   readonly activeDeployments: readonly string[],
 *   readonly balance: { readonly outstandingCents: number, readonly currency: string | null },
 *   readonly ownerUserId: string,
 *   readonly members: readonly Member[],
 *   readonly suspensionReason: string | null,
 *   readonly legalHolds: readonly LegalHold[],
 *   readonly deletion: ScheduledDeletion | null,
 * }} Organization
 * @typedef {Organization & { readonly revision: number, readonly updatedAt: string }} DirectoryEntry
 * @typedef {{ readonly orgId: string, readonly revision: number, readonly state: Organization }} OrganizationView
 * @typedef {{
 *   readonly orgId: string,
 *   readonly revision: number,
 *   readonly headHash: string | null,
 *   readonly valid: boolean,
 *   readonly count?: number,
 *   readonly firstBrokenRevision?: number,
 *   readonly reason?: string,
 * }} IntegrityReport
 */

/**
 * @template T
 * @typedef {{ readonly items: readonly T[], readonly nextCursor: string | null }} Page
 */

const TOKEN_KEY = 'organizations-console.token';

/** The token of this tab's session: kept in sessionStorage, never elsewhere. */
export const session = {
  /** @returns {string | null} */
  token() {
    return sessionStorage.getItem(TOKEN_KEY);
  },
  /** @param {string} token */
  signIn(token) {
    sessionStorage.setItem(TOKEN_KEY, token);
  },
  signOut() {
    sessionStorage.removeItem(TOKEN_KEY);
  },
};

/** A refusal or failure of the API, told in words a person can act on. */
export class ApiError extends Error {
  /**
   * @param {number} status the HTTP status, 0 when the service was not reached
   * @param {string} detail what the service said, if anything
   * @param {string | null} correlationId
   */
  constructor(status, detail, correlationId) {
    super(explain(status));
    this.name = 'ApiError';
    this.status = status;
    this.detail = detail;
    this.correlationId = correlationId;
  }
}

/** @param {number} status */
function explain(status) {
  if (status === 401) {
    return 'Your token is unknown or has expired. Sign in again with a valid token.';
  }
  if (status === 403) return 'You are not allowed to see this.';
  if (status === 404) {
    return 'Not found: it does not exist, or you are not allowed to see it.';
  }
  if (status === 400 || status === 422)
    return 'The service did not accept these filters.';
  return 'The service is unavailable right now. Try again in a moment.';
}

/**
 * Reads JSON from the API.
 *
 * @param {string} path
 * @param {URLSearchParams} [query]
 * @returns {Promise<unknown>}
 */
export async function getJson(path, query) {
  const response = await send(path, query, 'application/json');
  try {
    return await readJson(response);
  } catch {
    throw new ApiError(502, 'the answer was not JSON', null);
  }
}

/**
 * Reads a file the API streams (an export), as a blob.
 *
 * @param {string} path
 * @param {URLSearchParams} query
 */
export async function getBlob(path, query) {
  const response = await send(path, query, '*/*');
  return response.blob();
}

/**
 * @param {string} path
 * @param {URLSearchParams | undefined} query
 * @param {string} accept
 */
async function send(path, query, accept) {
  const token = session.token();
  if (token === null) throw new ApiError(401, 'not signed in', null);
  const search = query === undefined || query.size === 0 ? '' : `?${query}`;
  let response;
  try {
    response = await fetch(`${path}${search}`, {
      headers: { authorization: `Bearer ${token}`, accept },
      cache: 'no-store',
    });
  } catch {
    throw new ApiError(0, 'the service could not be reached', null);
  }
  if (!response.ok) throw await refusal(response);
  return response;
}

/** @param {Response} response */
async function refusal(response) {
  const correlationId = response.headers.get('x-correlation-id');
  let detail = '';
  try {
    const body = await readJson(response);
    if (typeof body === 'object' && body !== null && 'detail' in body) {
      detail = typeof body.detail === 'string' ? body.detail : '';
    }
  } catch {
    // Not a problem document: the status alone speaks.
  }
  return new ApiError(response.status, detail, correlationId);
}

/**
 * @param {Response} response
 * @returns {Promise<unknown>}
 */
function readJson(response) {
  return response.json();
}
