// The kubernetes-cluster package options subset → layout: HA gives 3 etcd + 3 control planes, 5_etcd_nodes 5 etcd;
// placement strings parsed; errors name the key and the value.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect } from '@playwright/test';
import { UsageError } from '../../config/options.ts';
import { parsePackageOptions, readPackageOptions } from '../../dcos/package-options.ts';
import { deployOptions } from '../../dcos/deploy.ts';
import { parseDcosTarget } from '../../dcos/target-file.ts';

test('defaults: kubernetes-cluster, one etcd and one control plane, one private node, hostname:UNIQUE', () => {
  expect(parsePackageOptions({})).toEqual({
    serviceName: 'kubernetes-cluster', highAvailability: false, etcdNodes: 1, controlPlanes: 1, privateNodes: 1,
    controlPlanePlacement: [['hostname', 'UNIQUE']], etcdPlacement: [['hostname', 'UNIQUE']],
  });
});

test('HA gives 3 etcd + 3 control planes; with 5_etcd_nodes 5 etcd', () => {
  expect(parsePackageOptions({ kubernetes: { high_availability: true, private_node_count: 4 } })).toMatchObject({ highAvailability: true, etcdNodes: 3, controlPlanes: 3, privateNodes: 4 });
  expect(parsePackageOptions({ kubernetes: { high_availability: true }, etcd: { '5_etcd_nodes': true } })).toMatchObject({ etcdNodes: 5, controlPlanes: 3 });
});

test('placement: etcd "" falls back to the control-plane rules; other keys of a real options file are accepted', () => {
  const o = parsePackageOptions({
    service: { name: 'dev/kubernetes01', service_account: 'kubernetes' },
    kubernetes: { high_availability: true, control_plane_placement: '[["hostname","UNIQUE"],["@zone","GROUP_BY","3"]]', service_cidr: '10.100.0.0/16' },
    etcd: { placement: '', cpus: 0.5 },
    calico: { calico_ipv4pool_cidr: '192.168.0.0/16' },
  });
  expect(o.serviceName).toBe('dev/kubernetes01');
  expect(o.etcdPlacement).toEqual([['hostname', 'UNIQUE'], ['@zone', 'GROUP_BY', '3']]);
  expect(parsePackageOptions({ etcd: { placement: '[["hostname","MAX_PER","1"]]' } }).etcdPlacement).toEqual([['hostname', 'MAX_PER', '1']]);
});

test('errors name the key and the value', () => {
  const bad = (v: unknown) => () => parsePackageOptions(v, 'options.json');
  expect(bad({ kubernetes: { high_availability: 'yes' } })).toThrow(/options\.json: kubernetes\.high_availability: .*got "yes"/);
  expect(bad({ etcd: { '5_etcd_nodes': true } })).toThrow(/etcd\.5_etcd_nodes: needs kubernetes\.high_availability true/);
  expect(bad({ kubernetes: { control_plane_placement: 'hostname:UNIQUE' } })).toThrow(/kubernetes\.control_plane_placement: is not valid JSON.*got "hostname:UNIQUE"/);
  expect(bad({ kubernetes: { control_plane_placement: [['hostname', 'UNIQUE']] } })).toThrow(/kubernetes\.control_plane_placement: must be a JSON string of Marathon constraints/);
  expect(bad({ etcd: { placement: '[["hostname","SOMETIMES"]]' } })).toThrow(/etcd\.placement: must be a list of \[field, operator\(, value\)\].*got "\[\[\\"hostname\\",\\"SOMETIMES\\"\]\]"/);
  expect(bad({ kubernetes: { private_node_count: 2.5 } })).toThrow(/kubernetes\.private_node_count: must be a whole number.*got 2\.5/);
  expect(bad({ service: { name: 'a-very-long-kubernetes-cluster-name' } })).toThrow(/service\.name: must be at most 24 characters/);
  expect(bad({ service: { name: 'Bad_Name' } })).toThrow(UsageError);
});

test('readPackageOptions: unreadable and malformed files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'haproof-pkgopts-'));
  const p = join(dir, 'options.json');
  writeFileSync(p, '{"kubernetes": {"high_availability": true}}');
  expect(readPackageOptions(p).controlPlanes).toBe(3);
  writeFileSync(p, '{"kubernetes":');
  expect(() => readPackageOptions(p)).toThrow(/not valid JSON/);
  expect(() => readPackageOptions(join(dir, 'none.json'))).toThrow(/cannot read the file \(ENOENT\)/);
});

test('dcos-deploy options: HA by default under the target\'s service name; non-HA or another service name refused', () => {
  const target = parseDcosTarget({ url: 'https://dcos.example.com', insecure: true, credentials: 'c.json', ssh: { user: 'root', keyPath: 'k', insecureHostKeys: true }, service: { name: 'dev/kube01' } }, 't', '/x');
  expect(deployOptions(target, undefined)).toEqual({
    options: { service: { name: 'dev/kube01' }, kubernetes: { high_availability: true } },
    layout: expect.objectContaining({ serviceName: 'dev/kube01', highAvailability: true, etcdNodes: 3, controlPlanes: 3 }),
  });
  const dir = mkdtempSync(join(tmpdir(), 'haproof-deploy-'));
  const file = (o: unknown) => { const f = join(dir, `${Math.random()}.json`); writeFileSync(f, JSON.stringify(o)); return f; };
  expect(() => deployOptions(target, file({ service: { name: 'dev/kube01' } }))).toThrow(/kubernetes\.high_availability: must be true .*got false/);
  expect(() => deployOptions(target, file({ service: { name: 'other' }, kubernetes: { high_availability: true } }))).toThrow(/service\.name: must match the target file's service\.name "dev\/kube01", got "other"/);
  expect(() => deployOptions(target, file({ kubernetes: { high_availability: 'yes' } }))).toThrow(UsageError);
  expect(deployOptions(target, file({ service: { name: 'dev/kube01' }, kubernetes: { high_availability: true }, etcd: { '5_etcd_nodes': true } })).layout.etcdNodes).toBe(5);
});

test('service.service_account and service.service_account_secret: read when given, "" is none, non-strings named', () => {
  expect(parsePackageOptions({ service: { service_account: 'kubernetes-sa', service_account_secret: 'kubernetes-sa/secret' } })).toMatchObject({ serviceAccount: 'kubernetes-sa', serviceAccountSecret: 'kubernetes-sa/secret' });
  expect(parsePackageOptions({ service: { service_account: '', service_account_secret: '' } })).toMatchObject({ serviceAccount: undefined, serviceAccountSecret: undefined });
  expect(() => parsePackageOptions({ service: { service_account: 7 } }, 'options.json')).toThrow(/options\.json: service\.service_account: must be a string/);
  expect(() => parsePackageOptions({ service: { service_account_secret: false } }, 'options.json')).toThrow(/service\.service_account_secret: must be a string/);
});

test('dcos-deploy options on Enterprise: the target\'s service account is put in; a different one in the file is refused', () => {
  const enterprise = { serviceAccount: 'kubernetes-sa', serviceAccountSecret: 'kubernetes-sa/secret' };
  const target = parseDcosTarget({ url: 'https://dcos.example.com', insecure: true, credentials: 'c.json', ssh: { user: 'root', keyPath: 'k', insecureHostKeys: true }, enterprise }, 't', '/x');
  const { options, layout } = deployOptions(target, undefined);
  expect(options).toEqual({ service: { name: 'kubernetes-cluster', service_account: 'kubernetes-sa', service_account_secret: 'kubernetes-sa/secret' }, kubernetes: { high_availability: true } });
  expect([layout.serviceAccount, layout.serviceAccountSecret]).toEqual(['kubernetes-sa', 'kubernetes-sa/secret']);
  const dir = mkdtempSync(join(tmpdir(), 'haproof-deploy-ee-'));
  const file = (o: unknown) => { const f = join(dir, `${Math.random()}.json`); writeFileSync(f, JSON.stringify(o)); return f; };
  // The same account in the file is fine; the file's other keys stay.
  const same = deployOptions(target, file({ service: { name: 'kubernetes-cluster', service_account: 'kubernetes-sa' }, kubernetes: { high_availability: true, private_node_count: 4 } }));
  expect(same.options).toMatchObject({ service: { service_account_secret: 'kubernetes-sa/secret' }, kubernetes: { private_node_count: 4 } });
  expect(() => deployOptions(target, file({ service: { name: 'kubernetes-cluster', service_account: 'other' }, kubernetes: { high_availability: true } })))
    .toThrow(/service\.service_account: must match the target file's enterprise\.serviceAccount "kubernetes-sa", got "other"/);
  // Without `enterprise` nothing is added.
  const open = parseDcosTarget({ url: 'https://dcos.example.com', insecure: true, credentials: 'c.json', ssh: { user: 'root', keyPath: 'k', insecureHostKeys: true } }, 't', '/x');
  expect(deployOptions(open, undefined).options).toEqual({ service: { name: 'kubernetes-cluster' }, kubernetes: { high_availability: true } });
});
