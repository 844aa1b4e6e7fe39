/**
 * An organization as `GET /v1/organizations/{id}` and `.../state` answer,
 * as far as orgctl reads it. The contracts library has no query result
 * types yet, so this mirrors the service's JSON; anything else the service
 * sends is kept and shown by `--json`.
 */
export interface OrganizationView {
  readonly orgId: string;
  readonly revision: number;
  readonly state: OrganizationStateView;
}

export interface OrganizationStateView {
  readonly id: string;
  readonly name: string;
  readonly status: string;
  readonly profile: { readonly displayName: string };
  readonly limits: Readonly<Record<string, number | null>>;
  readonly usage: Readonly<Record<string, number>>;
  readonly ownerUserId: string;
  readonly members: readonly MemberView[];
  readonly legalHolds: readonly LegalHoldView[];
  readonly deletion: DeletionView | null;
  readonly suspensionReason: string | null;
}

export interface MemberView {
  readonly userId: string;
  readonly role: string;
  readonly permissions: readonly string[];
}

export interface LegalHoldView {
  readonly caseReference: string;
  readonly reason: string;
}

export interface DeletionView {
  readonly requestedAt: string;
  readonly effectiveAt: string;
  readonly gracePeriodDays: number;
  readonly reason: string | null;
  readonly blockedBy: readonly Readonly<Record<string, unknown>>[] | null;
}

/** Where to look in an organization's history: a revision or a moment. */
export type PointInTime =
  { readonly revision: number } | { readonly at: string };

/** Whether a response body has the shape of an {@link OrganizationView}. */
export function isOrganizationView(body: unknown): body is OrganizationView {
  if (typeof body !== 'object' || body === null) return false;
  const { orgId, revision, state } = body as Record<string, unknown>;
  return (
    typeof orgId === 'string' &&
    typeof revision === 'number' &&
    typeof state === 'object' &&
    state !== null
  );
}
