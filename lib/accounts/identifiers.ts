/**
 * Usernames per RFC 8265 UsernameCaseMapped plus UTS #39 single-script, and passwords per
 * RFC 8265 OpaqueString with bcrypt's 72-byte limit. See API.md "Accounts".
 */

export type Checked = { ok: true; value: string } | { ok: false; problem: string };

const USERNAME_MIN = 3;
const USERNAME_MAX = 64;
const PASSWORD_MIN_BYTES = 8;
/** bcrypt reads only the first 72 bytes: longer passwords are refused, never truncated. */
export const PASSWORD_MAX_BYTES = 72;

// Letters, combining marks (for scripts that need them), digits and `._-@`: nothing else, so
// spaces, controls, zero-width and bidi characters (all outside these classes) are refused.
// Enclosing marks (Me) are symbols drawn around a letter: RFC 8264's IdentifierClass refuses them.
const USERNAME_SHAPE = /^[\p{L}\p{Nd}._@-][\p{L}\p{Mn}\p{Mc}\p{Nd}._@-]*$/u;
// Characters that render as nothing although they are letters or marks (the combining grapheme
// joiner, variation selectors, Hangul fillers): `bob\u034Fsmith` would look like `bobsmith`.
// RFC 8264 §9.13 disallows every default-ignorable code point.
const INVISIBLE = /\p{Default_Ignorable_Code_Point}/u;

/** Folds a username to its comparison form (NFKC, then lower case) and checks its shape. */
export function normaliseUsername(raw: string): Checked {
  const value = raw.normalize('NFKC').toLowerCase().normalize('NFKC');
  const length = [...value].length;
  if (length < USERNAME_MIN || length > USERNAME_MAX) {
    return { ok: false, problem: `username must be ${USERNAME_MIN} to ${USERNAME_MAX} characters long` };
  }
  if (!USERNAME_SHAPE.test(value)) {
    return { ok: false, problem: 'username may hold only letters, digits and . _ - @' };
  }
  if (INVISIBLE.test(value)) {
    return { ok: false, problem: 'username must not hold invisible characters' };
  }
  if (!isSingleScript(value)) {
    return { ok: false, problem: 'username must use the letters of a single script' };
  }
  return { ok: true, value };
}

// Account ids are the random (version 4) UUIDs AccountService mints.
const ACCOUNT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** Whether a string can be an account id at all: anything else names no account. */
export function isAccountId(value: string): boolean {
  return ACCOUNT_ID.test(value);
}

/** NFC-normalises a password and checks its length in UTF-8 bytes after normalisation. */
export function normalisePassword(raw: string, field = 'password'): Checked {
  const value = prepareOpaqueString(raw);
  const bytes = Buffer.byteLength(value, 'utf8');
  if (bytes < PASSWORD_MIN_BYTES) return { ok: false, problem: `${field} must be at least ${PASSWORD_MIN_BYTES} bytes` };
  if (bytes > PASSWORD_MAX_BYTES) return { ok: false, problem: `${field} must be at most ${PASSWORD_MAX_BYTES} bytes in UTF-8` };
  if (value.trim() === '') return { ok: false, problem: `${field} must not be only whitespace` };
  if (FREEFORM_DISALLOWED.test(value)) return { ok: false, problem: `${field} must not contain control or unassigned characters` };
  return { ok: true, value };
}

// RFC 8264 FreeformClass disallows controls and unassigned code points (and surrogates, which a
// well-formed string cannot hold unpaired; a lone one is refused with them).
const FREEFORM_DISALLOWED = /[\p{Cc}\p{Cn}\p{Cs}]/u;

/**
 * RFC 8265 §4.2 OpaqueString preparation and enforcement, less its checks: every non-ASCII space
 * becomes U+0020, then NFC. What login compares and what registration hashes.
 */
export function prepareOpaqueString(raw: string): string {
  return raw.replace(/\p{Zs}/gu, ' ').normalize('NFC');
}

// Every script ECMAScript's \p{Script_Extensions=…} knows (Unicode 16), except Common and Inherited.
export const SCRIPT_NAMES = (
  'Adlam Ahom Anatolian_Hieroglyphs Arabic Armenian Avestan Balinese Bamum Bassa_Vah Batak Bengali ' +
  'Bhaiksuki Bopomofo Brahmi Braille Buginese Buhid Canadian_Aboriginal Carian Caucasian_Albanian Chakma ' +
  'Cham Cherokee Chorasmian Coptic Cuneiform Cypriot Cypro_Minoan Cyrillic Deseret Devanagari Dives_Akuru ' +
  'Dogra Duployan Egyptian_Hieroglyphs Elbasan Elymaic Ethiopic Garay Georgian Glagolitic Gothic Grantha ' +
  'Greek Gujarati Gunjala_Gondi Gurmukhi Gurung_Khema Han Hangul Hanifi_Rohingya Hanunoo Hatran Hebrew ' +
  'Hiragana Imperial_Aramaic Inscriptional_Pahlavi Inscriptional_Parthian Javanese Kaithi Kannada Katakana ' +
  'Kawi Kayah_Li Kharoshthi Khitan_Small_Script Khmer Khojki Khudawadi Kirat_Rai Lao Latin Lepcha Limbu ' +
  'Linear_A Linear_B Lisu Lycian Lydian Mahajani Makasar Malayalam Mandaic Manichaean Marchen Masaram_Gondi ' +
  'Medefaidrin Meetei_Mayek Mende_Kikakui Meroitic_Cursive Meroitic_Hieroglyphs Miao Modi Mongolian Mro ' +
  'Multani Myanmar Nabataean Nag_Mundari Nandinagari New_Tai_Lue Newa Nko Nushu Nyiakeng_Puachue_Hmong ' +
  'Ogham Ol_Chiki Ol_Onal Old_Hungarian Old_Italic Old_North_Arabian Old_Permic Old_Persian Old_Sogdian ' +
  'Old_South_Arabian Old_Turkic Old_Uyghur Oriya Osage Osmanya Pahawh_Hmong Palmyrene Pau_Cin_Hau Phags_Pa ' +
  'Phoenician Psalter_Pahlavi Rejang Runic Samaritan Saurashtra Sharada Shavian Siddham SignWriting Sinhala ' +
  'Sogdian Sora_Sompeng Soyombo Sundanese Sunuwar Syloti_Nagri Syriac Tagalog Tagbanwa Tai_Le Tai_Tham ' +
  'Tai_Viet Takri Tamil Tangsa Tangut Telugu Thaana Thai Tibetan Tifinagh Tirhuta Todhri Toto Tulu_Tigalari ' +
  'Ugaritic Vai Vithkuqi Wancho Warang_Citi Yezidi Yi Zanabazar_Square'
).split(' ');

// A name may use one script, or one of the mixes UTS #39 §5.1 allows (Japanese, Chinese with
// Bopomofo, Korean). Each writing system is one pattern matching any character of its scripts.
// Script_Extensions, as UTS #39 says: the Arabic tatweel or the Arabic fathatan mark belong to
// Arabic (and a few others), not to every script, so `admin\u0640` is two scripts.
const WRITING_SYSTEMS: readonly RegExp[] = [
  ...SCRIPT_NAMES.map((name) => new RegExp(`\\p{scx=${name}}`, 'u')),
  /[\p{scx=Han}\p{scx=Hiragana}\p{scx=Katakana}]/u,
  /[\p{scx=Han}\p{scx=Bopomofo}]/u,
  /[\p{scx=Han}\p{scx=Hangul}]/u,
];

// Characters that go with any script: digits, `._-@`, most combining marks.
const ANY_SCRIPT = /^[\p{scx=Common}\p{scx=Inherited}]$/u;

/**
 * UTS #39 single-script: whether one writing system holds every character of `value`. Only the
 * first letter is tested against every script; later ones only against the writing systems
 * still possible, which is one or two for a real name.
 */
export function isSingleScript(value: string): boolean {
  let candidates = WRITING_SYSTEMS;
  for (const char of value) {
    if (ANY_SCRIPT.test(char)) continue;
    candidates = candidates.filter((pattern) => pattern.test(char));
    if (candidates.length === 0) return false;
  }
  return true;
}
