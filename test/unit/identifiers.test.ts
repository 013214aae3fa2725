import { test } from '@fast-check/jest';
import { isSingleScript, normalisePassword, normaliseUsername, SCRIPT_NAMES } from '../../lib/accounts/identifiers';
import { fc, runs, visible } from '../support/properties';

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
    expect(folded('ラーメン')).toBe('ラーメン');
    expect(folded('東京ー')).toBe('東京ー');
    expect(folded('محـمد')).toBe('محـمد');
    expect(folded('bob.smith_2-x@example.com')).toBe('bob.smith_2-x@example.com');
  });

  it.each([
    ['a Cyrillic а among Latin letters', '\u0430dmin'],
    ['an Arabic tatweel after Latin letters', 'admin\u0640'],
    ['an Arabic vowel mark on a Latin letter', 'admin\u064b'],
    ['Greek and Latin', 'αlpha'],
    ['a space', 'bob smith'],
    ['a zero-width space', 'bob\u200bsmith'],
    ['a zero-width joiner', 'bob\u200dsmith'],
    ['a bidi override', 'bob\u202esmith'],
    ['a combining grapheme joiner (invisible)', 'bob\u034fsmith'],
    ['a variation selector (invisible)', 'bob\ufe0fsmith'],
    ['a Hangul filler (invisible)', '홍길동\u3164'],
    ['an enclosing mark', 'bob\u20ddsmith'],
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

  it('map every non-ASCII space to U+0020, so a no-break space types the same password as a space', () => {
    expect(normalisePassword('correct\u00a0horse\u3000battery')).toEqual({ ok: true, value: 'correct horse battery' });
    expect(normalisePassword('correct\u2009horse battery')).toEqual(normalisePassword('correct horse battery'));
  });

  it.each([
    ['a control character', 'correct\u0007horse'],
    ['a newline', 'correct\nhorse battery'],
    ['an unassigned code point', 'correct\u0378horse'],
    ['a lone surrogate', 'correct\ud800horse'],
  ])('refuse %s (RFC 8264 FreeformClass)', (_name, raw) => {
    expect(normalisePassword(raw)).toEqual({ ok: false, problem: 'password must not contain control or unassigned characters' });
  });

  it('refuse fewer than 8 bytes and all-whitespace passwords', () => {
    expect(normalisePassword('1234567').ok).toBe(false);
    expect(normalisePassword('12345678').ok).toBe(true);
    expect(normalisePassword(' \t  \u3000   ').ok).toBe(false);
  });
});

// ---- Properties -------------------------------------------------------------------------------

const chars = (text: string) => [...text];
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => String.fromCodePoint(from + i));

/** Letters that are already in comparison form and survive an upper/lower case round trip. */
const ALPHABETS = {
  Latin: chars('abcdefghijklmnopqrstuvwxyzéèçñøåæœ'),
  Greek: chars('αβγδεζηθικλμνξοπρτυφχψω'), // no σ: Greek lower-casing turns a final Σ into ς
  Cyrillic: chars('абвгдежзийклмнопрстуфхцчшщъыьэюя'),
  Arabic: [...range(0x0628, 0x063a), ...range(0x0641, 0x064a)],
  Armenian: range(0x0561, 0x0586),
  Hebrew: range(0x05d0, 0x05ea),
  Hangul: range(0xac00, 0xd7a3),
  Han: range(0x4e00, 0x9fff),
  Hiragana: range(0x3041, 0x3096),
} as const;
type ScriptName = keyof typeof ALPHABETS;
const SHARED = chars('0123456789._-@');

/** A name in comparison form: letters of one script, with digits and `._-@` after the first letter. */
const nameIn = (script: ScriptName, maxLength = 64) =>
  fc
    .tuple(
      fc.constantFrom(...ALPHABETS[script]),
      fc.array(fc.oneof({ arbitrary: fc.constantFrom(...ALPHABETS[script]), weight: 3 }, fc.constantFrom(...SHARED)), {
        minLength: 2,
        maxLength: maxLength - 1,
      }),
    )
    .map(([first, rest]) => [first, ...rest].join(''));
const anyName = fc.constantFrom(...(Object.keys(ALPHABETS) as ScriptName[])).chain((script) => nameIn(script, 60));
const asciiName = fc.stringMatching(/^[a-z][a-z0-9._@-]{2,62}$/);

/** Characters API.md refuses in a name: zero-width, bidi, controls, spaces, and other invisibles. */
const INVISIBLE_OR_CONTROL = [
  ...chars('\u200b\u200c\u200d\u2060\ufeff'), // zero-width
  ...range(0x202a, 0x202e), ...range(0x2066, 0x2069), ...chars('\u200e\u200f\u061c'), // bidi
  ...range(0x0000, 0x001f), ...range(0x007f, 0x009f), // controls
  ...chars(' \u00a0\u1680\u2028\u2029\u202f\u205f\u3000'), ...range(0x2000, 0x200a), // spaces
  // default-ignorable code points: soft hyphen, grapheme joiner, Hangul fillers, variation selectors, tags
  ...chars('\u00ad\u034f\u115f\u1160\u17b4\u17b5\u3164\uffa0'), ...range(0x180b, 0x180f), ...range(0xfe00, 0xfe0f),
  ...range(0xe0100, 0xe010f), ...range(0xe0020, 0xe007f),
];

const insertAt = (text: string, index: number, char: string) => {
  const points = [...text];
  const at = index % (points.length + 1);
  return [...points.slice(0, at), char, ...points.slice(at)].join('');
};
const fullWidth = (ascii: string) => ascii.replace(/[!-~]/g, (c) => String.fromCodePoint(c.codePointAt(0)! + 0xfee0));

describe('username properties', () => {
  test.prop([anyName])('a single-script name in comparison form is accepted unchanged', (name) => {
    expect(normaliseUsername(name)).toEqual({ ok: true, value: name });
  });

  test.prop([anyName.chain((name) => fc.tuple(fc.constant(name), fc.mixedCase(fc.constant(name))))])(
    'case variants fold to one account',
    ([name, variant]) => {
      expect(normaliseUsername(variant)).toEqual({ ok: true, value: name });
    },
  );

  test.prop([asciiName.chain((name) => fc.tuple(fc.constant(name), fc.mixedCase(fc.constant(fullWidth(name)))))])(
    'full-width variants, in any case, fold to one account',
    ([name, variant]) => {
      expect(normaliseUsername(variant)).toEqual({ ok: true, value: name });
    },
  );

  // Letters of several scripts, compatibility characters, marks, invisibles: names that may or may not be valid.
  const nasty = fc.string({
    unit: fc.oneof(
      fc.constantFrom(...ALPHABETS.Latin, ...ALPHABETS.Greek, ...ALPHABETS.Cyrillic, ...ALPHABETS.Hiragana.slice(0, 20)),
      fc.constantFrom(...chars('ABCİIıßςΣǅﬁ㈱Ⅻℌ¹½ＡＢ０ー\u0301\u0307\u0345\u064b\u0640\u02bc'), ...SHARED),
      fc.constantFrom(...INVISIBLE_OR_CONTROL),
      fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
    ),
    minLength: 1,
    maxLength: 70,
  });

  test.prop([fc.oneof(nasty, fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' }))])(
    'whatever is accepted is already in comparison form: normalising it again changes nothing',
    (raw) => {
      const first = normaliseUsername(raw);
      if (first.ok) expect({ raw: visible(raw), again: normaliseUsername(first.value) }).toEqual({ raw: visible(raw), again: first });
    },
  );

  test.prop([anyName, fc.nat(), fc.constantFrom(...INVISIBLE_OR_CONTROL)])(
    'a zero-width, bidi, control, space or other invisible character anywhere in a name is refused',
    (name, index, char) => {
      const raw = insertAt(name, index, char);
      expect({ raw: visible(raw), ok: normaliseUsername(raw).ok }).toEqual({ raw: visible(raw), ok: false });
    },
  );

  const mixedScript = fc
    .constantFrom<ScriptName>('Latin', 'Greek', 'Cyrillic', 'Arabic', 'Hebrew')
    .chain((base) =>
      fc.tuple(
        nameIn(base, 60),
        fc.nat(),
        fc.constantFrom(...(Object.keys(ALPHABETS) as ScriptName[]).filter((other) => other !== base)).chain((other) =>
          fc.constantFrom(...ALPHABETS[other]),
        ),
      ),
    );

  test.prop([mixedScript])('a letter of a second script anywhere in a name is refused', ([name, index, letter]) => {
    const raw = insertAt(name, index, letter);
    expect({ raw: visible(raw), ok: normaliseUsername(raw).ok }).toEqual({ raw: visible(raw), ok: false });
  });
});

describe('password properties', () => {
  const passwords = fc.oneof(
    fc.string({ unit: 'grapheme', maxLength: 40 }),
    fc.string({ unit: 'binary', maxLength: 80 }),
    fc.string({ unit: fc.constantFrom(...chars('aeiouAEIOU\u0301\u0300\u0308\u00e9\u00c5\u212b\u1e9b\u0323 😀ﬁ')), maxLength: 40 }),
  );

  test.prop([passwords])('composed and decomposed forms of a password are one password (NFC)', (raw) => {
    const expected = normalisePassword(raw);
    expect(normalisePassword(raw.normalize('NFD'))).toEqual(expected);
    expect(normalisePassword(raw.normalize('NFC'))).toEqual(expected);
    if (expected.ok) expect(expected.value).toBe(raw.replace(/\p{Zs}/gu, ' ').normalize('NFC'));
  });

  test.prop([passwords])('the 8 to 72 byte rule counts UTF-8 bytes after preparation', (raw) => {
    const bytes = Buffer.byteLength(raw.replace(/\p{Zs}/gu, ' ').normalize('NFC'), 'utf8');
    const result = normalisePassword(raw);
    if (bytes < 8 || bytes > 72) expect(result.ok).toBe(false);
    if (bytes > 72) expect(result).toEqual({ ok: false, problem: 'password must be at most 72 bytes in UTF-8' });
    if (result.ok) expect(Buffer.byteLength(result.value, 'utf8')).toBe(bytes);
  });
});

describe('isSingleScript', () => {
  // The definition, computed the slow way: each character's set of writing systems (from its
  // Script_Extensions, augmented as UTS #39 §5.1 says), intersected over the whole string.
  const AUGMENTED: Record<string, string[]> = { Han: ['Jpan', 'Hanb', 'Kore'], Hiragana: ['Jpan'], Katakana: ['Jpan'], Bopomofo: ['Hanb'], Hangul: ['Kore'] };
  const EXTENSIONS = SCRIPT_NAMES.map((name) => ({ name, pattern: new RegExp(`^\\p{Script_Extensions=${name}}$`, 'u') }));
  function referenceIsSingleScript(value: string): boolean {
    let resolved: Set<string> | 'any' = 'any';
    for (const char of value) {
      if (/^\p{Script_Extensions=Common}$|^\p{Script_Extensions=Inherited}$/u.test(char)) continue;
      const own = EXTENSIONS.filter(({ pattern }) => pattern.test(char)).flatMap(({ name }) => [name, ...(AUGMENTED[name] ?? [])]);
      resolved = new Set(resolved === 'any' ? own : own.filter((script) => resolved !== 'any' && resolved.has(script)));
    }
    return resolved === 'any' || resolved.size > 0;
  }

  // Mostly letters of scripts that may mix (Han, kana, Hangul, Bopomofo) or look alike (Latin,
  // Greek, Cyrillic), with Common and Inherited characters and any code point at all.
  const letters = fc.oneof(
    { arbitrary: fc.constantFrom(...ALPHABETS.Latin, ...ALPHABETS.Greek, ...ALPHABETS.Cyrillic), weight: 3 },
    { arbitrary: fc.constantFrom(...range(0x4e00, 0x4e20), ...range(0x3041, 0x3050), ...range(0x30a1, 0x30b0), ...range(0xac00, 0xac10), ...range(0x3105, 0x3115)), weight: 3 },
    { arbitrary: fc.constantFrom(...SHARED, ...chars('\u0301\u0640\u064b\u30fc\u02bc')), weight: 2 },
    fc.integer({ min: 0, max: 0x10ffff }).map((point) => String.fromCodePoint(point)),
  );
  const mostlyOneScript = anyName.chain((name) => fc.tuple(fc.nat(), letters).map(([index, letter]) => insertAt(name, index, letter)));

  test.prop([fc.oneof(fc.string({ unit: letters, maxLength: 64 }), mostlyOneScript)], runs(2000))(
    'answers as the UTS #39 definition (intersection of augmented Script_Extensions) does',
    (value) => {
      expect({ value: visible(value), single: isSingleScript(value) }).toEqual({ value: visible(value), single: referenceIsSingleScript(value) });
    },
  );
});
