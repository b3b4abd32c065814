// Turns a planned op into its HTTP request (pure): paths under the namespace's ConfigMaps, CAS bodies, DeleteOptions.
import type { OpPlan } from './key-pool.ts';
import type { HttpRequest } from './send-request.ts';

export const LIST_LIMIT = 500;

export const configMapsPath = (namespace: string): string => `/api/v1/namespaces/${encodeURIComponent(namespace)}/configmaps`;

export function toRequest(plan: OpPlan, namespace: string): HttpRequest {
  const base = configMapsPath(namespace);
  const one = `${base}/${encodeURIComponent(plan.name ?? '')}`;
  const configMap = (withRv: boolean) => ({
    apiVersion: 'v1', kind: 'ConfigMap',
    metadata: { name: plan.name, ...(withRv && plan.sentRv !== undefined ? { resourceVersion: plan.sentRv } : {}) },
    data: { v: plan.data ?? '' },
  });
  switch (plan.f) {
    case 'readyz': return { method: 'GET', path: '/readyz' };
    // Consistent reads (no resourceVersion parameter, never resourceVersion=0): the answer must be the latest state.
    case 'list': return { method: 'GET', path: `${base}?limit=${LIST_LIMIT}`, wantBody: true };
    case 'get': return { method: 'GET', path: one, wantBody: true };
    case 'create': return { method: 'POST', path: base, body: configMap(false), wantBody: true };
    case 'update': return { method: 'PUT', path: one, body: configMap(true), wantBody: true };
    case 'delete':
      return plan.sentRv === undefined
        ? { method: 'DELETE', path: one }
        : { method: 'DELETE', path: one, body: { apiVersion: 'v1', kind: 'DeleteOptions', preconditions: { resourceVersion: plan.sentRv } } };
  }
}
