// The example shop UDFs in AssemblyScript. Signatures: shop.signatures. Build: ./build.sh
//   string_distance  (string, string) -> i32      Levenshtein distance in code points
//   is_spam          (i32) -> bool                reads title, body and links by host call
//   bayes_rating     (f64, f64) -> f64            a score from rating and reviews, for SET _score
//   tiered_total     batch (f64, i64) -> f64      price x quantity with a volume discount
//   slug             (string) -> string           lowercase ASCII words joined by '-'
import { Buffer, Field, result, resultBuffer, strataAlloc, strataFree } from "../sdk/assemblyscript/strata";
export { alloc, free } from "../sdk/assemblyscript/strata";

// Decodes UTF-8 (which the host guarantees) into code points at out; returns how many.
function decodeUtf8(s: usize, len: i32, out: usize): i32 {
  let i = 0, n = 0;
  while (i < len) {
    const b = <u32>load<u8>(s + i);
    let cp: u32, extra: i32;
    if (b < 0x80) { cp = b; extra = 0; }
    else if (b < 0xE0) { cp = b & 0x1F; extra = 1; }
    else if (b < 0xF0) { cp = b & 0x0F; extra = 2; }
    else { cp = b & 0x07; extra = 3; }
    i++;
    while (extra-- > 0 && i < len) cp = (cp << 6) | (<u32>load<u8>(s + i++) & 0x3F);
    store<u32>(out + (<usize>n << 2), cp);
    n++;
  }
  return n;
}

export function string_distance(aPtr: usize, aLen: i32, bPtr: usize, bLen: i32): i32 {
  const a = strataAlloc(<usize>(aLen + 1) << 2);
  const b = strataAlloc(<usize>(bLen + 1) << 2);
  const row = strataAlloc(<usize>(bLen + 1) << 2);
  const m = decodeUtf8(aPtr, aLen, a);
  const n = decodeUtf8(bPtr, bLen, b);
  for (let j = 0; j <= n; j++) store<u32>(row + (<usize>j << 2), j);
  for (let i = 1; i <= m; i++) {
    let diagonal = load<u32>(row);
    store<u32>(row, i);
    const ai = load<u32>(a + (<usize>(i - 1) << 2));
    for (let j = 1; j <= n; j++) {
      const above = load<u32>(row + (<usize>j << 2));
      let best = diagonal + (ai == load<u32>(b + (<usize>(j - 1) << 2)) ? 0 : 1);
      if (above + 1 < best) best = above + 1;
      const left = load<u32>(row + (<usize>(j - 1) << 2));
      if (left + 1 < best) best = left + 1;
      store<u32>(row + (<usize>j << 2), best);
      diagonal = above;
    }
  }
  const distance = <i32>load<u32>(row + (<usize>n << 2));
  strataFree(row);
  strataFree(b);
  strataFree(a);
  return distance;
}

// Spam words are ASCII and lowercase; comparing their UTF-16 code units needs no allocation.
const SPAM_WORDS: StaticArray<string> = ["free", "winner", "prize", "click here", "urgent", "$$$"];

// Whether word occurs in the len bytes at text, ignoring ASCII case.
function containsWord(text: usize, len: i32, word: string): bool {
  const w = word.length;
  for (let start = 0; start + w <= len; start++) {
    let k = 0;
    while (k < w) {
      let c = <i32>load<u8>(text + start + k);
      if (c >= 65 && c <= 90) c += 32;
      if (c != word.charCodeAt(k)) break;
      k++;
    }
    if (k == w) return true;
  }
  return false;
}

function spamWordsIn(text: usize, len: i32): i32 {
  let hits = 0;
  if (len < 0) return 0;
  for (let i = 0; i < SPAM_WORDS.length; i++) if (containsWord(text, len, SPAM_WORDS[i])) hits++;
  return hits;
}

const title = new Field("title");
const body = new Field("body");
const links = new Field("links");
const textBuf = new Buffer();

// Spam points: 2 per spam word in the title, 1 per spam word in the body, 2 for 5 or more
// links. A document is spam at threshold points or more.
export function is_spam(threshold: i32): bool {
  let n = title.getStr(textBuf);
  let points = 2 * spamWordsIn(textBuf.ptr, n);
  n = body.getStr(textBuf);
  points += spamWordsIn(textBuf.ptr, n);
  if (links.getI64(0) >= 5) points += 2;
  return points >= threshold;
}

const rating = new Field("rating");
const reviews = new Field("reviews");

// The mean rating shrunk towards priorMean as if priorWeight reviews had given it, so a 5.0
// from two reviews does not outrank a 4.8 from five hundred.
export function bayes_rating(priorMean: f64, priorWeight: f64): f64 {
  const r = rating.getF64(priorMean);
  let count = reviews.getI64(0);
  if (count < 0) count = 0;
  const weight = <f64>count + priorWeight;
  if (weight <= 0) return priorMean;
  return (r * <f64>count + priorMean * priorWeight) / weight;
}

// out[i] = price[i] * quantity[i], less 5% from 10 items and 15% from 100.
export function tiered_total(count: i32, price: usize, quantity: usize, out: usize): void {
  for (let i = 0; i < count; i++) {
    const q = load<i64>(quantity + (<usize>i << 3));
    const factor = q >= 100 ? 0.85 : q >= 10 ? 0.95 : 1.0;
    store<f64>(out + (<usize>i << 3), load<f64>(price + (<usize>i << 3)) * <f64>q * factor);
  }
}

export function slug(ptr: usize, len: i32): i64 {
  const out = resultBuffer(len);
  let n = 0;
  let pendingDash = false;
  for (let i = 0; i < len; i++) {
    let c = <i32>load<u8>(ptr + i);
    if (c >= 65 && c <= 90) c += 32;
    if ((c >= 97 && c <= 122) || (c >= 48 && c <= 57)) {
      if (pendingDash && n > 0) store<u8>(out + n++, 45);
      pendingDash = false;
      store<u8>(out + n++, c);
    } else {
      pendingDash = true;
    }
  }
  return result(out, n);
}
