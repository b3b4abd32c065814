// The `value` each load operation records on its invoke and on its completion (checkers read exactly these fields).

/** One object of an ok list: its name, `metadata.resourceVersion` and `data.v`. */
export interface ListedItem {
  name: string;
  rv: string;
  data?: string;
}

export interface LoadOpValue {
  /** ConfigMap name (create, update, delete, get). */
  name?: string;
  /** A fresh TCP+TLS connection for this request, or one from the kept-alive pool. */
  conn?: 'new' | 'reused';
  /** HTTP status, when a response arrived (completion only). */
  status?: number;
  /** A GET retried once on a new connection after the server closed the kept-alive one (completion only). */
  retried?: boolean;
  /** Invoke of a scheduled arrival: when the open model scheduled it (ms, history clock); the op's `time` is the issue time. */
  scheduled?: number;
  /** Which target the request went through: 'vip', or the name given in the load's `via` option. */
  via: string;
  /** Update: the `metadata.resourceVersion` sent (CAS); delete: `preconditions.resourceVersion`. Absent: unconditional. */
  sentRv?: string;
  /** Ok create / update / get: the `metadata.resourceVersion` returned. */
  rv?: string;
  /** Invoke of create / update: the value written (`data.v`); ok get: the value read. */
  data?: string;
  /** Ok list: every item returned (one page of `limit=500`). */
  items?: ListedItem[];
  /** Ok list: the list's `metadata.resourceVersion`. */
  listRv?: string;
}
