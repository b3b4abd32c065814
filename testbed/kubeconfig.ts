// Renders kubeconfig files (pure). JSON is valid YAML, so no YAML library is needed.

export interface KubeconfigInput {
  server: string;
  /** TLS server name when `server` is an IP (the VIP IP with the VIP name). */
  tlsServerName?: string;
  caFile: string;
  certFile?: string;
  keyFile?: string;
  /** A bearer token instead of a client certificate. */
  token?: string;
  user: string;
}

export function renderKubeconfig(k: KubeconfigInput): string {
  const cluster: Record<string, string> = { server: k.server, 'certificate-authority': k.caFile };
  if (k.tlsServerName) cluster['tls-server-name'] = k.tlsServerName;
  return JSON.stringify(
    {
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'haproof', cluster }],
      users: [{ name: k.user, user: k.token !== undefined ? { token: k.token } : { 'client-certificate': k.certFile, 'client-key': k.keyFile } }],
      contexts: [{ name: 'haproof', context: { cluster: 'haproof', user: k.user } }],
      'current-context': 'haproof',
    },
    null,
    2,
  ) + '\n';
}
