import { acceptedFixtures } from '../testing/canonical-fixtures';
import { decodeNative, detectNativeFormat } from './index';

describe('canonical CloudEvents are never taken for a native format', () => {
  it('every canonical fixture is left to the canonical validator', () => {
    const events = acceptedFixtures();
    expect(events.length).toBeGreaterThan(20);
    for (const event of events) {
      expect([event.id, detectNativeFormat(event)]).toEqual([event.id, null]);
      expect([event.id, decodeNative(event)]).toEqual([event.id, null]);
    }
  });

  it('even one that also carries a native format’s fields (specversion decides)', () => {
    const lookalike = { specversion: '1.0', id: 'x', source: 's', type: 'hr.person.left', eventName: 'CreateAccessKey', eventSource: 'iam.amazonaws.com', awsRegion: 'us-east-1', data: {} };
    expect(detectNativeFormat(lookalike)).toBeNull();
    expect(decodeNative(lookalike)).toBeNull();
    // A format named explicitly still decodes as that format.
    expect(decodeNative(lookalike, { format: 'aws.cloudtrail' })).not.toBeNull();
  });
});
