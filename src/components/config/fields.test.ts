import { parseNumber } from './fields';

describe('parseNumber', () => {
  const f = (text: string, want: number | undefined) => expect(parseNumber(text)).toBe(want);

  it('reads numbers and treats empty or invalid text as unset', () => {
    f('42', 42);
    f(' 7 ', 7);
    f('0.5', 0.5);
    f('', undefined);
    f('  ', undefined);
    f('abc', undefined);
  });
});
