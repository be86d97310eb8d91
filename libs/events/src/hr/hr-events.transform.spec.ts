import { transformEvent } from '../transform/event-transformer';
import { fixtureEvent, stampOf } from '../testing/canonical-fixtures';

describe('HR event transforms', () => {
  it('hr.person.joined defines the person, active, and makes the manager the only one', () => {
    const event = fixtureEvent('hr-joined-1');
    const at = stampOf(event);
    const accepted = transformEvent(event);
    expect(accepted.facts).toStrictEqual([
      {
        op: 'node',
        id: 'person:e1001',
        kind: 'Person',
        defines: true,
        name: 'Ana Lopez',
        attributes: {
          email: 'ana.lopez@example.com',
          employmentType: 'employee',
          department: 'platform',
          managerId: 'person:e1000',
          status: 'active',
          leftAt: null,
        },
        ...at,
      },
      { op: 'node', id: 'person:e1000', kind: 'Person', defines: false, ...at },
      { op: 'unrelate-others', type: 'MANAGES', anchor: 'to', anchorId: 'person:e1001', keep: ['person:e1000'], ...at },
      { op: 'relate', type: 'MANAGES', from: 'person:e1000', to: 'person:e1001', confidence: 'declared', ...at },
    ]);
    expect(accepted).toMatchObject({
      source: 'hr/workday/acme',
      id: 'hr-joined-1',
      type: 'hr.person.joined',
      time: Date.UTC(2024, 0, 8, 9),
      subject: 'person:e1001',
      summary: 'person:e1001 joined (employee, platform)',
      entityIds: ['person:e1001', 'person:e1000'],
    });
  });

  it('hr.person.joined with only the required fields sets only what it knows', () => {
    const event = fixtureEvent('hr-joined-minimal');
    const accepted = transformEvent(event);
    expect(accepted.facts).toStrictEqual([
      {
        op: 'node',
        id: 'person:e1003',
        kind: 'Person',
        defines: true,
        attributes: { email: 'lee.chen@example.com', status: 'active', leftAt: null },
        ...stampOf(event),
      },
    ]);
    expect(accepted.subject).toBe('person:e1003');
    expect(accepted.summary).toBe('person:e1003 joined');
  });

  it('a person who is their own manager (the top of the tree) has no manager above', () => {
    const event = fixtureEvent('hr-joined-top');
    const at = stampOf(event);
    expect(transformEvent(event).facts.slice(1)).toStrictEqual([
      { op: 'unrelate-others', type: 'MANAGES', anchor: 'to', anchorId: 'person:e1000', keep: [], ...at },
    ]);
  });

  it('hr.person.moved updates the person without defining it and replaces the manager', () => {
    const event = fixtureEvent('hr-moved-1');
    const at = stampOf(event);
    expect(at.time).toBe(Date.UTC(2024, 3, 2, 8, 30));
    const accepted = transformEvent(event);
    expect(accepted.facts).toStrictEqual([
      {
        op: 'node',
        id: 'person:e1001',
        kind: 'Person',
        defines: false,
        attributes: { department: 'security', title: 'Staff Engineer', managerId: 'person:e1004' },
        ...at,
      },
      { op: 'node', id: 'person:e1004', kind: 'Person', defines: false, ...at },
      { op: 'unrelate-others', type: 'MANAGES', anchor: 'to', anchorId: 'person:e1001', keep: ['person:e1004'], ...at },
      { op: 'relate', type: 'MANAGES', from: 'person:e1004', to: 'person:e1001', confidence: 'declared', ...at },
    ]);
    expect(accepted.summary).toBe('person:e1001 moved (to security, Staff Engineer, manager person:e1004)');
  });

  it('hr.person.moved without a manager leaves the manager alone', () => {
    const event = fixtureEvent('hr-moved-title');
    expect(transformEvent(event).facts).toStrictEqual([
      {
        op: 'node',
        id: 'person:e1001',
        kind: 'Person',
        defines: false,
        attributes: { title: 'Principal Engineer' },
        ...stampOf(event),
      },
    ]);
  });

  it('hr.person.left marks the person left at the time given', () => {
    const event = fixtureEvent('hr-left-1');
    const accepted = transformEvent(event);
    expect(accepted.facts).toStrictEqual([
      {
        op: 'node',
        id: 'person:e1001',
        kind: 'Person',
        defines: false,
        attributes: { status: 'left', leftAt: Date.UTC(2024, 5, 28, 15) },
        ...stampOf(event),
      },
    ]);
    expect(accepted.summary).toBe('person:e1001 left (resigned)');
  });

  it('hr.person.left without leftAt leaves at the event time', () => {
    const event = fixtureEvent('hr-left-now');
    const at = stampOf(event);
    expect(at.time).toBe(Date.UTC(2024, 6, 15, 12, 0, 0, 250));
    const accepted = transformEvent(event);
    expect(accepted.facts).toStrictEqual([
      {
        op: 'node',
        id: 'person:e1002',
        kind: 'Person',
        defines: false,
        attributes: { status: 'left', leftAt: at.time },
        ...at,
      },
    ]);
    expect(accepted.summary).toBe('person:e1002 left');
  });
});
