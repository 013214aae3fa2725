import { normalisePassword, normaliseUsername } from '../../lib/accounts/identifiers';

const folded = (raw: string) => {
  const result = normaliseUsername(raw);
  return result.ok ? result.value : `refused: ${result.problem}`;
};

describe('usernames (RFC 8265 UsernameCaseMapped + UTS #39 single script)', () => {
  it('fold case and width variants to one comparison form', () => {
    expect(folded('Alice')).toBe('alice');
    expect(folded('ALICE')).toBe('alice');
    expect(folded('Ａｌｉｃｅ')).toBe('alice');
  });

  it('accept single-script names in other scripts, and the allowed punctuation', () => {
    expect(folded('홍길동')).toBe('홍길동');
    expect(folded('山田たろう')).toBe('山田たろう');
    expect(folded('Σοφία')).toBe('σοφία');
    expect(folded('bob.smith_2-x@example.com')).toBe('bob.smith_2-x@example.com');
  });

  it.each([
    ['a Cyrillic а among Latin letters', '\u0430dmin'],
    ['Greek and Latin', 'αlpha'],
    ['a space', 'bob smith'],
    ['a zero-width space', 'bob\u200bsmith'],
    ['a zero-width joiner', 'bob\u200dsmith'],
    ['a bidi override', 'bob\u202esmith'],
    ['a control character', 'bob\u0007smith'],
    ['a tab', 'bob\tsmith'],
    ['punctuation outside ._-@', 'bob!smith'],
    ['an emoji', 'bob😀'],
    ['two characters', 'ab'],
    ['65 characters', 'a'.repeat(65)],
  ])('refuse %s', (_name, raw) => {
    expect(normaliseUsername(raw).ok).toBe(false);
  });

  it('accept exactly 3 and 64 characters', () => {
    expect(folded('abc')).toBe('abc');
    expect(folded('a'.repeat(64))).toBe('a'.repeat(64));
  });
});

describe('passwords (RFC 8265 OpaqueString, bcrypt 72-byte limit)', () => {
  it('normalise to NFC so composed and decomposed forms are one password', () => {
    const composed = normalisePassword('caf\u00e9-secret');
    const decomposed = normalisePassword('cafe\u0301-secret');
    expect(composed).toEqual({ ok: true, value: 'caf\u00e9-secret' });
    expect(decomposed).toEqual(composed);
  });

  it('count UTF-8 bytes after normalisation: 18 emoji (72 bytes) pass, 19 (76 bytes) are refused', () => {
    expect(normalisePassword('😀'.repeat(18)).ok).toBe(true);
    expect(normalisePassword('😀'.repeat(19))).toEqual({ ok: false, problem: 'password must be at most 72 bytes in UTF-8' });
    expect(normalisePassword('a'.repeat(72)).ok).toBe(true);
    expect(normalisePassword('a'.repeat(73)).ok).toBe(false);
  });

  it('refuse fewer than 8 bytes and all-whitespace passwords', () => {
    expect(normalisePassword('1234567').ok).toBe(false);
    expect(normalisePassword('12345678').ok).toBe(true);
    expect(normalisePassword(' \t  \u3000   ').ok).toBe(false);
  });
});
