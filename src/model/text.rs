//! Text from the data made safe to show anywhere: control characters never reach a terminal,
//! an HTML page or a TOML file raw.

use std::borrow::Cow;

/// Whether a character must not be shown raw: C0 and C1 controls, DEL, and the bidirectional
/// overrides and isolates that can make text read differently from what it is.
pub fn is_unsafe(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// `s` with line breaks and tabs made spaces and every other unsafe character replaced by
/// U+FFFD; borrowed when there is nothing to replace.
pub fn clean(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_unsafe) {
        return Cow::Borrowed(s);
    }
    Cow::Owned(
        s.chars()
            .map(|c| match c {
                '\t' | '\n' | '\r' => ' ',
                c if is_unsafe(c) => '\u{FFFD}',
                c => c,
            })
            .collect(),
    )
}

/// `s` for a terminal or a log line: like [`clean`], but keeping line breaks of multi-line
/// messages.
pub fn for_terminal(s: &str) -> Cow<'_, str> {
    if !s.chars().any(|c| c != '\n' && is_unsafe(c)) {
        return Cow::Borrowed(s);
    }
    Cow::Owned(
        s.chars()
            .map(|c| match c {
                '\n' => '\n',
                '\t' | '\r' => ' ',
                c if is_unsafe(c) => '\u{FFFD}',
                c => c,
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_sequences_nul_and_bidi_overrides_are_replaced() {
        let cases = [
            ("ana\x1b[31m", "ana\u{FFFD}[31m"),
            ("a\0b\u{9b}c", "a\u{FFFD}b\u{FFFD}c"),
            ("abc\u{202E}def", "abc\u{FFFD}def"),
            ("two\nlines\tand tab", "two lines and tab"),
        ];
        for (raw, shown) in cases {
            assert_eq!(clean(raw), shown);
        }
        assert!(matches!(clean("José Müller"), Cow::Borrowed(_)));
        assert_eq!(for_terminal("a\nb\x1b"), "a\nb\u{FFFD}");
    }
}
