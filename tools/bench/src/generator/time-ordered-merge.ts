/**
 * A k-way merge by time of many small event streams, without holding them.
 *
 * Every entity (a person, an NHI, a role…) is a stream: a short list of events sorted by time,
 * recomputable from its index alone. A family lists streams whose first events are in
 * non-decreasing time order by index, so streams can be opened lazily, when the merge reaches
 * their first event. There is one small cursor per open stream (in a heap, or in a calendar
 * bucket while its next event is beyond the current day). A cursor keeps its
 * stream's plan only while the stream's next event is near (the burst around a creation); across
 * a long gap it lets go, and the plan is recomputed when the stream's turn comes: memory follows
 * the number of streams in a burst, not the number open.
 */

export interface PlannedEvent<E> {
  readonly time: number;
  /** Builds the event; `ordinal` is its position in the stream (stable, for event ids). */
  build(ordinal: number): E;
}

export interface StreamFamily<E> {
  /** Breaks ties between families at the same millisecond: lower first. Unique per family. */
  readonly rank: number;
  readonly count: number;
  /** The time of stream `index`'s first event; non-decreasing in `index`. */
  startTime(index: number): number;
  /** Stream `index`'s events, sorted by time, the first at `startTime(index)`. Deterministic. */
  plan(index: number): readonly PlannedEvent<E>[];
}

export interface MergeOptions {
  /** A cursor keeps its plan when its next event is at most this far (ms) after the last one. */
  readonly keepPlanWithin?: number;
  /** The width (ms) of the calendar buckets where cursors wait for events beyond the horizon. */
  readonly bucketWidth?: number;
}

const DEFAULT_KEEP_PLAN_WITHIN = 6 * 3_600_000;
const DEFAULT_BUCKET_WIDTH = 24 * 3_600_000;
/** Stream indexes stay below this, so (rank, index) packs exactly into one double. */
const MAX_STREAMS = 2 ** 32;

interface Cursor<E> {
  time: number;
  /** The tie-break among equal times: rank, then index, packed. */
  readonly order: number;
  readonly family: StreamFamily<E>;
  readonly index: number;
  position: number;
  plan: readonly PlannedEvent<E>[] | null;
}

function before<E>(a: Cursor<E>, b: Cursor<E>): boolean {
  return a.time < b.time || (a.time === b.time && a.order < b.order);
}

/**
 * Where open cursors wait: a binary heap for those whose next event is at or before the horizon
 * bucket, and a calendar of buckets for the rest. Most streams wait months for their next event
 * (a rotation, a deletion); keeping them out of the heap keeps it small (one day's streams), so
 * a step costs a few comparisons instead of twenty cache misses.
 */
class CursorQueue<E> {
  readonly heap: Cursor<E>[] = [];
  private readonly buckets = new Map<number, Cursor<E>[]>();
  private horizon = Number.NEGATIVE_INFINITY;

  constructor(private readonly bucketWidth: number) {}

  get waiting(): number {
    return this.buckets.size;
  }

  add(cursor: Cursor<E>): void {
    const bucket = Math.floor(cursor.time / this.bucketWidth);
    if (bucket <= this.horizon) {
      heapPush(this.heap, cursor);
      return;
    }
    const list = this.buckets.get(bucket);
    if (list) list.push(cursor);
    else this.buckets.set(bucket, [cursor]);
  }

  /** The top cursor moved on (its time grew): back into place, in the heap or a bucket. */
  reschedule(): void {
    const top = this.heap[0]!;
    if (Math.floor(top.time / this.bucketWidth) <= this.horizon) {
      siftDown(this.heap, 0);
      return;
    }
    this.removeTop();
    this.add(top);
  }

  removeTop(): void {
    const last = this.heap.pop()!;
    if (this.heap.length > 0) {
      this.heap[0] = last;
      siftDown(this.heap, 0);
    }
  }

  /**
   * Moves into the heap every cursor due up to `time` (or, without a time, up to the first
   * non-empty bucket). Afterwards the heap's top is the earliest cursor at or before `time`.
   */
  advanceTo(time: number | null): void {
    let target: number;
    if (time === null) {
      if (this.buckets.size === 0) return;
      target = Math.min(...this.buckets.keys());
    } else {
      target = Math.floor(time / this.bucketWidth);
    }
    if (target <= this.horizon) return;
    if (target - this.horizon <= this.buckets.size) {
      for (let bucket = this.horizon + 1; bucket <= target; bucket++) this.flush(bucket);
    } else {
      for (const bucket of [...this.buckets.keys()]) if (bucket <= target) this.flush(bucket);
    }
    this.horizon = target;
  }

  private flush(bucket: number): void {
    const list = this.buckets.get(bucket);
    if (!list) return;
    this.buckets.delete(bucket);
    for (const cursor of list) heapPush(this.heap, cursor);
  }
}

/** Events of every family, in (time, family rank, stream index, position) order. */
export function* mergeByTime<E>(families: readonly StreamFamily<E>[], options: MergeOptions = {}): Generator<E> {
  const keepPlanWithin = options.keepPlanWithin ?? DEFAULT_KEEP_PLAN_WITHIN;
  const bucketWidth = options.bucketWidth ?? DEFAULT_BUCKET_WIDTH;
  if (!(bucketWidth > 0)) throw new RangeError('mergeByTime: bucketWidth must be positive');
  const ranks = new Set(families.map((family) => family.rank));
  if (ranks.size !== families.length) throw new Error('mergeByTime: family ranks must be unique');
  if (families.some((family) => !Number.isInteger(family.rank) || family.rank < 0 || family.rank > 1e6)) {
    throw new Error('mergeByTime: family ranks must be integers from 0 to 1e6');
  }

  // The next stream each family will open, as a cursor at its start time.
  const pending: (Cursor<E> | null)[] = families.map((family) => opening(family, 0, null));
  const queue = new CursorQueue<E>(bucketWidth);
  const { heap } = queue;

  for (;;) {
    let next: Cursor<E> | null = null;
    let nextFamily = -1;
    for (let f = 0; f < pending.length; f++) {
      const candidate = pending[f]!;
      if (candidate && (next === null || before(candidate, next))) {
        next = candidate;
        nextFamily = f;
      }
    }
    // Bring in every waiting cursor due before the earliest event known so far.
    const known = Math.min(next?.time ?? Number.POSITIVE_INFINITY, heap[0]?.time ?? Number.POSITIVE_INFINITY);
    queue.advanceTo(known === Number.POSITIVE_INFINITY ? null : known);

    const top = heap[0];
    if (next && (!top || before(next, top))) {
      // The earliest event belongs to a stream not opened yet: open it.
      pending[nextFamily] = opening(next.family, next.index + 1, next.time);
      queue.add(next);
      continue;
    }
    if (!top) {
      // Nothing left to open and the heap is empty: every bucket must have been brought in.
      if (queue.waiting > 0) throw new Error('mergeByTime: cursors left waiting beyond the horizon');
      return;
    }

    const plan = top.plan ?? checkedPlan(top.family, top.index);
    const event = plan[top.position]!;
    top.position++;
    if (top.position < plan.length) {
      const nextTime = plan[top.position]!.time;
      top.plan = nextTime - event.time <= keepPlanWithin ? plan : null;
      top.time = nextTime;
      queue.reschedule();
    } else {
      queue.removeTop();
    }
    yield event.build(top.position - 1);
  }
}

function opening<E>(family: StreamFamily<E>, index: number, previousStart: number | null): Cursor<E> | null {
  if (index >= family.count) return null;
  if (index >= MAX_STREAMS) throw new RangeError(`mergeByTime: family ${family.rank} has too many streams`);
  const time = family.startTime(index);
  if (previousStart !== null && time < previousStart) {
    throw new Error(`mergeByTime: family ${family.rank} starts stream ${index} before stream ${index - 1}`);
  }
  return { time, order: family.rank * MAX_STREAMS + index, family, index, position: 0, plan: null };
}

/** A family's plan, checked against the contract the merge relies on (a broken one is a bug). */
function checkedPlan<E>(family: StreamFamily<E>, index: number): readonly PlannedEvent<E>[] {
  const plan = family.plan(index);
  if (plan.length === 0 || plan[0]!.time !== family.startTime(index)) {
    throw new Error(`mergeByTime: stream ${index} of family ${family.rank} does not start at its start time`);
  }
  for (let i = 1; i < plan.length; i++) {
    if (plan[i]!.time < plan[i - 1]!.time)
      throw new Error(`mergeByTime: stream ${index} of family ${family.rank} is not sorted`);
  }
  return plan;
}

function heapPush<E>(heap: Cursor<E>[], cursor: Cursor<E>): void {
  heap.push(cursor);
  let i = heap.length - 1;
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if (!before(heap[i]!, heap[parent]!)) break;
    [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
    i = parent;
  }
}

function siftDown<E>(heap: Cursor<E>[], start: number): void {
  let i = start;
  for (;;) {
    const left = 2 * i + 1;
    const right = left + 1;
    let smallest = i;
    if (left < heap.length && before(heap[left]!, heap[smallest]!)) smallest = left;
    if (right < heap.length && before(heap[right]!, heap[smallest]!)) smallest = right;
    if (smallest === i) return;
    [heap[i], heap[smallest]] = [heap[smallest]!, heap[i]!];
    i = smallest;
  }
}

/** Sort a stream's events by time, keeping the order they were planned in among equal times. */
export function sortPlan<E>(plan: PlannedEvent<E>[]): PlannedEvent<E>[] {
  // Array.prototype.sort is stable (ES2019), which is what keeps planning order among equals.
  return plan.sort((a, b) => a.time - b.time);
}
