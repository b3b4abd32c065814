// Nodes: one Ready worker Node per agent (kube-node pods, kwok standing in for kubelets). A static-pod control plane's
// instances register Nodes of their own (static-pods.spec.ts covers them).
import { test, expect } from '../fixtures.ts';

test('every agent has exactly one Ready worker Node, and every Node is Ready', async ({ cluster }) => {
  const all = await cluster.nodes();
  for (const n of all) expect(n.ready, `${n.name} Ready`).toBe(true);
  const nodes = all.filter((n) => n.role === 'worker');
  const agents = await cluster.agentHosts();
  expect(nodes.map((n) => n.host).sort()).toEqual([...agents].sort());
});
