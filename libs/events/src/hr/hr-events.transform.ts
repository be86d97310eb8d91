import type { FactBuilder } from '../transform/fact-builder';
import type { EventTransforms } from '../transform/event-transform';
import { details } from '../transform/event-transform';
import { toEpochMs } from '../validation/rfc3339';

type HrEventType = 'hr.person.joined' | 'hr.person.moved' | 'hr.person.left';

export const HR_TRANSFORMS: EventTransforms<HrEventType> = {
  'hr.person.joined': (data, facts) => {
    facts.define('Person', data.personId, data.name, {
      email: data.email,
      employmentType: data.employmentType,
      department: data.department,
      managerId: data.managerId,
      status: 'active',
      // Someone who joins again is no longer a leaver.
      leftAt: null,
    });
    replaceManager(facts, data.personId, data.managerId);
    return {
      subjectId: data.personId,
      summary: `${data.personId} joined${details(data.employmentType, data.department)}`,
    };
  },

  'hr.person.moved': (data, facts) => {
    facts.update('Person', data.personId, {
      department: data.department,
      title: data.title,
      managerId: data.managerId,
    });
    replaceManager(facts, data.personId, data.managerId);
    return {
      subjectId: data.personId,
      summary: `${data.personId} moved${details(data.department && `to ${data.department}`, data.title, data.managerId && `manager ${data.managerId}`)}`,
    };
  },

  'hr.person.left': (data, facts) => {
    const leftAt = data.leftAt === undefined ? facts.stamp.time : toEpochMs(data.leftAt);
    facts.update('Person', data.personId, { status: 'left', leftAt });
    return { subjectId: data.personId, summary: `${data.personId} left${details(data.reason)}` };
  },
};

/**
 * A person has one manager: the new one replaces the others. A manager equal to the person (how
 * some HR systems mark the top of the tree) means no manager above.
 */
function replaceManager(facts: FactBuilder, personId: string, managerId: string | undefined): void {
  if (managerId === undefined) return;
  if (managerId === personId) {
    facts.unrelateOthers('MANAGES', 'to', personId, []);
    return;
  }
  facts.reference('Person', managerId);
  facts.unrelateOthers('MANAGES', 'to', personId, [managerId]);
  facts.relate('MANAGES', managerId, personId, 'declared');
}
