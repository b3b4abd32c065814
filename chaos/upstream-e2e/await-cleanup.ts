// After an upstream e2e set: wait until the suite's own namespaces are gone. The e2e framework deletes each spec's
// namespace without waiting for it (k8s.io/kubernetes v1.37.2 test/e2e/framework/framework.go, AfterEach: Delete, no
// WaitForNamespacesDeleted), so when the last spec returns, the namespace controller is still deleting the contents of
// the namespaces of the last specs through the API. A scenario's baseline is meant to be the cluster at rest, so the
// phase ends when its cleanup has. (Written for a CI run whose first scenario after the before phase issued 1.00 % of
// its arrivals > 100 ms late; measured since, in session 10's CI simulation: 1 namespace left, gone in 6.1 s — not
// what caused that lateness, which is still unexplained.)
import type { Cluster } from '../../targets/cluster.ts';
import { withTimeout } from '../../core/with-timeout.ts';

/** The label the e2e framework puts on every namespace it creates (test/e2e/framework/util.go: `e2e-run` = RunID). */
export const E2E_NAMESPACE_LABEL = 'e2e-run';
export const CLEANUP_TIMEOUT_MS = 5 * 60_000;

export interface CleanupFigures {
  /** e2e namespaces still there when the set ended. */
  namespacesAtEnd: number;
  /** How long until none was left (or the timeout passed). */
  waitedMs: number;
  /** Namespaces still there when the wait gave up (0 when the cleanup finished). */
  namespacesLeft: number;
}

export async function awaitE2eCleanup(cluster: Cluster, log: (line: string) => void, timeoutMs = CLEANUP_TIMEOUT_MS): Promise<CleanupFigures> {
  const started = Date.now();
  const count = async (): Promise<number | undefined> => {
    try {
      const list = await withTimeout(cluster.kube().core.listNamespace({ labelSelector: E2E_NAMESPACE_LABEL }), 10_000, 'list e2e namespaces');
      return list.items.length;
    } catch {
      return undefined;
    }
  };
  const atEnd = await count();
  let left = atEnd;
  let lastSaid = started;
  while (left !== 0 && Date.now() - started < timeoutMs) {
    await new Promise((r) => setTimeout(r, 2_000));
    left = await count();
    if (Date.now() - lastSaid >= 15_000) {
      lastSaid = Date.now();
      log(`  waiting for the e2e suite's namespaces to be deleted: ${left ?? 'unreadable'} left, ${Math.round((Date.now() - started) / 1000)} s`);
    }
  }
  const figures = { namespacesAtEnd: atEnd ?? -1, waitedMs: Date.now() - started, namespacesLeft: left ?? -1 };
  log(left === 0
    ? `upstream e2e cleanup: ${figures.namespacesAtEnd} namespaces of the suite were still being deleted when it ended; gone after ${(figures.waitedMs / 1000).toFixed(1)} s`
    : `upstream e2e cleanup: ${left ?? 'an unreadable number of'} namespaces of the suite still there after ${(figures.waitedMs / 1000).toFixed(0)} s; going on`);
  return figures;
}
