// The pinned versions: one file lists them, and every go.mod requires exactly those versions.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect } from '@playwright/test';
import { readVersions, UPSTREAM_DIR } from '../../upstream/versions.ts';

test('go.mod pins match upstream/versions.json', () => {
  const v = readVersions();
  const mod = (c: string) => readFileSync(join(UPSTREAM_DIR, c, 'go.mod'), 'utf8');
  expect(mod('kubernetes')).toMatch(new RegExp(`\\sk8s\\.io/kubernetes ${v.kubernetes}(\\s|$)`));
  const staging = `v0.${v.kubernetes.split('.').slice(1).join('.')}`;
  for (const m of mod('kubernetes').matchAll(/^\s+(k8s\.io\/[\w-]+) => (\S+) (\S+)$/gm)) expect(`${m[1]} ${m[3]}`).toBe(`${m[2]} ${staging}`);
  // The upstream e2e suite is pinned at the control plane's own version, its staging modules alike.
  expect(mod('e2e')).toMatch(new RegExp(`\\sk8s\\.io/kubernetes ${v.kubernetes}(\\s|$)`));
  for (const m of mod('e2e').matchAll(/^\s+(k8s\.io\/[\w-]+) => (\S+) (\S+)$/gm)) expect(`${m[1]} ${m[3]}`).toBe(`${m[2]} ${staging}`);
  expect(mod('etcd')).toContain(`go.etcd.io/etcd/server/v3 ${v.etcd}`);
  expect(mod('etcd')).toContain(`go.etcd.io/etcd/etcdctl/v3 ${v.etcd}`);
  expect(mod('kwok')).toContain(`sigs.k8s.io/kwok ${v.kwok}`);
  expect(mod('vegeta')).toContain(`github.com/tsenart/vegeta/v12 ${v.vegeta}`);
  expect(v.etcd).toMatch(/^v3\.6\./);
});
