import { fromKafkaBinary } from './kafka-binary-decoder';
import { kafkaMessage } from './testing/kafka-test-doubles';

const attributes = {
  ce_specversion: '1.0',
  ce_id: 'e-1',
  ce_type: 'vendor.contract.ended',
  ce_time: '2024-05-01T00:00:00Z',
};

describe('fromKafkaBinary', () => {
  it('builds the structured event from ce_ headers, content-type and the value, keeping header values verbatim (no percent-decoding)', () => {
    const message = kafkaMessage('hr.events', 0, 0, '{"vendorId":"vendor:acme"}', {
      headers: { ...attributes, ce_source: 'procurement/acme%20corp', 'content-type': 'application/json' },
    });
    expect(fromKafkaBinary(message)).toEqual({
      ok: true,
      value: {
        specversion: '1.0',
        id: 'e-1',
        source: 'procurement/acme%20corp',
        type: 'vendor.contract.ended',
        time: '2024-05-01T00:00:00Z',
        datacontenttype: 'application/json',
        data: { vendorId: 'vendor:acme' },
      },
    });
  });

  it('leaves structured messages and messages without ce_specversion to the pipeline (null)', () => {
    const structured = kafkaMessage('hr.events', 0, 0, '{}', {
      headers: { ...attributes, 'content-type': 'application/cloudevents+json' },
    });
    const native = kafkaMessage('ci.events', 0, 0, '{}', {
      headers: { 'x-github-event': 'workflow_run', ce_id: 'stray' },
    });
    expect(fromKafkaBinary(structured)).toBeNull();
    expect(fromKafkaBinary(native)).toBeNull();
  });

  it('rejects a value that is not JSON, naming data', () => {
    const message = kafkaMessage('hr.events', 0, 0, '{"vendorId":', {
      headers: { ...attributes, ce_source: 'procurement' },
    });
    expect(fromKafkaBinary(message)).toMatchObject({ ok: false, field: 'data' });
  });
});
