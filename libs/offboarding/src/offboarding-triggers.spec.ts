import type { AcceptedEvent } from '@lineage/domain';
import { transformEvent, validateCanonical } from '@lineage/events';
import { PLAN_FOLLOW_UP, offboardingFollowUps, offboardingTriggerOf, rejoinOf } from './offboarding-triggers';

/** A canonical event through the real validator and transform, as the pipeline would accept it. */
function accepted(
  type: string,
  data: Record<string, unknown>,
  time = '2025-06-01T09:30:00Z',
  id = 'evt-1',
): AcceptedEvent {
  const validated = validateCanonical({ specversion: '1.0', id, source: 'hr/workday', type, time, data });
  if (!validated.ok) throw new Error(`fixture is invalid: ${validated.reason}`);
  return transformEvent(validated.value);
}

describe('offboarding triggers', () => {
  it('hr.person.left plans for the person as of data.leftAt when the event gives it', () => {
    const event = accepted('hr.person.left', {
      personId: 'person:e1001',
      leftAt: '2025-05-31T17:00:00Z',
      reason: 'resigned',
    });
    expect(offboardingTriggerOf(event)).toEqual({
      subjectId: 'person:e1001',
      subjectKind: 'Person',
      eventId: 'evt-1',
      eventSource: 'hr/workday',
      eventType: 'hr.person.left',
      effectiveAt: Date.parse('2025-05-31T17:00:00Z'),
    });
  });

  it('hr.person.left without leftAt plans as of the event time', () => {
    expect(offboardingTriggerOf(accepted('hr.person.left', { personId: 'person:c42' }))?.effectiveAt).toBe(
      Date.parse('2025-06-01T09:30:00Z'),
    );
  });

  it('vendor.contract.ended plans for the vendor as of the event time', () => {
    expect(
      offboardingTriggerOf(
        accepted('vendor.contract.ended', { vendorId: 'vendor:acme' }, '2025-07-01T00:00:00Z', 'evt-9'),
      ),
    ).toEqual({
      subjectId: 'vendor:acme',
      subjectKind: 'Vendor',
      eventId: 'evt-9',
      eventSource: 'hr/workday',
      eventType: 'vendor.contract.ended',
      effectiveAt: Date.parse('2025-07-01T00:00:00Z'),
    });
  });

  it('hr.person.joined is a rejoin at its event time, and no trigger', () => {
    const event = accepted(
      'hr.person.joined',
      { personId: 'person:e1001', email: 'e1001@example.com' },
      '2025-09-01T08:00:00Z',
    );
    expect(offboardingTriggerOf(event)).toBeNull();
    expect(rejoinOf(event)).toEqual({ personId: 'person:e1001', at: Date.parse('2025-09-01T08:00:00Z') });
  });

  it('the plan follow-up records the trigger and when it was accepted (read once, and only for a trigger)', () => {
    let reads = 0;
    const clock = () => Date.parse('2025-06-01T09:30:02Z') + reads++;
    const event = accepted('hr.person.left', { personId: 'person:e1001' });
    const [followUp, ...rest] = offboardingFollowUps(event, clock);
    expect(rest).toEqual([]);
    expect(followUp!.kind).toBe(PLAN_FOLLOW_UP);
    expect(JSON.parse(followUp!.payload)).toEqual({ ...offboardingTriggerOf(event), acceptedAt: Date.parse('2025-06-01T09:30:02Z') });
    expect(offboardingFollowUps(accepted('hr.person.moved', { personId: 'person:e1001', managerId: 'person:e2' }), clock)).toEqual([]);
    expect(reads).toBe(1);
  });

  it('other events neither plan nor supersede', () => {
    const moved = accepted('hr.person.moved', { personId: 'person:e1001', managerId: 'person:e2' });
    expect(offboardingTriggerOf(moved)).toBeNull();
    expect(rejoinOf(moved)).toBeNull();
    expect(offboardingTriggerOf(accepted('iam.nhi.deleted', { nhiId: 'nhi:x' }))).toBeNull();
  });
});
