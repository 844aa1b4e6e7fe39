const TEST_CODE = '(\\.(spec|e2e-spec)\\.ts$|/testing/)';

function onlyLibs(from, allowed, comment) {
  const own = from.replace(/^libs\//, '');
  return {
    name: `${own}-imports-only-${allowed.length ? allowed.join('-') : 'itself'}`,
    comment,
    severity: 'error',
    from: { path: `^${from}/` },
    to: {
      path: '^libs/',
      pathNot: `^libs/(${[own, ...allowed].join('|')})/`,
    },
  };
}

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'Import cycles leave modules and Nest providers undefined.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'Every import must resolve, or the other rules cannot see it.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
    {
      name: 'no-non-package-json',
      comment: 'Import only packages that package.json declares.',
      severity: 'error',
      from: {},
      to: { dependencyTypes: ['npm-no-pkg', 'npm-unknown'] },
    },
    {
      name: 'not-to-dev-dep',
      comment: 'Production code may not import devDependencies.',
      severity: 'error',
      from: { path: '^(apps|libs)/', pathNot: TEST_CODE },
      to: {
        dependencyTypes: ['npm-dev'],
        dependencyTypesNot: ['type-only'],
        pathNot: '(^|/)node_modules/@types/',
      },
    },
    {
      name: 'domain-is-pure',
      comment:
        'The domain is pure TypeScript: no packages, no node core modules, ' +
        'no other libs or apps.',
      severity: 'error',
      from: { path: '^libs/domain/', pathNot: TEST_CODE },
      to: { pathNot: '^libs/domain/' },
    },
    {
      name: 'domain-specs-use-only-test-tools',
      comment:
        'Domain tests and testing/ helpers may add only the test runner ' +
        'and fast-check.',
      severity: 'error',
      from: { path: `^libs/domain/.*${TEST_CODE}` },
      to: {
        pathNot: [
          '^libs/domain/',
          '^test/',
          '(^|/)node_modules/(@jest/globals|fast-check)/',
        ],
      },
    },
    onlyLibs(
      'libs/event-store',
      ['domain'],
      'The event store knows the domain and nothing else internal.',
    ),
    onlyLibs(
      'libs/read-models',
      ['domain', 'event-store'],
      'Read models build on the domain and the event store only.',
    ),
    onlyLibs(
      'libs/bus',
      ['contracts'],
      'The bus transports contracts and knows nothing else internal.',
    ),
    {
      name: 'bus-client-needs-no-nest',
      comment:
        'Other services use the bus client without Nest: it imports neither ' +
        'Nest nor the server side of the bus.',
      severity: 'error',
      from: { path: '^libs/bus/src/client/' },
      to: {
        path: ['(^|/)node_modules/@nestjs/', '^libs/bus/src/server/'],
      },
    },
    onlyLibs(
      'libs/contracts',
      [],
      'Contracts are the wire shapes and import nothing internal.',
    ),
    {
      name: 'orgctl-imports-only-its-libs',
      comment: 'orgctl uses contracts, bus, event-store and read-models.',
      severity: 'error',
      from: { path: '^apps/orgctl/' },
      to: {
        path: '^libs/',
        pathNot: '^libs/(contracts|bus|event-store|read-models)/',
      },
    },
    {
      name: 'console-imports-only-itself',
      comment:
        'The console runs in the browser as it is served: its modules import ' +
        'only each other, never a package, a node module or a lib.',
      severity: 'error',
      from: { path: '^apps/organizations/console/' },
      to: { pathNot: '^apps/organizations/console/' },
    },
    {
      name: 'libs-never-import-apps',
      severity: 'error',
      from: { path: '^libs/' },
      to: { path: '^apps/' },
    },
    {
      name: 'apps-never-import-other-apps',
      severity: 'error',
      from: { path: '^apps/([^/]+)/' },
      to: { path: '^apps/', pathNot: '^apps/$1/' },
    },
    {
      name: 'production-never-imports-test-code',
      comment:
        'Only specs and testing/ helpers may use test/ and testing/ folders.',
      severity: 'error',
      from: { path: '^(apps|libs)/', pathNot: TEST_CODE },
      to: { path: ['^test/', '/testing/'] },
    },
  ],
  options: {
    doNotFollow: { path: '(^|/)node_modules/' },
    exclude: { path: '(^|/)(dist|coverage|data)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    reporterOptions: {
      text: { highlightFocused: true },
    },
  },
};
