import type {
  AllocatableResource,
  Resource,
  Role,
} from '../organization/catalog.js';
import type {
  CreateOrganization,
  OrganizationCommand,
} from '../organization/commands.js';
import { OWNER } from './decider-spec.js';

let keyCounter = 0;

function nextKey(prefix: string): string {
  keyCounter += 1;
  return `${prefix}-${keyCounter}`;
}

export function create(
  overrides: Partial<CreateOrganization['payload']> = {},
): CreateOrganization {
  return {
    type: 'CreateOrganization',
    payload: {
      name: 'acme-industrial',
      displayName: 'Acme Industrial',
      contactEmail: 'ops@acme.example',
      ownerUserId: OWNER,
      ...overrides,
    },
  };
}

export function allocate(
  resource: AllocatableResource,
  quantity: number,
  idempotencyKey = nextKey('alloc'),
): OrganizationCommand {
  return {
    type: 'AllocateResource',
    payload: { resource, quantity, idempotencyKey },
  };
}

export function release(
  resource: AllocatableResource,
  quantity: number,
  idempotencyKey = nextKey('release'),
): OrganizationCommand {
  return {
    type: 'ReleaseResource',
    payload: { resource, quantity, idempotencyKey },
  };
}

export function addMember(
  userId: string,
  role: Role = 'viewer',
): OrganizationCommand {
  return { type: 'AddMember', payload: { userId, role } };
}

export function setLimit(
  resource: Resource,
  limit: number | null,
): OrganizationCommand {
  return { type: 'SetResourceLimit', payload: { resource, limit } };
}
