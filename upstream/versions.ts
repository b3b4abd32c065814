// The pinned upstream versions (upstream/versions.json) and where their built binaries are cached.
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

export const UPSTREAM_DIR = dirname(fileURLToPath(import.meta.url));

const semver = z.string().regex(/^v\d+\.\d+\.\d+$/, 'must look like v1.2.3');
export const versionsSchema = z.strictObject({ kubernetes: semver, etcd: semver, kwok: semver, vegeta: semver });
export type UpstreamVersions = z.infer<typeof versionsSchema>;

export function readVersions(): UpstreamVersions {
  return versionsSchema.parse(JSON.parse(readFileSync(join(UPSTREAM_DIR, 'versions.json'), 'utf8')));
}

export const CACHE_ROOT = process.env['HAPROOF_CACHE_DIR'] ?? join(homedir(), '.cache', 'haproof');

export type Component = keyof UpstreamVersions;

/** A built component's cache directory; the upstream e2e suite (`e2e`) is built at the Kubernetes version. */
export function componentCacheDir(component: Component | 'e2e', version: string): string {
  return join(CACHE_ROOT, `${component}-${version}`);
}

/** The upstream Kubernetes e2e test binary, at the control plane's version (built only on request: `haproof build --e2e`). */
export function e2eBinaryPath(v: UpstreamVersions): string {
  return join(componentCacheDir('e2e', v.kubernetes), 'e2e.test');
}

export interface Binaries {
  kubeApiserver: string;
  kubeControllerManager: string;
  kubeScheduler: string;
  kubectl: string;
  etcd: string;
  etcdctl: string;
  /** Offline snapshot restore (planted defects only). */
  etcdutl: string;
  kwok: string;
  /** kwok Stage definitions (node initialize + heartbeat with lease, pod ready/complete/delete), multi-document YAML. */
  kwokStages: string;
  /** The independent load witness. */
  vegeta: string;
}

export function binaryPaths(v: UpstreamVersions): Binaries {
  const k8s = componentCacheDir('kubernetes', v.kubernetes);
  const etcd = componentCacheDir('etcd', v.etcd);
  const kwok = componentCacheDir('kwok', v.kwok);
  return {
    kubeApiserver: join(k8s, 'kube-apiserver'),
    kubeControllerManager: join(k8s, 'kube-controller-manager'),
    kubeScheduler: join(k8s, 'kube-scheduler'),
    kubectl: join(k8s, 'kubectl'),
    etcd: join(etcd, 'etcd'),
    etcdctl: join(etcd, 'etcdctl'),
    etcdutl: join(etcd, 'etcdutl'),
    kwok: join(kwok, 'kwok'),
    kwokStages: join(kwok, 'stages.yaml'),
    vegeta: join(componentCacheDir('vegeta', v.vegeta), 'vegeta'),
  };
}
