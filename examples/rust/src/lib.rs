//! The example shop UDFs in Rust. Signatures: shop.signatures. Build: ./build.sh
//!
//! | function | signature | |
//! |---|---|---|
//! | `string_distance` | `(string, string) -> i32` | Levenshtein distance in code points |
//! | `is_spam` | `(i32) -> bool` | reads title, body and links by host call |
//! | `bayes_rating` | `(f64, f64) -> f64` | a score from rating and reviews, for `SET _score` |
//! | `tiered_total` | `batch (f64, i64) -> f64` | price x quantity with a volume discount |
//! | `slug` | `(string) -> string` | lowercase ASCII words joined by `-` |
#![no_std]

use strata_udf::{result, str_arg, Buffer, Field, Scratch};

strata_udf::export_allocator!();

#[no_mangle]
pub unsafe extern "C" fn string_distance(a_ptr: *const u8, a_len: i32, b_ptr: *const u8, b_len: i32) -> i32 {
    let (a, b) = (str_arg(a_ptr, a_len), str_arg(b_ptr, b_len));
    let mut b_chars = Scratch::new(b.len(), '\0');
    let mut n = 0;
    for c in b.chars() { b_chars[n] = c; n += 1; }
    let b_chars = &b_chars[..n];
    let mut row = Scratch::new(n + 1, 0u32);
    for (j, cell) in row.iter_mut().enumerate() { *cell = j as u32; }
    for (i, ac) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i as u32 + 1;
        for j in 1..=n {
            let above = row[j];
            let substitute = diagonal + (ac != b_chars[j - 1]) as u32;
            row[j] = substitute.min(above + 1).min(row[j - 1] + 1);
            diagonal = above;
        }
    }
    row[n] as i32
}

const SPAM_WORDS: [&[u8]; 6] = [b"free", b"winner", b"prize", b"click here", b"urgent", b"$$$"];

fn spam_words_in(text: Option<&str>) -> i32 {
    let text = match text { Some(t) => t.as_bytes(), None => return 0 };
    SPAM_WORDS.iter()
        .filter(|word| text.windows(word.len()).any(|w| w.eq_ignore_ascii_case(word)))
        .count() as i32
}

static TITLE: Field = Field::new("title");
static BODY: Field = Field::new("body");
static LINKS: Field = Field::new("links");
static TEXT: Buffer = Buffer::new();

/// Spam points: 2 per spam word in the title, 1 per spam word in the body, 2 for 5 or more
/// links. A document is spam at `threshold` points or more.
#[no_mangle]
pub extern "C" fn is_spam(threshold: i32) -> i32 {
    let mut points = 2 * spam_words_in(TITLE.get_str(&TEXT));
    points += spam_words_in(BODY.get_str(&TEXT));
    if LINKS.get_i64(0) >= 5 { points += 2; }
    (points >= threshold) as i32
}

static RATING: Field = Field::new("rating");
static REVIEWS: Field = Field::new("reviews");

/// The mean rating shrunk towards `prior_mean` as if `prior_weight` reviews had given it, so a
/// 5.0 from two reviews does not outrank a 4.8 from five hundred.
#[no_mangle]
pub extern "C" fn bayes_rating(prior_mean: f64, prior_weight: f64) -> f64 {
    let r = RATING.get_f64(prior_mean);
    let count = REVIEWS.get_i64(0).max(0);
    let weight = count as f64 + prior_weight;
    if weight <= 0.0 { return prior_mean; }
    (r * count as f64 + prior_mean * prior_weight) / weight
}

/// `out[i] = price[i] * quantity[i]`, less 5% from 10 items and 15% from 100.
#[no_mangle]
pub unsafe extern "C" fn tiered_total(count: i32, price: *const f64, quantity: *const i64, out: *mut f64) {
    let n = count.max(0) as usize;
    let (price, quantity) = (core::slice::from_raw_parts(price, n), core::slice::from_raw_parts(quantity, n));
    let out = core::slice::from_raw_parts_mut(out, n);
    for i in 0..n {
        let q = quantity[i];
        let factor = if q >= 100 { 0.85 } else if q >= 10 { 0.95 } else { 1.0 };
        out[i] = price[i] * q as f64 * factor;
    }
}

#[no_mangle]
pub unsafe extern "C" fn slug(ptr: *const u8, len: i32) -> i64 {
    let text = str_arg(ptr, len).as_bytes();
    let out = strata_udf::alloc(text.len().max(1));
    let mut n = 0;
    let mut pending_dash = false;
    for &byte in text {
        let c = byte.to_ascii_lowercase();
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            if pending_dash && n > 0 { *out.add(n) = b'-'; n += 1; }
            pending_dash = false;
            *out.add(n) = c;
            n += 1;
        } else {
            pending_dash = true;
        }
    }
    result(out, n)
}
