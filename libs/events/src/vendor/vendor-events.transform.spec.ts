import { transformEvent } from '../transform/event-transformer';
import { fixtureEvent, stampOf } from '../testing/canonical-fixtures';

describe('vendor event transforms', () => {
  it('vendor.onboarded defines the vendor, active, with its sponsor as the only one', () => {
    const event = fixtureEvent('vendor-onboarded-1');
    const at = stampOf(event);
    const accepted = transformEvent(event);
    expect(accepted.facts).toStrictEqual([
      {
        op: 'node',
        id: 'vendor:acme-scanner',
        kind: 'Vendor',
        defines: true,
        name: 'Acme Scanner Ltd',
        attributes: { contractStatus: 'active', endedAt: null },
        ...at,
      },
      { op: 'node', id: 'person:e1001', kind: 'Person', defines: false, ...at },
      {
        op: 'unrelate-others',
        type: 'SPONSORS',
        anchor: 'to',
        anchorId: 'vendor:acme-scanner',
        keep: ['person:e1001'],
        ...at,
      },
      {
        op: 'relate',
        type: 'SPONSORS',
        from: 'person:e1001',
        to: 'vendor:acme-scanner',
        confidence: 'declared',
        ...at,
      },
    ]);
    expect(accepted).toMatchObject({
      subject: 'vendor:acme-scanner',
      summary: 'vendor:acme-scanner onboarded (Acme Scanner Ltd, sponsor person:e1001)',
      entityIds: ['vendor:acme-scanner', 'person:e1001'],
    });
  });

  it('vendor.onboarded without a sponsor leaves sponsorship alone', () => {
    const event = fixtureEvent('vendor-onboarded-plain');
    expect(transformEvent(event).facts).toStrictEqual([
      {
        op: 'node',
        id: 'vendor:globex',
        kind: 'Vendor',
        defines: true,
        name: 'Globex',
        attributes: { contractStatus: 'active', endedAt: null },
        ...stampOf(event),
      },
    ]);
  });

  it('vendor.contract.ended ends the contract at the event time', () => {
    const event = fixtureEvent('vendor-ended-1');
    const at = stampOf(event);
    const accepted = transformEvent(event);
    expect(accepted.facts).toStrictEqual([
      {
        op: 'node',
        id: 'vendor:acme-scanner',
        kind: 'Vendor',
        defines: false,
        attributes: { contractStatus: 'ended', endedAt: Date.UTC(2024, 8, 30, 23, 59, 59) },
        ...at,
      },
    ]);
    expect(accepted.summary).toBe('vendor:acme-scanner contract ended');
  });
});
