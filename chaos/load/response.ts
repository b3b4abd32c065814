// Reads the parts of apiserver answers the load records (ConfigMap, list, watch event), once, at the boundary.
import { z } from 'zod';
import type { ListedItem } from './load-value.ts';

const configMapSchema = z.object({
  metadata: z.object({ name: z.string().optional(), resourceVersion: z.string().optional() }).optional(),
  data: z.record(z.string(), z.string()).nullish(),
});
const listSchema = z.object({
  metadata: z.object({ resourceVersion: z.string().optional() }).optional(),
  items: z.array(configMapSchema).nullish(),
});
const statusSchema = z.object({ code: z.number().optional(), reason: z.string().optional(), message: z.string().optional() });
const watchEventSchema = z.object({ type: z.string(), object: z.unknown() });

export interface ObjectSeen {
  name?: string;
  rv?: string;
  /** `data.v` */
  data?: string;
}

const toSeen = (o: z.infer<typeof configMapSchema>): ObjectSeen => ({
  ...(o.metadata?.name !== undefined ? { name: o.metadata.name } : {}),
  ...(o.metadata?.resourceVersion !== undefined ? { rv: o.metadata.resourceVersion } : {}),
  ...(o.data?.['v'] !== undefined ? { data: o.data['v'] } : {}),
});

function json(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try { return JSON.parse(text); } catch { return undefined; }
}

/** A ConfigMap's name, resourceVersion and `data.v`; empty when the body is not one. */
export function toObjectSeen(body: string | undefined): ObjectSeen {
  const parsed = configMapSchema.safeParse(json(body));
  return parsed.success ? toSeen(parsed.data) : {};
}

/** Every item of a ConfigMap list and the list's resourceVersion; undefined when the body is not a list. */
export function toListSeen(body: string | undefined): { items: ListedItem[]; listRv?: string } | undefined {
  const parsed = listSchema.safeParse(json(body));
  if (!parsed.success) return undefined;
  const items = (parsed.data.items ?? []).map(toSeen).filter((i): i is ListedItem => i.name !== undefined && i.rv !== undefined);
  return { items, ...(parsed.data.metadata?.resourceVersion !== undefined ? { listRv: parsed.data.metadata.resourceVersion } : {}) };
}

export type WatchEventSeen =
  | { kind: 'object'; type: string; object: ObjectSeen }
  | { kind: 'bookmark'; rv?: string }
  | { kind: 'error'; code?: number; message: string }
  | { kind: 'garbage'; line: string };

/** One line of a watch stream. */
export function toWatchEvent(line: string): WatchEventSeen {
  const event = watchEventSchema.safeParse(json(line));
  if (!event.success) return { kind: 'garbage', line: line.slice(0, 200) };
  const { type, object } = event.data;
  if (type === 'ERROR') {
    const status = statusSchema.safeParse(object);
    const s = status.success ? status.data : {};
    return { kind: 'error', ...(s.code !== undefined ? { code: s.code } : {}), message: `${s.code ?? '?'} ${s.reason ?? ''} ${s.message ?? ''}`.trim() };
  }
  const cm = configMapSchema.safeParse(object);
  const seen = cm.success ? toSeen(cm.data) : {};
  if (type === 'BOOKMARK') return { kind: 'bookmark', ...(seen.rv !== undefined ? { rv: seen.rv } : {}) };
  return { kind: 'object', type, object: seen };
}
