// Every fault, registered in one list; scenarios name them, suites never switch on fault names.
import { crashAgent } from './crash-agent.ts';
import type { Fault } from './fault.ts';
import { freezeAgent } from './freeze-agent.ts';
import { killProcess } from './kill-process.ts';
import { partition } from './partition.ts';
import { pauseProcess } from './pause-process.ts';
import { replaceEtcdMember } from './replace-etcd-member.ts';
import { rollingRestartApiservers } from './rolling-restart.ts';

export const FAULTS = {
  'kill-process': killProcess,
  'pause-process': pauseProcess,
  'freeze-agent': freezeAgent,
  'crash-agent': crashAgent,
  partition,
  'replace-etcd-member': replaceEtcdMember,
  'rolling-restart-apiservers': rollingRestartApiservers,
} as const satisfies Record<string, Fault<never>>;

export type FaultName = keyof typeof FAULTS;
