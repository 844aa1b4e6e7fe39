import {
  evolve,
  initialState,
  type OrganizationEvent,
  type OrganizationState,
} from '@org/domain';

import { organizationHistory } from '../support/organization-events.js';

// Run with --expose-gc: holds the states of `count` organizations, as
// `evolve` makes them, in a Map in an otherwise bare process, and prints
// how much the heap and the resident set grew.
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with node --expose-gc');
const count = Number(process.argv[2]);
const start = new Date('2026-01-01T00:00:00.000Z');

gc();
const before = process.memoryUsage();
const states = new Map<string, OrganizationState>();
for (let index = 0; index < count; index += 1) {
  const { orgId, events } = organizationHistory(index, 1, start);
  const state = events.reduce(
    (folded, event) => evolve(folded, event as unknown as OrganizationEvent),
    initialState,
  );
  // As a store would hand it back: plain JSON values.
  states.set(orgId, JSON.parse(JSON.stringify(state)) as OrganizationState);
}
gc();
const after = process.memoryUsage();
process.stdout.write(
  `${JSON.stringify({
    organizations: states.size,
    heapBytes: after.heapUsed - before.heapUsed,
    rssBytes: after.rss - before.rss,
  })}\n`,
);
