// The HAPROOF_TARGET=dcos target file, the credentials file (never echoing a secret) and the service login token.
import { createVerify, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect } from '@playwright/test';
import { UsageError } from '../../config/options.ts';
import { parseCredentials, readCredentialsFile, serviceLoginToken } from '../../dcos/credentials.ts';
import { dcosTargetPath, parseDcosTarget, readDcosTarget } from '../../dcos/target-file.ts';

const dir = mkdtempSync(join(tmpdir(), 'haproof-dcos-target-'));
const file = (name: string, text: string): string => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

const GOOD = { url: 'https://dcos.example.com/', ca: 'dcos-ca.crt', credentials: 'creds.json', ssh: { user: 'root', keyPath: 'id_ed25519', knownHosts: 'known_hosts' } };

test('a target file: paths relative to its folder, ssh port 22, cluster name defaults to kubernetes-cluster', () => {
  expect(parseDcosTarget(GOOD, 'target file t.json', '/etc/haproof')).toEqual({
    url: 'https://dcos.example.com',
    tls: { caFile: '/etc/haproof/dcos-ca.crt' },
    credentialsFile: '/etc/haproof/creds.json',
    ssh: { user: 'root', keyPath: '/etc/haproof/id_ed25519', port: 22, knownHostsPath: '/etc/haproof/known_hosts', sudo: false },
    cluster: 'kubernetes-cluster',
  });
  // Host keys: a known_hosts file, or an explicit opt-out — never silently unchecked.
  const { knownHosts: _k, ...noKnown } = GOOD.ssh;
  expect(() => parseDcosTarget({ ...GOOD, ssh: noKnown }, 't', '/x')).toThrow('t: ssh.knownHosts: required (the agents\' host keys), or set ssh.insecureHostKeys: true');
  expect(parseDcosTarget({ ...GOOD, ssh: { ...noKnown, insecureHostKeys: true } }, 't', '/x').ssh.knownHostsPath).toBeUndefined();
  expect(() => parseDcosTarget({ ...GOOD, ssh: { ...GOOD.ssh, insecureHostKeys: true } }, 't', '/x')).toThrow(/ssh\.insecureHostKeys: give either ssh\.knownHosts or ssh\.insecureHostKeys: true, not both/);
  const t = parseDcosTarget({ ...GOOD, ca: undefined, insecure: true, ssh: { ...GOOD.ssh, port: 2222 }, service: { name: 'dev/kubernetes01' } }, 't', '/x');
  expect([t.tls, t.ssh.port, t.cluster]).toEqual([{ insecure: true }, 2222, 'dev/kubernetes01']);
});

test('target file errors name the field and the value', () => {
  const bad = (v: unknown) => () => parseDcosTarget(v, 'target file t.json', '/x');
  expect(bad({ ...GOOD, url: 'http://dcos.example.com' })).toThrow(/target file t\.json: url: must be an https:\/\/ URL.*got "http:\/\/dcos\.example\.com"/);
  expect(bad({ ...GOOD, ca: undefined })).toThrow(/ca: required \(a CA file to verify the cluster\), or set insecure: true/);
  expect(bad({ ...GOOD, insecure: true })).toThrow(/insecure: give either ca or insecure: true, not both/);
  expect(bad({ ...GOOD, ca: undefined, insecure: false })).toThrow(/insecure: may only be true.*got false/);
  expect(bad({ ...GOOD, ssh: { ...GOOD.ssh, port: 70000 } })).toThrow(/ssh\.port: .*got 70000/);
  expect(bad({ ...GOOD, ssh: { user: 'centos' } })).toThrow(/ssh\.keyPath/);
  expect(bad({ ...GOOD, service: { name: 'Kube_Cluster' } })).toThrow(/service\.name: must be lower-case DNS labels.*got "Kube_Cluster"/);
  expect(bad({ ...GOOD, cluster: 'x' })).toThrow(/Unrecognized key.*cluster/);
  expect(bad({ ...GOOD, url: 'https://admin:pw-secret@dcos.example.com' })).toThrow(/url: must not carry credentials/);
  expect(bad({ ...GOOD, url: 'https://admin:pw-secret@dcos.example.com' })).not.toThrow(/pw-secret/);
  expect(bad(GOOD)).not.toThrow();
  expect(bad({ ...GOOD, url: 'nope' })).toThrow(UsageError);
  expect(bad({ ...GOOD, kubernetes: { kubeconfig: 'k' } })).toThrow(/kubernetes\.caFile/);
  expect(bad({ ...GOOD, etcd: { etcdctl: '', caFile: 'a', certFile: 'b', keyFile: 'c' } })).toThrow(/etcd\.etcdctl/);
});

test('a target file for running the suites: kubeconfig and client cert here, etcdctl paths on the agents kept as given', () => {
  const t = parseDcosTarget({
    ...GOOD, ssh: { ...GOOD.ssh, knownHosts: 'known_hosts' },
    kubernetes: { kubeconfig: 'admin.kubeconfig', caFile: 'ca.crt', clientCert: 'admin.crt', clientKey: '/abs/admin.key' },
    etcd: { etcdctl: 'bin/etcdctl', caFile: '/ca.crt', certFile: '/c.crt', keyFile: '/c.key' },
  }, 't', '/etc/haproof');
  expect(t.ssh.knownHostsPath).toBe('/etc/haproof/known_hosts');
  expect(t.kubernetes).toEqual({ kubeconfig: '/etc/haproof/admin.kubeconfig', caFile: '/etc/haproof/ca.crt', clientCert: '/etc/haproof/admin.crt', clientKey: '/abs/admin.key' });
  expect(t.etcd?.etcdctl).toBe('bin/etcdctl');
  // Paths inside the etcd task unless the file says they are on the agents; anything else is named.
  expect(t.etcd?.in).toBe('task');
  const onAgent = parseDcosTarget({ ...GOOD, etcd: { etcdctl: '/opt/etcdctl', caFile: '/ca.crt', certFile: '/c.crt', keyFile: '/c.key', in: 'agent' } }, 't', '/etc/haproof');
  expect(onAgent.etcd?.in).toBe('agent');
  expect(() => parseDcosTarget({ ...GOOD, etcd: { etcdctl: '/opt/etcdctl', caFile: '/ca.crt', certFile: '/c.crt', keyFile: '/c.key', in: 'host' } }, 't', '/etc/haproof')).toThrow(/etcd\.in: must be "task" \(paths inside the etcd task\) or "agent"/);
});

test('readDcosTarget: unreadable files are named with their field', () => {
  file('dcos-ca.crt', 'pem');
  file('creds.json', '{"token":"x"}');
  file('known_hosts', '');
  // A real, unencrypted key (the SSH client's own parser decides what is usable).
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs1', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
  file('id_ed25519', privateKey);
  const target = file('target.json', JSON.stringify(GOOD));
  expect(readDcosTarget(target).credentialsFile).toBe(join(dir, 'creds.json'));
  file('not-a-key', 'key');
  const badKey = file('target4.json', JSON.stringify({ ...GOOD, ssh: { ...GOOD.ssh, keyPath: 'not-a-key' } }));
  expect(() => readDcosTarget(badKey)).toThrow(new RegExp(`target file ${badKey}: ssh\\.keyPath: "${join(dir, 'not-a-key')}" is not a usable unencrypted private key`));
  const missing = file('target2.json', JSON.stringify({ ...GOOD, credentials: 'nope.json' }));
  expect(() => readDcosTarget(missing)).toThrow(`target file ${missing}: credentials: cannot read "${join(dir, 'nope.json')}" (ENOENT)`);
  expect(() => readDcosTarget(file('target3.json', '{"url":'))).toThrow(/not valid JSON/);
  expect(() => readDcosTarget(join(dir, 'absent.json'))).toThrow(/cannot read the file \(ENOENT\)/);
  expect(dcosTargetPath({ HAPROOF_DCOS_TARGET: '/etc/t.json' })).toBe('/etc/t.json');
  expect(dcosTargetPath({})).toBe('dcos-target.json');
});

test('credentials: a bare token, uid/password, a service-account secret', () => {
  expect(parseCredentials('  eyJabc.def.ghi\n', 'c')).toEqual({ kind: 'token', token: 'eyJabc.def.ghi' });
  expect(parseCredentials('{"token":"t0k"}', 'c')).toEqual({ kind: 'token', token: 't0k' });
  expect(parseCredentials('{"uid":"bootstrapuser","password":"pw"}', 'c')).toEqual({ kind: 'password', uid: 'bootstrapuser', password: 'pw' });
  const sa = { login_endpoint: 'https://leader.mesos/acs/api/v1/auth/login', private_key: '-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----', scheme: 'RS256', uid: 'haproof' };
  expect(parseCredentials(JSON.stringify(sa), 'c')).toEqual({ kind: 'service-account', uid: 'haproof', privateKey: sa.private_key });
});

test('credentials errors name the file and keys but never a secret', () => {
  const secret = 'hunter2-very-secret';
  const cases = [
    `{"uid":"u","password":"${secret}","extra":1}`,
    `{"uid":"u","passwd":"${secret}"}`,
    `{"uid":"u","private_key":"${secret}"}`,
    `{"uid":"u","password":"${secret}",}`,
    `two words ${secret}`,
    '',
  ];
  for (const text of cases) {
    let message = '';
    try {
      parseCredentials(text, '/etc/haproof/creds.json');
    } catch (e) {
      expect(e).toBeInstanceOf(UsageError);
      message = (e as Error).message;
    }
    expect(message).toMatch(/^credentials file \/etc\/haproof\/creds\.json: /);
    expect(message).not.toContain(secret);
  }
  expect(() => parseCredentials(`{"uid":"u","private_key":"${secret}"}`, 'c')).toThrow(/private_key: must be a PEM private key/);
  expect(() => readCredentialsFile(join(dir, 'none.json'))).toThrow(/cannot read it \(ENOENT\)/);
});

test('service login token: an RS256 JWT with uid and a 5-minute exp, verifiable with the public key', () => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
  const jwt = serviceLoginToken('haproof', privateKey, 1_700_000_000);
  const [h, p, s] = jwt.split('.');
  expect(JSON.parse(Buffer.from(h!, 'base64url').toString())).toEqual({ alg: 'RS256', typ: 'JWT' });
  expect(JSON.parse(Buffer.from(p!, 'base64url').toString())).toEqual({ uid: 'haproof', exp: 1_700_000_300 });
  expect(createVerify('RSA-SHA256').update(`${h}.${p}`).verify(publicKey, Buffer.from(s!, 'base64url'))).toBe(true);
});

test('enterprise: serviceAccount and serviceAccountSecret, strict, errors naming the field', () => {
  const t = parseDcosTarget({ ...GOOD, enterprise: { serviceAccount: 'kubernetes-sa', serviceAccountSecret: 'kubernetes-sa/secret' } }, 't', '/x');
  expect(t.enterprise).toEqual({ serviceAccount: 'kubernetes-sa', serviceAccountSecret: 'kubernetes-sa/secret' });
  expect(parseDcosTarget(GOOD, 't', '/x').enterprise).toBeUndefined();
  const bad = (enterprise: unknown) => () => parseDcosTarget({ ...GOOD, enterprise }, 'target file t.json', '/x');
  expect(bad({ serviceAccount: 'kubernetes-sa' })).toThrow(/target file t\.json: enterprise\.serviceAccountSecret: required: the secret store path/);
  expect(bad({ serviceAccount: '', serviceAccountSecret: 's' })).toThrow(/enterprise\.serviceAccount: must not be empty/);
  expect(bad({ serviceAccount: 'a', serviceAccountSecret: 's', strict: true })).toThrow(/Unrecognized key.*strict/);
  expect(bad(true)).toThrow(/enterprise: /);
});

test('credentials: a service-account secret needs scheme RS256 (the only one DC/OS service login knows)', () => {
  const sa = { login_endpoint: 'https://master.mesos/acs/api/v1/auth/login', private_key: '-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----', uid: 'haproof' };
  expect(() => parseCredentials(JSON.stringify(sa), 'c')).toThrow(/credentials file c: .*scheme: must be "RS256"/);
  expect(() => parseCredentials(JSON.stringify({ ...sa, scheme: 'HS256' }), 'c')).toThrow(/scheme: must be "RS256"/);
  expect(() => parseCredentials(JSON.stringify({ ...sa, scheme: 'HS256' }), 'c')).not.toThrow(/abc/);
});

test('a non-root SSH user: ssh.sudo runs every host command through sudo -n (never prompting), quoted whole', async () => {
  const { asRoot } = await import('../../targets/dcos/ssh.ts');
  expect(parseDcosTarget({ ...GOOD, ssh: { ...GOOD.ssh, user: 'core', sudo: true } }, 't', '/x').ssh).toMatchObject({ user: 'core', sudo: true });
  expect(() => parseDcosTarget({ ...GOOD, ssh: { ...GOOD.ssh, sudo: 'yes' } }, 't', '/x')).toThrow(/ssh\.sudo: must be true or false/);
  expect(asRoot('nft -f - && echo ok', true)).toBe("sudo -n sh -c 'nft -f - && echo ok'");
  expect(asRoot("echo 'x'", true)).toBe(`sudo -n sh -c 'echo '\\''x'\\'''`);
  expect(asRoot('ps -eo pid', false)).toBe('ps -eo pid');
  expect(asRoot('ps -eo pid', undefined)).toBe('ps -eo pid');
});
