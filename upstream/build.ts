// Builds the pinned upstream binaries from the Go module proxy into the cache, once per version, with progress.
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { run, runOrThrow, runStreaming } from '../core/run.ts';
import { binaryPaths, componentCacheDir, e2eBinaryPath, readVersions, UPSTREAM_DIR, type Component, type UpstreamVersions } from './versions.ts';

const GO_ENV = { ...process.env, GOTOOLCHAIN: 'local', GOFLAGS: '-mod=readonly -trimpath' } as Record<string, string>;
const BUILD_TIMEOUT_MS = 80 * 60_000;

interface Recipe {
  component: Component;
  /** Its folder under upstream/ and its cache name when it is not the component's own (the e2e suite). */
  name?: 'e2e';
  /** `go test -c` of this package into this binary, after the packages above are built (their cache reused). */
  testBinary?: { pkg: string; out: string };
  /** Go packages and the binary name each becomes. */
  packages: Array<{ pkg: string; out: string }>;
  ldflags: (v: UpstreamVersions, commit: string) => string;
  /** One go build for all packages (shares compilation) when every binary name is distinct. */
  together: boolean;
  /** Command line that prints the version, and the text it must contain. */
  verify: Array<{ out: string; args: string[]; expect: (v: UpstreamVersions) => string }>;
  module: string;
  extra?: (dir: string) => Promise<void>;
}

function kubernetesLdflags(v: UpstreamVersions, commit: string): string {
  const [major, minor] = v.kubernetes.slice(1).split('.');
  const vars = ['k8s.io/component-base/version', 'k8s.io/client-go/pkg/version'].flatMap((p) => [
    `-X ${p}.gitVersion=${v.kubernetes}`, `-X ${p}.gitMajor=${major}`, `-X ${p}.gitMinor=${minor}`,
    `-X ${p}.gitCommit=${commit}`, `-X ${p}.gitTreeState=clean`, `-X ${p}.buildDate=1970-01-01T00:00:00Z`,
  ]);
  return ['-s', '-w', ...vars].join(' ');
}

const RECIPES: Recipe[] = [
  {
    component: 'kubernetes',
    module: 'k8s.io/kubernetes',
    together: true,
    packages: ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kubectl'].map((b) => ({ pkg: `k8s.io/kubernetes/cmd/${b}`, out: b })),
    ldflags: kubernetesLdflags,
    verify: [
      ...['kube-apiserver', 'kube-controller-manager', 'kube-scheduler'].map((out) => ({ out, args: ['--version'], expect: (v: UpstreamVersions) => `Kubernetes ${v.kubernetes}` })),
      { out: 'kubectl', args: ['version', '--client'], expect: (v) => `Client Version: ${v.kubernetes}` },
    ],
  },
  {
    component: 'etcd',
    module: 'go.etcd.io/etcd/server/v3',
    together: false,
    // etcdutl: offline snapshot restore, which the planted defects split-store and stale-restore use as operators do.
    packages: [{ pkg: 'go.etcd.io/etcd/server/v3', out: 'etcd' }, { pkg: 'go.etcd.io/etcd/etcdctl/v3', out: 'etcdctl' }, { pkg: 'go.etcd.io/etcd/etcdutl/v3', out: 'etcdutl' }],
    ldflags: () => '-s -w',
    verify: [
      { out: 'etcd', args: ['--version'], expect: (v) => `etcd Version: ${v.etcd.slice(1)}` },
      { out: 'etcdctl', args: ['version'], expect: (v) => `etcdctl version: ${v.etcd.slice(1)}` },
      { out: 'etcdutl', args: ['version'], expect: (v) => `etcdutl version: ${v.etcd.slice(1)}` },
    ],
  },
  {
    component: 'kwok',
    module: 'sigs.k8s.io/kwok',
    together: true,
    packages: [{ pkg: 'sigs.k8s.io/kwok/cmd/kwok', out: 'kwok' }],
    ldflags: (v) => `-s -w -X sigs.k8s.io/kwok/pkg/consts.Version=${v.kwok.slice(1)}`,
    verify: [{ out: 'kwok', args: ['--version'], expect: (v) => v.kwok.slice(1) }],
    extra: copyKwokStages,
  },
  {
    // The independent witness beside haproof's own load (k6 is AGPL and may not be used here; vegeta is MIT).
    component: 'vegeta',
    module: 'github.com/tsenart/vegeta/v12',
    together: true,
    packages: [{ pkg: 'github.com/tsenart/vegeta/v12', out: 'vegeta' }],
    ldflags: (v, commit) => `-s -w -X main.Version=${v.vegeta} -X main.Commit=${commit}`,
    verify: [{ out: 'vegeta', args: ['-version'], expect: (v) => `Version: ${v.vegeta}` }],
  },
];

/**
 * The upstream e2e suite (`e2e.test`), built on request only (`haproof build --e2e`): `go build -v` of the packages its
 * test main links (for progress, and to fill the build cache), then `go test -c k8s.io/kubernetes/test/e2e`.
 */
const E2E_RECIPE: Recipe = {
  component: 'kubernetes',
  name: 'e2e',
  module: 'k8s.io/kubernetes',
  together: true,
  packages: [], // read from upstream/e2e/tools.go at build time
  testBinary: { pkg: 'k8s.io/kubernetes/test/e2e', out: 'e2e.test' },
  ldflags: kubernetesLdflags,
  verify: [{ out: 'e2e.test', args: ['--version'], expect: (v) => v.kubernetes }],
};

/** The packages upstream/e2e/tools.go lists: what e2e_test.go imports (pure). */
export function toolsImports(text: string): string[] {
  return [...text.matchAll(/^\s*_ "([^"]+)"$/gm)].map((m) => m[1]!).filter((p) => p.startsWith('k8s.io/kubernetes/'));
}

/** Builds the upstream e2e suite when its cache is missing or stale; returns the binary's path. */
export async function ensureE2e(log: Log): Promise<string> {
  const v = readVersions();
  const tools = await readFile(join(UPSTREAM_DIR, 'e2e', 'tools.go'), 'utf8');
  await ensureComponent({ ...E2E_RECIPE, packages: toolsImports(tools).map((pkg) => ({ pkg, out: '' })) }, v, log);
  return e2eBinaryPath(v);
}

/** kwok ships its Stage definitions as data in its module; haproof uses them as published. */
async function copyKwokStages(dir: string): Promise<void> {
  const moduleDir = (await runOrThrow('go', ['list', '-m', '-f', '{{.Dir}}', 'sigs.k8s.io/kwok'], { cwd: join(UPSTREAM_DIR, 'kwok'), env: GO_ENV })).stdout.trim();
  const files = ['node/fast/node-initialize.yaml', 'node/heartbeat-with-lease/node-heartbeat-with-lease.yaml', 'pod/fast/pod-ready.yaml', 'pod/fast/pod-complete.yaml', 'pod/fast/pod-delete.yaml'];
  const docs = await Promise.all(files.map((f) => readFile(join(moduleDir, 'kustomize', 'stage', f), 'utf8')));
  await writeFile(join(dir, 'stages.yaml'), docs.map((d) => d.trim()).join('\n---\n') + '\n');
}

/** A fingerprint of what a component is built from: its version and its go.mod/go.sum. */
async function fingerprint(component: Component, v: UpstreamVersions, name: string = component): Promise<string> {
  const dir = join(UPSTREAM_DIR, name);
  // tools.go (the e2e suite's package list) is what is built, where there is one.
  const [mod, sum, tools] = await Promise.all(['go.mod', 'go.sum', 'tools.go'].map((f) => readFile(join(dir, f), 'utf8').catch(() => '')));
  const { createHash } = await import('node:crypto');
  return `${v[component]} ${createHash('sha256').update(mod!).update(sum!).update(tools!).digest('hex').slice(0, 16)}`;
}

export type Log = (line: string) => void;

/** Builds every component whose cache is missing or stale; returns the binary paths. */
export async function ensureBinaries(log: Log): Promise<ReturnType<typeof binaryPaths>> {
  const v = readVersions();
  for (const recipe of RECIPES) await ensureComponent(recipe, v, log);
  return binaryPaths(v);
}

async function ensureComponent(recipe: Recipe, v: UpstreamVersions, log: Log): Promise<void> {
  const version = v[recipe.component];
  const name = recipe.name ?? recipe.component;
  const dir = componentCacheDir(recipe.name ?? recipe.component, version);
  const marker = join(dir, '.built');
  const want = await fingerprint(recipe.component, v, name);
  if (existsSync(marker) && (await readFile(marker, 'utf8')).trim() === want) {
    log(`${name} ${version}: cached in ${dir}`);
    return;
  }
  const tmp = `${dir}.partial`;
  await rm(tmp, { recursive: true, force: true });
  await mkdir(tmp, { recursive: true });
  const cwd = join(UPSTREAM_DIR, name);
  const info = await runOrThrow('go', ['mod', 'download', '-json', `${recipe.module}@${version}`], { cwd, env: GO_ENV, timeoutMs: 10 * 60_000 });
  const commit = String((JSON.parse(info.stdout) as { Origin?: { Hash?: string } }).Origin?.Hash ?? version);
  const started = Date.now();
  const pkgs = recipe.packages.map((p) => p.pkg);
  const total = (await runOrThrow('go', ['list', '-deps', ...pkgs], { cwd, env: GO_ENV, timeoutMs: 10 * 60_000 })).stdout.split('\n').length;
  const outs = recipe.testBinary ? [recipe.testBinary.out] : recipe.packages.map((p) => p.out);
  log(`${name} ${version}: building ${outs.join(', ')} (${total} packages; a cold build takes minutes)`);
  let done = 0;
  let lastReport = Date.now();
  const onLine = (line: string): void => {
    if (!line.trim() || line.startsWith('#')) return;
    done++;
    if (Date.now() - lastReport > 15_000) {
      lastReport = Date.now();
      log(`  ${name}: ${Math.min(done, total)}/${total} packages compiled, ${Math.round((Date.now() - started) / 1000)} s`);
    }
  };
  const ldflags = recipe.ldflags(v, commit);
  const builds = recipe.testBinary
    // Library packages: `go build` compiles them into the build cache only; the test binary then links them.
    // (-vet=off: vet changes nothing in the binary and would check a whole upstream package set here.)
    ? [['build', '-v', ...pkgs], ['test', '-c', '-vet=off', '-ldflags', ldflags, '-o', join(tmp, recipe.testBinary.out), recipe.testBinary.pkg]]
    : recipe.together
      ? [['build', '-v', '-ldflags', ldflags, '-o', tmp + '/', ...pkgs]]
      : recipe.packages.map((p) => ['build', '-v', '-ldflags', ldflags, '-o', join(tmp, p.out), p.pkg]);
  for (const args of builds) {
    const r = await runStreaming('go', args, onLine, { cwd, env: GO_ENV, timeoutMs: BUILD_TIMEOUT_MS });
    if (r.failed) throw new Error(`building ${name} ${version} failed (${r.exitCode ?? r.signal}):\n${r.stderr.slice(-3000)}`);
  }
  for (const check of recipe.verify) {
    const r = await run(join(tmp, check.out), check.args, { timeoutMs: 30_000 });
    const text = `${r.stdout}\n${r.stderr}`;
    if (!text.includes(check.expect(v))) throw new Error(`${check.out} ${check.args.join(' ')} printed ${JSON.stringify(text.trim())}, expected it to contain ${JSON.stringify(check.expect(v))}`);
  }
  if (recipe.extra) await recipe.extra(tmp);
  await writeFile(join(tmp, '.built'), want + '\n');
  await rm(dir, { recursive: true, force: true });
  await rename(tmp, dir);
  log(`${name} ${version}: built and verified in ${Math.round((Date.now() - started) / 1000)} s → ${dir}`);
}

