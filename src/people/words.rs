//! Whole words of free text, compared as names are: folded a character at a time, with every
//! match mapped back to whole characters of the text.

/// The words of a text: its runs of letters and digits.
pub(super) fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
}

/// The runs of letters and digits of a text, as byte ranges.
pub(super) fn word_spans(text: &str) -> Vec<(usize, usize)> {
    let (mut out, mut start) = (Vec::new(), None);
    for (i, c) in text.char_indices() {
        if c.is_alphanumeric() {
            start.get_or_insert(i);
        } else if let Some(s) = start.take() {
            out.push((s, i));
        }
    }
    out.extend(start.map(|s| (s, text.len())));
    out
}

/// Pushes `c` as names are compared: lower case, without accents or other marks, the final
/// sigma as any other sigma, the dotless `ı` as `i` and `ß` as `ss` — so that `ΚΩΣΤΑΣ` is
/// `Κώστας`, `IŞIK` is `ışık`, `Zoë` is `zoe` and `José` is `jose`.
fn push_folded(out: &mut String, c: char) {
    if c.is_ascii() {
        out.push(c.to_ascii_lowercase());
        return;
    }
    for l in c.to_lowercase() {
        match l {
            'ς' => out.push('σ'),
            'ı' => out.push('i'),
            'ß' => out.push_str("ss"),
            _ => unicode_normalization::char::decompose_canonical(l, |d| {
                if !unicode_normalization::char::is_combining_mark(d) {
                    out.push(d);
                }
            }),
        }
    }
}

/// Whether `c` is written in a script without spaces between words (Chinese, Japanese,
/// Korean): there, a name is a whole word wherever it stands between such characters.
pub(super) fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF // Hiragana, Katakana
        | 0x3400..=0x4DBF // CJK Extension A
        | 0x4E00..=0x9FFF // CJK Unified Ideographs
        | 0xAC00..=0xD7AF // Hangul syllables
        | 0xF900..=0xFAFF // CJK Compatibility Ideographs
        | 0x20000..=0x2FA1F) // CJK Extensions B–F, Compatibility Supplement
}

/// Whether `neighbour`, next to a match whose character at that edge is `edge`, makes the
/// match part of a longer word: a letter or digit does, except a CJK character next to a CJK
/// name.
pub(super) fn joins(edge: Option<char>, neighbour: Option<char>) -> bool {
    is_word(neighbour) && !(neighbour.is_some_and(is_cjk) && edge.is_some_and(is_cjk))
}

/// A name or part as it is compared.
pub(super) fn fold(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    name.chars().for_each(|c| push_folded(&mut out, c));
    out
}

/// A text folded a character at a time, each folded byte remembering where its character
/// starts in the text, so that a match maps back to whole characters even where lower-casing
/// changes their length (`İ` becomes three bytes, `ẞ` two).
pub(super) struct Folded<'a> {
    pub(super) text: &'a str,
    pub(super) hay: String,
    from: Vec<usize>,
}

impl Folded<'_> {
    pub(super) fn new(text: &str) -> Folded<'_> {
        let mut hay = String::with_capacity(text.len());
        let mut from: Vec<usize> = Vec::with_capacity(text.len() + 1);
        for (at, c) in text.char_indices() {
            let start = hay.len();
            push_folded(&mut hay, c);
            from.resize(from.len() + hay.len() - start, at);
        }
        from.push(text.len());
        Folded { text, hay, from }
    }

    /// Every occurrence of `name` (folded) that begins and ends at a character, overlapping
    /// ones too, as byte ranges of the text, left to right. Whether one is a whole word is the
    /// caller's to judge (next to what replaced another name, it may be).
    pub(super) fn find<'s>(&'s self, name: &'s str) -> impl Iterator<Item = (usize, usize)> + 's {
        // Where a folded character begins (a match must begin and end at one).
        let begins = |j: usize| j == 0 || j == self.hay.len() || self.from[j - 1] != self.from[j];
        let mut next = 0;
        std::iter::from_fn(move || {
            if name.is_empty() {
                return None;
            }
            loop {
                let j = next + self.hay.get(next..)?.find(name)?;
                next = j + self.hay[j..].chars().next().map_or(1, char::len_utf8);
                if begins(j) && begins(j + name.len()) {
                    return Some((self.from[j], self.from[j + name.len()]));
                }
            }
        })
    }

    /// Whether the text at `a..b` is a whole word: no letter or digit right before or after.
    #[cfg(test)]
    pub(super) fn whole(&self, a: usize, b: usize) -> bool {
        let (first, last) = (
            self.text[a..].chars().next(),
            self.text[..b].chars().next_back(),
        );
        !joins(first, self.text[..a].chars().next_back())
            && !joins(last, self.text[b..].chars().next())
    }
}

/// Whether a character is part of a word (a letter or a digit).
pub(super) fn is_word(c: Option<char>) -> bool {
    c.is_some_and(char::is_alphanumeric)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whole-word replacement of one name.
    fn replace_words(text: &str, name: &str, with: &str) -> String {
        let folded = Folded::new(text);
        let (mut out, mut last) = (String::new(), 0);
        for (a, b) in folded.find(name) {
            if a < last || !folded.whole(a, b) {
                continue;
            }
            out.push_str(&text[last..a]);
            out.push_str(with);
            last = b;
        }
        out.push_str(&text[last..]);
        out
    }

    /// Whole-word replacement as first written, for texts whose lower-casing keeps the length of
    /// every character.
    fn replace_words_bytewise(text: &str, lower: &str, with: &str) -> String {
        let hay = text.to_lowercase();
        let word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
        let (mut out, mut last) = (String::new(), 0);
        for (i, _) in hay.match_indices(lower) {
            let after = text[i + lower.len()..].chars().next();
            if i < last || word(text[..i].chars().next_back()) || word(after) {
                continue;
            }
            out.push_str(&text[last..i]);
            out.push_str(with);
            last = i + lower.len();
        }
        out.push_str(&text[last..]);
        out
    }

    #[test]
    fn words_are_replaced_whole_and_in_any_case_in_every_script() {
        let cases = [
            ("Ana and ANA, anabel; ana-x", "ana"),
            ("MARÍA maría maríana", "maría"),
            ("o'brien O'BRIEN-fix", "o'brien"),
            ("Σofia σofia", "σofia"),
        ];
        for (text, name) in cases {
            assert_eq!(
                replace_words(text, &fold(name), "[p]"),
                replace_words_bytewise(text, name, "[p]"),
                "{text}"
            );
        }
        // Lower-casing `İ` adds a byte and `ẞ` drops one: the match still maps back to the
        // right characters (this panicked, or replaced inside words, before).
        assert_eq!(
            replace_words("bea] İpekẞtraße bea İpek", "ipek", "[p]"),
            "bea] İpekẞtraße bea [p]"
        );
        assert_eq!(
            replace_words("İpek ẞtraße-bea", "bea", "[p]"),
            "İpek ẞtraße-[p]"
        );
        assert_eq!(replace_words("ẞtraße İ", "ß", "[p]"), "ẞtraße İ");
    }

    #[test]
    fn accents_case_and_scripts_without_spaces_fold_alike() {
        for (text, name) in [
            ("ΟΜΑΔΑ ΚΩΣΤΑΣ", "Κώστας"),
            ("IŞIK TEAM", "Işık"),
            ("Equipo José", "jose"),
            ("Zoë's crew", "Zoe"),
            ("Straße", "STRASSE"),
        ] {
            let folded = Folded::new(text);
            let found: Vec<_> = folded
                .find(&fold(name))
                .filter(|&(a, b)| folded.whole(a, b))
                .collect();
            assert_eq!(found.len(), 1, "{text} {name}");
        }
        // A CJK name stands whole between CJK characters, not inside a Latin word.
        assert_eq!(
            replace_words("王芳组, 审核王芳", &fold("王芳"), "[p]"),
            "[p]组, 审核[p]"
        );
        assert_eq!(replace_words("ab王芳", &fold("王芳"), "[p]"), "ab王芳");
    }
}
