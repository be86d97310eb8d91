import { MAX_BATCH_BYTES, MAX_EVENT_BYTES, bodyLimitOf, contentModeOf, forwardedHeaders } from './cloudevents-http';

describe('CloudEvents HTTP binding', () => {
  test.each([
    [{ 'content-type': 'application/cloudevents+json; charset=utf-8' }, 'structured'],
    [{ 'content-type': 'Application/JSON' }, 'structured'],
    [{ 'content-type': 'application/cloudevents-batch+json' }, 'batch'],
    [{ 'content-type': 'application/json', 'ce-specversion': '1.0' }, 'binary'],
    [{ 'content-type': 'text/plain', 'ce-specversion': '1.0' }, 'binary'],
    [{ 'content-type': 'text/plain' }, null],
    [{}, null],
  ])('%j is %s mode', (headers, mode) => {
    expect(contentModeOf(headers)).toBe(mode);
  });

  test('a batch may be larger than one event', () => {
    expect(bodyLimitOf('structured')).toBe(MAX_EVENT_BYTES);
    expect(bodyLimitOf('binary')).toBe(MAX_EVENT_BYTES);
    expect(bodyLimitOf('batch')).toBe(MAX_BATCH_BYTES);
  });

  test('only the headers native decoders read go to the pipeline: never credentials', () => {
    expect(
      forwardedHeaders({
        authorization: 'Bearer nhil_x',
        cookie: 'a=b',
        'x-gitlab-token': 'secret',
        'x-hub-signature-256': 'sha256=…',
        'x-github-event': 'deploy_key',
        'x-github-delivery': 'abc',
        date: 'Tue, 02 Apr 2019 17:37:07 GMT',
      }),
    ).toEqual({ 'x-github-event': 'deploy_key', 'x-github-delivery': 'abc', date: 'Tue, 02 Apr 2019 17:37:07 GMT' });
  });
});
