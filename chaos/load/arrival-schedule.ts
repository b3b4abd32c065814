// The open model's schedule (pure, explicit time): stream k's n-th arrival is due at t0 + n·interval, whatever the
// responses do; every arrival is handed out exactly once, in scheduled order, however late the caller asks.
import { seededRandom } from '../../core/random.ts';
import { MAX_REQUESTS, type ArrivalKind, type LoadMix } from './load-config.ts';

export interface Stream {
  kind: ArrivalKind;
  /** The stream's number in process ids (`<process>-<n>`): the load's processBase + its position among non-zero rates. */
  process: number;
  interval: number;
  /** This stream's own random source (key choice), so other streams' timing cannot change its draws. */
  random: () => number;
  /** 0-based index of the stream's next arrival. */
  next: number;
}

export interface Arrival {
  kind: ArrivalKind;
  stream: Stream;
  /** `<process>-<n>` with n counted from 1: the history process of the arrival's op. */
  id: string;
  /** ms on the history clock. */
  scheduled: number;
}

const roundUs = (ms: number): number => Math.round(ms * 1000) / 1000;

/** One random source per stream, derived from the load's seed and the stream's process number. */
export const streamRandom = (seed: number, process: number): (() => number) => seededRandom((seed + Math.imul(process + 1, 0x9e3779b9)) >>> 0);

export class ArrivalSchedule {
  readonly streams: Stream[];
  private handedOut = 0;

  /** Arrivals at t0 + n·interval for t0 ≤ time < end, at most `maxArrivals` in all. */
  constructor(mix: LoadMix, processBase: number, seed: number, readonly t0: number, readonly end: number, readonly maxArrivals = MAX_REQUESTS) {
    this.streams = (Object.entries(mix) as Array<[ArrivalKind, number]>)
      .filter(([, rate]) => rate > 0)
      .map(([kind, rate], i) => ({ kind, process: processBase + i, interval: 1000 / rate, random: streamRandom(seed, processBase + i), next: 0 }));
  }

  /** Arrivals handed out so far. */
  get scheduled(): number {
    return this.handedOut;
  }

  private at(s: Stream): number {
    return roundUs(this.t0 + s.next * s.interval);
  }

  /** The stream whose next arrival comes first (the earlier stream on a tie), if the schedule is not over. */
  private first(): Stream | undefined {
    if (this.handedOut >= this.maxArrivals) return undefined;
    let best: Stream | undefined;
    for (const s of this.streams) if (this.at(s) < this.end && (!best || this.at(s) < this.at(best))) best = s;
    return best;
  }

  /** When the next arrival is due; undefined once the schedule is over. */
  nextAt(): number | undefined {
    const s = this.first();
    return s && this.at(s);
  }

  /** Every arrival due at or before `now` and not handed out yet, in scheduled order. */
  due(now: number): Arrival[] {
    const out: Arrival[] = [];
    for (let s = this.first(); s && this.at(s) <= now; s = this.first()) {
      out.push({ kind: s.kind, stream: s, id: `${s.process}-${s.next + 1}`, scheduled: this.at(s) });
      s.next++;
      this.handedOut++;
    }
    return out;
  }
}
