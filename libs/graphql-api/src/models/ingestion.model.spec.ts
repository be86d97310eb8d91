import { toIngestionStatusModel } from './ingestion.model';

describe('toIngestionStatusModel', () => {
  test('adds the store per-(source, type) counts up per source, keeping the types inside', () => {
    const model = toIngestionStatusModel({
      deadLettered: 3,
      sources: [
        {
          source: 'iam/aws',
          type: 'iam.nhi.created',
          accepted: 5,
          duplicates: 1,
          rejected: 0,
          lastEventTime: Date.UTC(2024, 0, 2),
        },
        { source: 'hr/w', type: 'hr.person.left', accepted: 1, duplicates: 0, rejected: 2, lastEventTime: null },
        {
          source: 'hr/w',
          type: 'hr.person.joined',
          accepted: 4,
          duplicates: 2,
          rejected: 1,
          lastEventTime: Date.UTC(2024, 0, 1),
        },
      ],
    });
    expect(model).toEqual({
      deadLettered: 3,
      sources: [
        {
          source: 'hr/w',
          accepted: 5,
          duplicates: 2,
          rejected: 3,
          lastEventTime: new Date(Date.UTC(2024, 0, 1)),
          types: [
            {
              type: 'hr.person.joined',
              accepted: 4,
              duplicates: 2,
              rejected: 1,
              lastEventTime: new Date(Date.UTC(2024, 0, 1)),
            },
            { type: 'hr.person.left', accepted: 1, duplicates: 0, rejected: 2, lastEventTime: null },
          ],
        },
        {
          source: 'iam/aws',
          accepted: 5,
          duplicates: 1,
          rejected: 0,
          lastEventTime: new Date(Date.UTC(2024, 0, 2)),
          types: [
            {
              type: 'iam.nhi.created',
              accepted: 5,
              duplicates: 1,
              rejected: 0,
              lastEventTime: new Date(Date.UTC(2024, 0, 2)),
            },
          ],
        },
      ],
    });
  });

  test('a source that only ever had rejections has no last event time', () => {
    const model = toIngestionStatusModel({
      deadLettered: 1,
      sources: [
        { source: '(unknown)', type: '(unknown)', accepted: 0, duplicates: 0, rejected: 1, lastEventTime: null },
      ],
    });
    expect(model.sources[0]).toMatchObject({ source: '(unknown)', rejected: 1, lastEventTime: null });
  });
});
