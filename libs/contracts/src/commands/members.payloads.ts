import { PERMISSIONS, type Permission, ROLES, type Role } from '../catalog.js';
import { OneOf, OneOfList, Text } from '../validation/fields.js';
import { LIST_CAPS, TEXT_CAPS } from './limits.js';

/** A member's grant: their role and any extra permissions. */
export class MemberGrant {
  @Text({ max: TEXT_CAPS.identifier })
  readonly userId!: string;

  @OneOf(ROLES)
  readonly role!: Role;

  @OneOfList(PERMISSIONS, { maxItems: LIST_CAPS.permissions, optional: true })
  readonly permissions?: readonly Permission[];
}

/** The payload of `AddMember`. */
export class AddMemberPayload extends MemberGrant {}

/** The payload of `ChangeMemberRole`: the member's whole new grant. */
export class ChangeMemberRolePayload extends MemberGrant {}

/** The payload of `RemoveMember`. */
export class RemoveMemberPayload {
  @Text({ max: TEXT_CAPS.identifier })
  readonly userId!: string;
}

/** The payload of `TransferOwnership` to an existing member. */
export class TransferOwnershipPayload {
  @Text({ max: TEXT_CAPS.identifier })
  readonly newOwnerUserId!: string;

  /** The role the previous owner keeps; `admin` when absent. */
  @OneOf(ROLES, { optional: true })
  readonly previousOwnerRole?: Role;
}
