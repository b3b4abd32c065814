#!/usr/bin/env node
// Installs what `npm start` / `npm test` need on a fresh Debian 12 machine, skipping what is already there:
// npm dependencies, Debian packages, and the pinned upstream binaries (built once into ~/.cache/haproof).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// openssh-server: the agents' sshd on the testbed (the dcos target reaches agents by SSH); haproof runs its own sshd
// per agent namespace and never starts or configures the system's ssh service.
const APT_PACKAGES = ['iproute2', 'nftables', 'dnsmasq-base', 'openssl', 'conntrack', 'procps', 'chromium', 'openssh-client', 'openssh-server'];

function say(line) {
  console.log(`[bootstrap] ${line}`);
}

function sh(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', ...opts });
  if (r.status !== 0) {
    console.error(`[bootstrap] failed: ${cmd} ${args.join(' ')} (exit ${r.status ?? r.signal})`);
    process.exit(1);
  }
}

// 1. npm dependencies, when missing or older than the lockfile.
const lock = join(root, 'package-lock.json');
const installed = join(root, 'node_modules', '.package-lock.json');
if (!existsSync(installed) || statSync(installed).mtimeMs < statSync(lock).mtimeMs) {
  say('installing npm dependencies (npm ci)');
  sh('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root });
} else say('npm dependencies: present');

// 2. Debian packages.
// Java for `allure generate` (allure-commandline): Debian's headless JRE, unless a java is already there.
const hasJava = spawnSync('sh', ['-c', 'command -v java'], { stdio: 'ignore' }).status === 0;
const missing = [...APT_PACKAGES, ...(hasJava ? [] : ['default-jre-headless'])].filter((p) => {
  const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', p], { encoding: 'utf8' });
  return !(r.stdout ?? '').includes('install ok installed');
});
if (missing.length) {
  if (process.getuid?.() !== 0) {
    console.error(`[bootstrap] missing Debian packages ${missing.join(' ')}; run as root (haproof creates namespaces, so it needs root anyway)`);
    process.exit(1);
  }
  say(`installing Debian packages: ${missing.join(' ')}`);
  sh('apt-get', ['update', '-qq']);
  sh('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
} else say('Debian packages: present');

// 3. Go, then the pinned upstream binaries.
try {
  execFileSync('go', ['version'], { stdio: 'ignore' });
} catch {
  console.error('[bootstrap] Go is not installed; haproof builds its pinned upstream binaries with the machine\'s Go (see README)');
  process.exit(1);
}
const versions = JSON.parse(readFileSync(join(root, 'upstream', 'versions.json'), 'utf8'));
say(`pinned binaries: kubernetes ${versions.kubernetes}, etcd ${versions.etcd}, kwok ${versions.kwok}, vegeta ${versions.vegeta}`);
// `--e2e` (npm test, npm start): also the upstream e2e suite, which the upstream-before / upstream-chaos projects run.
const withE2e = process.argv.includes('--e2e');
sh(process.execPath, [join(root, 'bin', 'haproof.mjs'), 'build', ...(withE2e ? ['--e2e'] : [])], { cwd: root });
