// The operator mistakes behind the planted safety defects (`up --defect split-store | stale-restore`), done the way an
// operator does them: etcdctl snapshot save and etcdutl snapshot restore on the real members. The testbed stands for
// the operator (and the SDK's recovery task) here; what the HA control plane then does with the result is its own.
import { existsSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { etcdMemberName, etcdPeerName } from '../config/naming.ts';
import { runOrThrow } from '../core/run.ts';
import type { Binaries } from '../upstream/versions.ts';
import type { TestbedPaths } from './paths.ts';

/** Where the stale-restore defect's backup task keeps its latest snapshot. */
export const backupFile = (paths: TestbedPaths): string => join(paths.work, 'etcd-backup', 'backup.db');

/** The snapshot taken before the newest one (the backup task keeps two; the restore uses this one). */
export const previousBackup = (newest: string): string => `${newest}.prev`;

/** Seconds between two backups of the stale-restore defect's backup task. */
export const BACKUP_INTERVAL_S = 2;

/** Restores one member's data dir from a snapshot as a member of `initialCluster` (etcdutl snapshot restore). */
export async function restoreMemberData(b: Binaries, snapshot: string, dataDir: string, cluster: string, index: number, initialCluster: string, token: string): Promise<void> {
  if (!existsSync(snapshot)) throw new Error(`no etcd snapshot at ${snapshot}`);
  await rm(dataDir, { recursive: true, force: true });
  await mkdir(join(dataDir, '..'), { recursive: true });
  // No --bump-revision / --mark-compacted: the revision goes back to the snapshot's (the mistake etcd's Kubernetes
  // restore guide warns about — apiservers keep caches and resourceVersions from after it).
  await runOrThrow(b.etcdutl, [
    'snapshot', 'restore', snapshot, `--name=${etcdMemberName(index)}`, `--initial-cluster=${initialCluster}`, `--initial-cluster-token=${token}`,
    `--initial-advertise-peer-urls=https://${etcdPeerName(cluster, index)}:2380`, `--data-dir=${dataDir}`,
  ], { timeoutMs: 60_000 });
}
