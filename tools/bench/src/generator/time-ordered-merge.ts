/**
 * A k-way merge by time of many small event streams, without holding them.
 *
 * Every entity (a person, an NHI, a role…) is a stream: a short list of events sorted by time,
 * recomputable from its index alone. A family lists streams whose first events are in
 * non-decreasing time order by index, so streams can be opened lazily, when the merge reaches
 * their first event. The heap holds one small cursor per open stream. A cursor keeps its
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
}

const DEFAULT_KEEP_PLAN_WITHIN = 6 * 3_600_000;
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

/** Events of every family, in (time, family rank, stream index, position) order. */
export function* mergeByTime<E>(families: readonly StreamFamily<E>[], options: MergeOptions = {}): Generator<E> {
  const keepPlanWithin = options.keepPlanWithin ?? DEFAULT_KEEP_PLAN_WITHIN;
  const ranks = new Set(families.map((family) => family.rank));
  if (ranks.size !== families.length) throw new Error('mergeByTime: family ranks must be unique');
  if (families.some((family) => !Number.isInteger(family.rank) || family.rank < 0 || family.rank > 1e6)) {
    throw new Error('mergeByTime: family ranks must be integers from 0 to 1e6');
  }

  // The next stream each family will open, as a cursor at its start time.
  const pending: (Cursor<E> | null)[] = families.map((family) => opening(family, 0, null));
  const heap: Cursor<E>[] = [];

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
    const top = heap[0];
    if (next && (!top || before(next, top))) {
      // The earliest event belongs to a stream not opened yet: open it.
      pending[nextFamily] = opening(next.family, next.index + 1, next.time);
      heapPush(heap, next);
      continue;
    }
    if (!top) return;

    const plan = top.plan ?? checkedPlan(top.family, top.index);
    const event = plan[top.position]!;
    top.position++;
    if (top.position < plan.length) {
      const nextTime = plan[top.position]!.time;
      top.plan = nextTime - event.time <= keepPlanWithin ? plan : null;
      top.time = nextTime;
      siftDown(heap, 0);
    } else {
      const last = heap.pop()!;
      if (heap.length > 0) {
        heap[0] = last;
        siftDown(heap, 0);
      }
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
