// The import rules of haproof's layout (README "Layout"): data flows one way — deploy → run writes history →
// checkers write verdicts → report reads stored files. `npm run lint:imports` checks them; `npm test` runs it first.
const ours = '^(bin|cli|core|config|targets|dcos|testbed|upstream|history|checkers|chaos|reports|suites|scripts)/';
module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', comment: 'No import circle anywhere.', from: {}, to: { circular: true } },
    {
      name: 'core-is-a-leaf', severity: 'error', comment: 'core/ holds leaf helpers: it imports nothing of ours but core/.',
      from: { path: '^core/' }, to: { path: ours, pathNot: '^core/' },
    },
    {
      name: 'history-owns-the-run-directory', severity: 'error', comment: 'history/ imports only history/ and core/.',
      from: { path: '^history/' }, to: { path: ours, pathNot: '^(history|core)/' },
    },
    {
      name: 'checkers-are-pure', severity: 'error', comment: 'checkers/ import only checkers/, history/ and core/.',
      from: { path: '^checkers/' }, to: { path: ours, pathNot: '^(checkers|history|core)/' },
    },
    {
      name: 'reports-read-stored-files', severity: 'error',
      comment: 'reports/ read history/ (the run directory) and the checkers\' figure types; they never recompute a checker.',
      from: { path: '^reports/' }, to: { path: ours, pathNot: '^(reports|history|core)/|^checkers/(expectations|verdict|figures)\\.ts$' },
    },
    {
      name: 'reports-use-checker-types-only', severity: 'error', comment: 'from checkers/, reports import types only.',
      from: { path: '^reports/' }, to: { path: '^checkers/(verdict|figures)\\.ts$', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'chaos-never-imports-suites-or-cli', severity: 'error', from: { path: '^chaos/' }, to: { path: '^(suites|cli|bin)/' },
    },
    {
      name: 'nothing-imports-the-cli', severity: 'error', comment: 'cli/ is the composition root; only bin/, cli/ and its tests import it.',
      from: { path: ours, pathNot: '^(bin|cli|suites)/' }, to: { path: '^cli/' },
    },
    {
      name: 'nothing-imports-suites', severity: 'error', from: { path: ours, pathNot: '^suites/' }, to: { path: '^suites/' },
    },
    {
      name: 'testbed-never-imports-the-dcos-client', severity: 'error',
      comment: 'The testbed (and its DC/OS emulator) may share only the DC/OS API schemas with the dcos client.',
      from: { path: '^testbed/' }, to: { path: '^dcos/', pathNot: '^dcos/(schemas|package-options)\\.ts$' },
    },
    {
      name: 'testbed-is-below-the-targets', severity: 'error',
      comment: 'testbed/ deploys; targets/ drive it. The testbed uses only the target-neutral readers and types from targets/ (the DC/OS emulator acts on the testbed through its target, as the SDK scheduler would).',
      from: { path: '^testbed/', pathNot: '^testbed/dcos-emulator/' }, to: { path: '^targets/', pathNot: '^targets/(readers/|cluster\\.ts$)' },
    },
    {
      name: 'dcos-client-is-below-the-targets', severity: 'error', from: { path: '^dcos/' }, to: { path: '^(targets|testbed|chaos|checkers|reports)/' },
    },
    {
      name: 'targets-do-not-run-chaos', severity: 'error', from: { path: '^targets/' }, to: { path: '^(chaos|checkers|reports)/' },
    },
    {
      name: 'dcos-target-knows-no-testbed', severity: 'error', comment: 'The dcos target reaches a cluster only through DC/OS interfaces.',
      from: { path: '^targets/dcos/' }, to: { path: '^(testbed|targets/testbed)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)node_modules/|^upstream/[^/]+/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.mjs', '.js'] },
  },
};
