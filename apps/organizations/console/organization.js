import { ApiError, getJson } from './api.js';
import { facts, h, section, table } from './dom.js';
import { isUnauthenticated } from './errors.js';
import * as format from './format.js';
import { orgNav } from './org-nav.js';

const RESOURCES = /** @type {const} */ ([
  ['products', 'Products'],
  ['devices', 'Devices'],
  ['users', 'Users'],
  ['api_keys', 'API keys'],
  ['webhooks', 'Webhooks'],
]);

/**
 * One organization as it is now: profile, labels, settings, limits and
 * their usage, members, lifecycle, and whether its history verifies.
 *
 * @param {string} orgId
 * @returns {Promise<import('./console.js').View>}
 */
export async function organizationPage(orgId) {
  const path = `/v1/organizations/${encodeURIComponent(orgId)}`;
  const [view, integrity] = await Promise.all([
    /** @type {Promise<import('./api.js').OrganizationView>} */ (getJson(path)),
    integrityOf(path),
  ]);
  const org = view.state;
  return {
    title: `${org.profile.displayName} (${org.name})`,
    body: h(
      'div',
      { class: 'organization' },
      orgNav(org.id, org.name, ''),
      h(
        'p',
        { class: 'summary' },
        h(
          'span',
          { class: `status status-${org.status}` },
          format.status(org.status),
        ),
        ` Revision ${view.revision}.`,
      ),
      h(
        'div',
        { class: 'grid' },
        profile(org, view.revision),
        labels(org),
        security(org),
        billing(org),
      ),
      limits(org),
      members(org),
      h('div', { class: 'grid' }, lifecycle(org), integritySection(integrity)),
    ),
  };
}

/**
 * The verification of the history, or why it cannot be shown.
 *
 * @param {string} path
 * @returns {Promise<import('./api.js').IntegrityReport | ApiError>}
 */
async function integrityOf(path) {
  try {
    return /** @type {import('./api.js').IntegrityReport} */ (
      await getJson(`${path}/integrity`)
    );
  } catch (error) {
    if (isUnauthenticated(error) || !(error instanceof ApiError)) throw error;
    return error;
  }
}

/**
 * @param {import('./api.js').Organization} org
 * @param {number} revision
 */
function profile(org, revision) {
  return section(
    'profile',
    'Profile',
    facts([
      ['Name', org.name],
      ['Display name', org.profile.displayName],
      ['Description', org.profile.description],
      ['Contact e-mail', org.profile.contactEmail],
      ['Id', h('code', {}, org.id)],
      ['Revision', String(revision)],
    ]),
  );
}

/** @param {import('./api.js').Organization} org */
function labels(org) {
  const free = Object.entries(org.labels.labels);
  return section(
    'labels',
    'Labels',
    facts([
      ['Environment', org.labels.environment],
      ['Business unit', org.labels.businessUnit],
      ['Region', org.labels.region],
      [
        'Labels',
        free.length === 0
          ? null
          : h(
              'ul',
              { class: 'tags' },
              ...free.map(([key, value]) => h('li', {}, `${key}: ${value}`)),
            ),
      ],
    ]),
  );
}

/** @param {import('./api.js').Organization} org */
function security(org) {
  const { security: s } = org;
  const rotation = s.apiKeyRotation;
  return section(
    'security',
    'Security settings',
    facts([
      ['Two-factor required', format.yesNo(s.twoFactorRequired)],
      [
        'IP allowlist',
        s.ipAllowlist.length === 0
          ? 'no restriction'
          : s.ipAllowlist.join(', '),
      ],
      ['Session timeout', `${s.sessionTimeoutMinutes} minutes`],
      ['API key rotation', rotationText(rotation)],
    ]),
  );
}

/**
 * @param {import('./api.js').Organization['security']['apiKeyRotation']} rotation
 */
function rotationText(rotation) {
  if (rotation === null) return 'not required';
  const { maxAgeDays, warnBeforeDays } = rotation;
  if (maxAgeDays === null) return 'not required';
  return `every ${maxAgeDays} days, warning ${warnBeforeDays} days before`;
}

/** @param {import('./api.js').Organization} org */
function billing(org) {
  const { billing: b } = org;
  return section(
    'billing',
    'Billing settings',
    facts([
      [
        'Billing e-mail',
        b.billingEmail ?? `${org.profile.contactEmail} (contact)`,
      ],
      ['Payment method', b.paymentMethod?.replace(/_/g, ' ') ?? null],
      [
        'Usage alerts at',
        b.usageAlertThresholds.map((t) => `${t}%`).join(', '),
      ],
      [
        'Outstanding balance',
        format.money(org.balance.outstandingCents, org.balance.currency),
      ],
      ['Active deployments', String(org.activeDeployments.length)],
    ]),
  );
}

/** @param {import('./api.js').Organization} org */
function limits(org) {
  const thresholds = org.billing.usageAlertThresholds;
  return section(
    'limits',
    'Resource limits and usage',
    h(
      'p',
      { class: 'hint' },
      `Marks on each bar are the usage alerts (${thresholds.map((t) => `${t}%`).join(', ')}).`,
    ),
    h(
      'ul',
      { class: 'limits' },
      ...RESOURCES.map(([resource, name]) =>
        usageBar(
          resource,
          name,
          resource === 'users'
            ? org.members.length
            : (org.usage[resource] ?? 0),
          org.limits[resource] ?? null,
          thresholds,
        ),
      ),
    ),
  );
}

/**
 * A bar of usage against the limit, with the alert thresholds marked and
 * the numbers in words beside it.
 *
 * @param {string} resource
 * @param {string} name
 * @param {number} used
 * @param {number | null} limit `null` for unlimited
 * @param {readonly number[]} thresholds
 */
function usageBar(resource, name, used, limit, thresholds) {
  const percent = limit === null || limit === 0 ? null : (used / limit) * 100;
  const text =
    limit === null
      ? `${used} used, unlimited`
      : `${used} of ${limit} used (${Math.round(percent ?? 0)}%)`;
  const level =
    percent === null
      ? 'ok'
      : percent >= 100
        ? 'full'
        : thresholds.some((t) => percent >= t)
          ? 'alert'
          : 'ok';
  const fill = h('span', { class: `usage-fill usage-${level}` });
  fill.style.width = `${Math.min(percent ?? 0, 100)}%`;
  const bar = h(
    'span',
    {
      class: 'usage-bar',
      role: 'meter',
      'aria-label': `${name} usage`,
      'aria-valuemin': 0,
      'aria-valuemax': limit ?? used,
      'aria-valuenow': used,
      'aria-valuetext': text,
    },
    fill,
  );
  if (limit !== null) {
    for (const threshold of thresholds) {
      const mark = h('span', {
        class: 'usage-mark',
        title: `alert at ${threshold}%`,
      });
      mark.style.left = `${threshold}%`;
      bar.append(mark);
    }
  }
  return h(
    'li',
    { class: 'limit', 'data-resource': resource },
    h('span', { class: 'limit-name' }, name),
    bar,
    h(
      'span',
      { class: 'limit-text' },
      text,
      level === 'ok'
        ? ''
        : level === 'full'
          ? ' · at the limit'
          : ' · past an alert',
    ),
  );
}

/** @param {import('./api.js').Organization} org */
function members(org) {
  return section(
    'members',
    'Members and roles',
    table(
      org.members.length === 1 ? '1 member' : `${org.members.length} members`,
      ['User', 'Role', 'Extra permissions'],
      org.members.map((m) => [
        h('code', {}, m.userId),
        m.role,
        m.permissions.length === 0 ? '—' : m.permissions.join(', '),
      ]),
      'No members.',
    ),
  );
}

/** @param {import('./api.js').Organization} org */
function lifecycle(org) {
  const deletion = org.deletion;
  return section(
    'lifecycle',
    'Lifecycle',
    facts([
      ['Status', format.status(org.status)],
      [
        'Suspension reason',
        org.status === 'suspended' ? org.suspensionReason : null,
      ],
      [
        'Legal hold',
        org.legalHolds.length === 0
          ? 'none'
          : h(
              'ul',
              {},
              ...org.legalHolds.map((hold) =>
                h('li', {}, `${hold.caseReference}: ${hold.reason}`),
              ),
            ),
      ],
      [
        'Deletion',
        deletion === null
          ? 'not scheduled'
          : `scheduled for ${format.time(deletion.effectiveAt)} (requested ${format.time(deletion.requestedAt)}, ${deletion.gracePeriodDays} days' grace)`,
      ],
      ['Deletion reason', deletion?.reason ?? null],
      [
        'Deletion blocked by',
        deletion?.blockedBy === null || deletion?.blockedBy === undefined
          ? null
          : deletion.blockedBy
              .map((b) => format.value(b.precondition))
              .join(', '),
      ],
    ]),
  );
}

/** @param {import('./api.js').IntegrityReport | ApiError} report */
function integritySection(report) {
  if (report instanceof ApiError) {
    return section(
      'integrity',
      'Integrity of the history',
      h(
        'p',
        {},
        `Not shown: ${report.message}`,
        report.detail === '' ? '' : ` (${report.detail})`,
      ),
    );
  }
  return section(
    'integrity',
    'Integrity of the history',
    report.valid
      ? h(
          'p',
          { class: 'verified' },
          `Verified: the chain of ${report.count ?? 0} events is intact.`,
        )
      : h(
          'p',
          { class: 'broken', role: 'alert' },
          `Broken at revision ${report.firstBrokenRevision ?? '?'}: ${report.reason ?? 'unknown reason'}.`,
        ),
    facts([
      ['Head revision', String(report.revision)],
      [
        'Head hash',
        report.headHash === null
          ? null
          : h('code', { class: 'hash' }, report.headHash),
      ],
    ]),
  );
}
