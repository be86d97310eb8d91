import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { generateEnterprise } from './generator';
import { runGenerateCli } from './generate-cli';

class Collector extends Writable {
  text = '';
  override _write(chunk: unknown, _encoding: BufferEncoding, callback: () => void): void {
    this.text += String(chunk);
    callback();
  }
}

describe('generate CLI', () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'nhi-generate-'));
  });

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes the enterprise to --out as NDJSON and reports its summary', async () => {
    const out = join(dir, 'enterprise.ndjson');
    const result = await runGenerateCli(['node', 'generate', '--scale', '20', '--seed', '3', '--out', out]);

    const lines = readFileSync(out, 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(result.summary.events);
    expect(result.summary.people).toBe(20);
    expect(result.summary.nhis).toBe(900);
    expect(result.out).toBe(out);
    // The same events the library generates, in the same order.
    const expected = [...generateEnterprise({ people: 20, seed: 3 })].map((event) => JSON.stringify(event));
    expect(lines).toEqual(expected);
  });

  it('writes to stdout without --out', async () => {
    const stdout = new Collector();
    const result = await runGenerateCli(['node', 'generate', '--scale', '10', '--nhis-per-person', '2'], stdout);

    expect(result.out).toBeNull();
    expect(result.summary.nhis).toBe(20);
    expect(stdout.text.trimEnd().split('\n')).toHaveLength(result.summary.events);
  });

  it('refuses a bad option, naming it', async () => {
    const errors: string[] = [];
    const write = jest.spyOn(process.stderr, 'write').mockImplementation((text: string | Uint8Array) => {
      errors.push(String(text));
      return true;
    });
    try {
      await expect(runGenerateCli(['node', 'generate', '--scale', 'ten'])).rejects.toThrow(
        /--scale must be an integer/,
      );
      await expect(runGenerateCli(['node', 'generate', '--scale', '1'])).rejects.toThrow(
        /--scale must be an integer from 2/,
      );
      await expect(runGenerateCli(['node', 'generate', '--seed', '-4'])).rejects.toThrow(/--seed/);
      await expect(runGenerateCli(['node', 'generate', '--nhis-per-person', '0'])).rejects.toThrow(/--nhis-per-person/);
    } finally {
      write.mockRestore();
    }
    expect(errors.join('')).toContain('--scale');
  });
});
