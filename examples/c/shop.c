/*
 * The example shop UDFs in C. Signatures: shop.signatures. Build: ./build.sh
 *   string_distance  (string, string) -> i32      Levenshtein distance in code points
 *   is_spam          (i32) -> bool                reads title, body and links by host call
 *   bayes_rating     (f64, f64) -> f64            a score from rating and reviews, for SET _score
 *   tiered_total     batch (f64, i64) -> f64      price x quantity with a volume discount
 *   slug             (string) -> string           lowercase ASCII words joined by '-'
 */
#include "../sdk/c/strata.h"

/* Decodes UTF-8 (which the host guarantees) into code points; returns how many. */
static int32_t decode_utf8(const char *s, int32_t len, uint32_t *out) {
    const uint8_t *p = (const uint8_t *) s;
    int32_t i = 0, n = 0;
    while (i < len) {
        uint32_t b = p[i], cp, extra;
        if (b < 0x80) { cp = b; extra = 0; }
        else if (b < 0xE0) { cp = b & 0x1F; extra = 1; }
        else if (b < 0xF0) { cp = b & 0x0F; extra = 2; }
        else { cp = b & 0x07; extra = 3; }
        i++;
        while (extra-- > 0 && i < len) cp = (cp << 6) | (p[i++] & 0x3F);
        out[n++] = cp;
    }
    return n;
}

STRATA_EXPORT(string_distance)
int32_t string_distance(const char *a_ptr, int32_t a_len, const char *b_ptr, int32_t b_len) {
    uint32_t *a = strata_alloc((size_t) (a_len + 1) * 4);
    uint32_t *b = strata_alloc((size_t) (b_len + 1) * 4);
    uint32_t *row = strata_alloc((size_t) (b_len + 1) * 4);
    int32_t m = decode_utf8(a_ptr, a_len, a);
    int32_t n = decode_utf8(b_ptr, b_len, b);
    for (int32_t j = 0; j <= n; j++) row[j] = (uint32_t) j;
    for (int32_t i = 1; i <= m; i++) {
        uint32_t diagonal = row[0];
        row[0] = (uint32_t) i;
        for (int32_t j = 1; j <= n; j++) {
            uint32_t above = row[j];
            uint32_t best = diagonal + (a[i - 1] == b[j - 1] ? 0 : 1);
            if (above + 1 < best) best = above + 1;
            if (row[j - 1] + 1 < best) best = row[j - 1] + 1;
            row[j] = best;
            diagonal = above;
        }
    }
    int32_t distance = (int32_t) row[n];
    strata_free(row);
    strata_free(b);
    strata_free(a);
    return distance;
}

static const char *const SPAM_WORDS[] = { "free", "winner", "prize", "click here", "urgent", "$$$" };
#define SPAM_WORD_COUNT (sizeof SPAM_WORDS / sizeof SPAM_WORDS[0])

/* Whether WORD (lowercase ASCII) occurs in TEXT, ignoring ASCII case. */
static int contains_word(strata_str text, const char *word) {
    int32_t w = 0;
    while (word[w]) w++;
    for (int32_t start = 0; start + w <= text.len; start++) {
        int32_t k = 0;
        while (k < w) {
            char c = text.ptr[start + k];
            if (c >= 'A' && c <= 'Z') c = (char) (c + 32);
            if (c != word[k]) break;
            k++;
        }
        if (k == w) return 1;
    }
    return 0;
}

static int32_t spam_words_in(strata_str text) {
    int32_t hits = 0;
    if (text.len < 0) return 0;
    for (uint32_t i = 0; i < SPAM_WORD_COUNT; i++) hits += contains_word(text, SPAM_WORDS[i]);
    return hits;
}

STRATA_FIELD(title, "title");
STRATA_FIELD(body, "body");
STRATA_FIELD(links, "links");
static strata_buf text_buf;

/* Spam points: 2 per spam word in the title, 1 per spam word in the body, 2 for 5 or more
 * links. A document is spam at THRESHOLD points or more. */
STRATA_EXPORT(is_spam)
int32_t is_spam(int32_t threshold) {
    int32_t points = 2 * spam_words_in(strata_get_str(&title, &text_buf));
    points += spam_words_in(strata_get_str(&body, &text_buf));
    if (strata_get_i64(&links, 0) >= 5) points += 2;
    return points >= threshold;
}

STRATA_FIELD(rating, "rating");
STRATA_FIELD(reviews, "reviews");

/* The mean rating shrunk towards PRIOR_MEAN as if PRIOR_WEIGHT reviews had given it, so a
 * 5.0 from two reviews does not outrank a 4.8 from five hundred. */
STRATA_EXPORT(bayes_rating)
double bayes_rating(double prior_mean, double prior_weight) {
    double r = strata_get_f64(&rating, prior_mean);
    int64_t count = strata_get_i64(&reviews, 0);
    if (count < 0) count = 0;
    double weight = (double) count + prior_weight;
    if (weight <= 0) return prior_mean;
    return (r * (double) count + prior_mean * prior_weight) / weight;
}

/* out[i] = price[i] * quantity[i], less 5% from 10 items and 15% from 100. */
STRATA_EXPORT(tiered_total)
void tiered_total(int32_t count, const double *price, const int64_t *quantity, double *out) {
    for (int32_t i = 0; i < count; i++) {
        int64_t q = quantity[i];
        double factor = q >= 100 ? 0.85 : q >= 10 ? 0.95 : 1.0;
        out[i] = price[i] * (double) q * factor;
    }
}

STRATA_EXPORT(slug)
strata_string_result slug(const char *ptr, int32_t len) {
    char *out = strata_result_buffer(len);
    int32_t n = 0, pending_dash = 0;
    for (int32_t i = 0; i < len; i++) {
        char c = ptr[i];
        if (c >= 'A' && c <= 'Z') c = (char) (c + 32);
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
            if (pending_dash && n > 0) out[n++] = '-';
            pending_dash = 0;
            out[n++] = c;
        } else {
            pending_dash = 1;
        }
    }
    return strata_result(out, n);
}
