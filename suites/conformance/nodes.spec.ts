// Nodes: one Ready Node per agent (kube-node pods, kwok standing in for kubelets).
import { test, expect } from '../fixtures.ts';

test('every agent has exactly one Ready Node', async ({ cluster }) => {
  const nodes = await cluster.nodes();
  const agents = await cluster.agentHosts();
  expect(nodes.map((n) => n.host).sort()).toEqual([...agents].sort());
  for (const n of nodes) expect(n.ready, `${n.name} Ready`).toBe(true);
});
