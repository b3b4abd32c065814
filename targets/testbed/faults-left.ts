// What is left of any fault on the testbed right now, read from the kernel, not from haproof's own records: a fault
// table in a host's namespace, a stopped process (state T in /proc), a frozen freezer group. For the dead-man benchmark
// and the heal test: after a runner died, this must become empty by itself.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { run } from '../../core/run.ts';
import { FAULT_TABLE } from '../fault-rules.ts';
import { netnsName } from '../../testbed/paths.ts';

const FREEZER = '/sys/fs/cgroup/freezer';

/** The process state letter and name from a /proc/<pid>/stat line (pure): `123 (etcd) T …` → ['T', 'etcd']. */
export function procStat(line: string): { state: string; comm: string } | undefined {
  const m = /^\d+ \((.*)\) (\S)/s.exec(line);
  return m ? { comm: m[1]!, state: m[2]! } : undefined;
}

export async function testbedFaultsLeft(hosts: readonly string[]): Promise<string[]> {
  const left: string[] = [];
  for (const h of hosts) if (!(await run('nft', ['list', 'table', 'inet', FAULT_TABLE], { netns: netnsName(h) })).failed) left.push(`${h}: fault table ${FAULT_TABLE}`);
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    let stat;
    try { stat = procStat(readFileSync(`/proc/${pid}/stat`, 'utf8')); } catch { continue; /* exited */ }
    if (stat?.state === 'T') left.push(`pid ${pid} (${stat.comm}): stopped`);
  }
  if (existsSync(FREEZER)) {
    for (const g of readdirSync(FREEZER).filter((d) => d.startsWith('haproof-'))) {
      const state = readFileSync(`${FREEZER}/${g}/freezer.state`, 'utf8').trim();
      if (state !== 'THAWED') left.push(`freezer group ${g}: ${state}`);
    }
  }
  return left;
}
