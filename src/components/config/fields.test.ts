import { isGuid, parseNumber } from './fields';

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

describe('isGuid', () => {
  it('accepts the 8-4-4-4-12 hexadecimal form only', () => {
    expect(isGuid('0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d')).toBe(true);
    expect(isGuid(' 0B1C2D3E-4F50-4A6B-8C7D-9E0F1A2B3C4D ')).toBe(true);
    expect(isGuid('')).toBe(false);
    expect(isGuid('contoso-signins')).toBe(false);
    expect(isGuid('{0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d}')).toBe(false);
    expect(isGuid('0b1c2d3e4f504a6b8c7d9e0f1a2b3c4d')).toBe(false);
    expect(isGuid('0b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4g')).toBe(false);
  });
});
