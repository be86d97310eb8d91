import { JsonLogger } from './json-logger';

function logger(level: 'debug' | 'info' | 'warn' | 'error' = 'info') {
  const lines: string[] = [];
  const log = new JsonLogger(level, { write: (line: string) => lines.push(line) });
  const parsed = () => lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  return { log, lines, parsed };
}

describe('JsonLogger', () => {
  test('writes one JSON object per line with time, level, context and message', () => {
    const { log, lines, parsed } = logger();
    log.log('store closed', 'PipelineModule');
    log.warn({ msg: 'slow batch', durationMs: 1200, source: 'hr/workday' }, 'Ingest');
    expect(lines.every((line) => line.endsWith('\n') && !line.slice(0, -1).includes('\n'))).toBe(true);
    const [first, second] = parsed();
    expect(first).toEqual({
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      level: 'info',
      context: 'PipelineModule',
      msg: 'store closed',
    });
    expect(second).toMatchObject({
      level: 'warn',
      context: 'Ingest',
      msg: 'slow batch',
      durationMs: 1200,
      source: 'hr/workday',
    });
  });

  test('drops lines below its level', () => {
    const { log, parsed } = logger('warn');
    log.debug('d');
    log.log('i');
    log.warn('w');
    log.error('e');
    expect(parsed().map((line) => line['level'])).toEqual(['warn', 'error']);
  });

  test('errors keep their name, message and stack; Nest passes the stack before the context', () => {
    const { log, parsed } = logger();
    log.error(new TypeError('bad thing'), 'Ctx');
    log.error('failed', 'Error: failed\n    at somewhere', 'Other');
    const [first, second] = parsed();
    expect(first).toMatchObject({ level: 'error', context: 'Ctx', msg: 'bad thing', error: 'TypeError' });
    expect(String(first!['stack'])).toContain('TypeError: bad thing');
    expect(second).toMatchObject({ context: 'Other', msg: 'failed', stack: 'Error: failed\n    at somewhere' });
  });

  test('a caller cannot overwrite time or level', () => {
    const { log, parsed } = logger();
    log.log({ msg: 'x', time: 'forged', level: 'error' });
    expect(parsed()[0]).toMatchObject({ level: 'info', msg: 'x' });
    expect(parsed()[0]!['time']).not.toBe('forged');
  });

  test('an API key or a bearer token that slips into a line is redacted; the key id stays', () => {
    const { log, lines } = logger();
    const key = 'nhil_0123456789abcdef_' + 'Zx9'.repeat(14) + 'Q';
    log.log({ msg: `verifying ${key}`, header: 'Bearer some.jwt.token' });
    expect(lines[0]).not.toContain(key);
    expect(lines[0]).not.toContain('some.jwt.token');
    expect(lines[0]).toContain('nhil_0123456789abcdef_[redacted]');
  });

  test('a circular structure still gives a line', () => {
    const { log, parsed } = logger();
    const fields: Record<string, unknown> = { msg: 'loop' };
    fields['self'] = fields;
    log.log(fields);
    expect(parsed()[0]).toMatchObject({ level: 'info', msg: 'loop' });
  });
});
