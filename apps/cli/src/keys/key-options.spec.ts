import { UsageError } from '../cli-errors';
import { parseExpiry, parseOwner, parseRole } from './key-options';

describe('key options', () => {
  it.each([
    ['90d', 90],
    ['90', 90],
    ['2w', 14],
    ['6m', 180],
    ['1y', 365],
  ])('reads --expires %s as %d days', (text, days) => {
    expect(parseExpiry(text)).toBe(days);
  });

  it.each(['0d', '-5d', '90 days', '1.5d', '', '11y', 'forever'])('refuses --expires %j, naming the option', (text) => {
    expect(() => parseExpiry(text)).toThrow(UsageError);
    expect(() => parseExpiry(text)).toThrow(/^--expires: /);
  });

  it('accepts the four roles and refuses others, listing them', () => {
    expect(['analyst', 'responder', 'automation', 'admin'].map(parseRole)).toEqual([
      'analyst',
      'responder',
      'automation',
      'admin',
    ]);
    expect(() => parseRole('root')).toThrow('--role: must be one of analyst, responder, automation, admin, got "root"');
  });

  it('refuses a blank owner', () => {
    expect(parseOwner(' person:e1 ')).toBe('person:e1');
    expect(() => parseOwner('  ')).toThrow(/^--owner: /);
  });
});
