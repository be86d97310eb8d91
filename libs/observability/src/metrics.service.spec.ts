import type { BatchListener, BatchReport } from '@lineage/pipeline';
import type { IngestionPipeline } from '@lineage/pipeline';
import { MetricsService } from './metrics.service';

/** A pipeline that only lets the test play batch reports to its listeners. */
function pipelineStub(): { pipeline: IngestionPipeline; report: (report: BatchReport) => void } {
  const listeners: BatchListener[] = [];
  const pipeline = { onBatch: (listener: BatchListener) => listeners.push(listener) } as unknown as IngestionPipeline;
  return { pipeline, report: (report) => listeners.forEach((listener) => listener(report)) };
}

const accepted = (source: string, type: string, id: string) => ({ status: 'accepted' as const, source, type, id });

function sample(text: string, name: string, labels: string): number | undefined {
  const line = text
    .split('\n')
    .find((l) => l.startsWith(`${name}{${labels}}`) || (labels === '' && l.startsWith(`${name} `)));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

describe('MetricsService', () => {
  test('counts each batch outcome per source, type and outcome; rejections are dead letters', async () => {
    const { pipeline, report } = pipelineStub();
    const metrics = new MetricsService(pipeline);
    report({
      durationMs: 12,
      outcomes: [
        accepted('hr/w', 'hr.person.joined', '1'),
        accepted('hr/w', 'hr.person.joined', '2'),
        { status: 'duplicate', source: 'hr/w', type: 'hr.person.joined', id: '1' },
        {
          status: 'rejected',
          reason: 'data.personId: is required',
          field: 'data.personId',
          source: 'hr/w',
          type: 'hr.person.joined',
          id: null,
          raw: Buffer.from('{}'),
        },
        { status: 'rejected', reason: 'malformed JSON', field: null, source: null, type: null, id: null, raw: Buffer.from('{') },
      ],
    });
    report({ durationMs: 3, outcomes: [accepted('hr/w', 'hr.person.left', '3')] });
    const text = await metrics.render();
    expect(sample(text, 'lineage_events_total', 'source="hr/w",type="hr.person.joined",outcome="accepted"')).toBe(2);
    expect(sample(text, 'lineage_events_total', 'source="hr/w",type="hr.person.joined",outcome="duplicate"')).toBe(1);
    expect(sample(text, 'lineage_events_total', 'source="hr/w",type="hr.person.joined",outcome="rejected"')).toBe(1);
    expect(sample(text, 'lineage_events_total', 'source="(unknown)",type="(unknown)",outcome="rejected"')).toBe(1);
    expect(sample(text, 'lineage_events_total', 'source="hr/w",type="hr.person.left",outcome="accepted"')).toBe(1);
    expect(sample(text, 'lineage_dead_lettered_total', '')).toBe(2);
    expect(sample(text, 'lineage_ingest_batch_duration_seconds_count', '')).toBe(2);
    expect(sample(text, 'lineage_ingest_batch_duration_seconds_sum', '')).toBeCloseTo(0.015);
    expect(metrics.contentType).toContain('text/plain');
  });

  test('a producer inventing sources cannot grow the registry without bound', async () => {
    const { pipeline, report } = pipelineStub();
    const metrics = new MetricsService(pipeline);
    report({ durationMs: 1, outcomes: Array.from({ length: 250 }, (_, i) => accepted(`src-${i}`, 't', String(i))) });
    const text = await metrics.render();
    const series = text.split('\n').filter((line) => line.startsWith('lineage_events_total{'));
    expect(series).toHaveLength(201);
    expect(sample(text, 'lineage_events_total', 'source="other",type="t",outcome="accepted"')).toBe(50);
  });

  test('each service has a registry of its own, with the process metrics and the consumer-lag gauge', async () => {
    const a = new MetricsService(pipelineStub().pipeline);
    const b = new MetricsService(pipelineStub().pipeline);
    expect(a.registry).not.toBe(b.registry);
    const text = await a.render();
    expect(text).toMatch(/^process_cpu_user_seconds_total /m);
    expect(text).toContain('# TYPE lineage_consumer_lag gauge');
  });
});
