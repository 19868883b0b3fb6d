// Test-only helper: a varied, seeded text corpus for differential tokenizer tests.

/** mulberry32: a tiny seeded PRNG returning floats in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Hand-picked edge cases: empty, whitespace runs, tabs/newlines, digits, code, unicode, emoji, CJK. */
export const FIXED_CORPUS: readonly string[] = [
  '',
  ' ',
  '  ',
  '\t',
  '\n',
  '\n\n\n',
  ' \n \t\r\n ',
  'Hello world',
  ' Hello world',
  'Hello  world   ',
  'Once upon a time, there was a little girl named Lily. She loved to play outside.',
  "I'm sure you've seen it; they'll say it's HE'S and WE'RE and I'D.",
  '1234567890 3.14159 -42 1,000,000 0x1F',
  'function add(a, b) {\n\treturn a + b; // sum\n}\n',
  'if (x <= 10 && y != "str") { z = [1, 2, 3]; }',
  'Ünïcödé façade naïve Ελληνικά русский עברית العربية हिन्दी',
  '日本語のテキストと中文文本，还有한국어.',
  '😀😃 emoji 👍🏽 family 👨‍👩‍👧 flags 🇫🇷🇯🇵',
  'e\u0301 combining a\u0308 marks',
  'zero\u200bwidth\u00a0nbsp\u3000ideographic\u2028line',
  '<s>hello</s> <unk> <|endoftext|> <|im_start|>user\nhi<|im_end|>',
  '   leading and trailing   ',
  '\u00e9\u00e8\u00ea\u00eb ÀÉÎÕÜ ß ÿ',
  '\ufeffstarts with a byte-order mark \u0000 and a NUL',
  '~!@#$%^&*()_+`-=[]\\{}|;\':",./<>?',
  // Codepoints assigned in Unicode 16/17 (newer than llama.cpp's tables): Garay, Tulu-Tigalari, CJK Ext. J.
  'new 𐵀𐵁 x𑎀𑎁y 1𖵀2 \u{323b0}\u{323b1} a\u0897b \u{16d40}\u{16d41}',
];

const POOLS: readonly string[][] = [
  [...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'],
  [...'0123456789'],
  [' ', ' ', ' ', '  ', '\t', '\n', '\r\n', '\n\n'],
  [...'.,;:!?\'"()[]{}<>-_=+*/\\|@#$%^&~`'],
  [...'éèàüöäßçñøåæœÉÀÜ'],
  [...'日本語中文字漢한국어テキスト'],
  ['😀', '👍', '🏽', '❤️', '🚀', '\u200d', '🇫'],
  [...'абвгдеёжзαβγδεζηθאבגدرس'],
  ['<s>', '</s>', '<unk>', '<|endoftext|>', '<|im_start|>', '<|im_end|>', "'s", "'ll", "'RE"],
];

/**
 * `count` random strings mixing words, numbers, whitespace runs, punctuation, accents, CJK, emoji,
 * other scripts and special-token look-alikes; the same seed gives the same corpus.
 */
export function randomCorpus(seed: number, count: number, maxPieces = 40): string[] {
  const rnd = seededRandom(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const n = 1 + Math.floor(rnd() * maxPieces);
    let s = '';
    for (let k = 0; k < n; k++) {
      const pool = pick(POOLS);
      const len = 1 + Math.floor(rnd() * 6);
      for (let j = 0; j < len; j++) s += pick(pool);
    }
    out.push(s);
  }
  return out;
}
