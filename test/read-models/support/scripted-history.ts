import type { OrganizationCommand } from '@org/domain';

import { type OrganizationLog, SERVICE } from './organization-log.js';

/**
 * A fleet of organizations going through the same cycle of ten commands:
 * profile and label changes, a member who comes, changes role and goes,
 * allocations and releases, a suspension and a reactivation. Every step is
 * accepted and records an event.
 */
export class ScriptedHistory {
  private readonly ids: string[] = [];
  private step = 0;

  constructor(
    private readonly log: OrganizationLog,
    private readonly prefix: string,
  ) {}

  async create(count: number): Promise<void> {
    const regions = ['eu', 'us', 'ap'];
    for (let i = 0; i < count; i += 1) {
      this.ids.push(
        await this.log.create(`${this.prefix}-${i}`, {
          environment: i % 2 === 0 ? 'production' : 'staging',
          region: regions[i % regions.length],
          labels: { shard: String(i % 4) },
        }),
      );
    }
  }

  /** Every organization takes the next step, concurrently, `count` times. */
  async rounds(count: number): Promise<void> {
    for (let round = 0; round < count; round += 1) {
      const step = this.step;
      this.step += 1;
      await Promise.all(this.ids.map((id) => this.take(id, step)));
    }
  }

  private async take(id: string, step: number): Promise<void> {
    const command = commandAt(step);
    const byService =
      command.type === 'AllocateResource' || command.type === 'ReleaseResource';
    await this.log.run(id, command, byService ? { actor: SERVICE } : {});
  }
}

function commandAt(step: number): OrganizationCommand {
  const userId = `u-${Math.floor(step / 10)}`;
  switch (step % 10) {
    case 0:
      return { type: 'UpdateProfile', payload: { displayName: `v${step}` } };
    case 1:
      return {
        type: 'ChangeLabels',
        payload: {
          environment: step % 20 < 10 ? 'production' : 'staging',
          labels: { round: String(step) },
        },
      };
    case 2:
      return { type: 'AddMember', payload: { userId, role: 'viewer' } };
    case 3:
      return usage('AllocateResource', 2, `a-${step}`);
    case 4:
      return { type: 'ChangeMemberRole', payload: { userId, role: 'admin' } };
    case 5:
      return usage('ReleaseResource', 1, `r-${step}`);
    case 6:
      return { type: 'RemoveMember', payload: { userId } };
    case 7:
      return { type: 'SuspendOrganization', payload: { reason: `s${step}` } };
    case 8:
      return { type: 'UpdateProfile', payload: { description: `d${step}` } };
    default:
      return { type: 'ReactivateOrganization', payload: {} };
  }
}

function usage(
  type: 'AllocateResource' | 'ReleaseResource',
  quantity: number,
  idempotencyKey: string,
): OrganizationCommand {
  return {
    type,
    payload: { resource: 'devices', quantity, idempotencyKey },
  };
}
