//! Text decoding, per file: UTF-8 (with or without BOM), UTF-16 with BOM, else the single-byte
//! code page the bytes are written in (Windows-1252, -1251, -1250 and the others chardetng
//! knows). A file that is UTF-8 but for a few damaged bytes stays UTF-8, and the lines holding
//! those bytes are reported. `[inputs."file"] encoding` overrides the detection.

use std::borrow::Cow;

use encoding_rs::Encoding;

/// A decoded file.
pub struct Decoded<'a> {
    /// The text.
    pub text: Cow<'a, str>,
    /// Name of the encoding read, as shown on the data-quality page.
    pub encoding: String,
    /// Lines holding bytes that are not valid in the encoding (replaced by U+FFFD).
    pub bad_lines: Vec<u64>,
}

/// Decodes a file's bytes, detecting the encoding unless `forced` names one.
pub fn decode<'a>(bytes: &'a [u8], forced: Option<&'static Encoding>) -> Decoded<'a> {
    if let Some(enc) = forced {
        let body = match Encoding::for_bom(bytes) {
            Some((bom, len)) if bom == enc => &bytes[len..],
            _ => bytes,
        };
        let (text, had_errors) = enc.decode_without_bom_handling(body);
        return decoded(text, format!("{} (configured)", enc.name()), had_errors);
    }
    if let Some((enc, len)) = Encoding::for_bom(bytes) {
        let (text, had_errors) = enc.decode_without_bom_handling(&bytes[len..]);
        let name = if enc == encoding_rs::UTF_8 {
            "UTF-8 (BOM)".to_string()
        } else {
            enc.name().to_string()
        };
        return decoded(text, name, had_errors);
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Decoded {
            text: Cow::Borrowed(s),
            encoding: "UTF-8".into(),
            bad_lines: Vec::new(),
        };
    }
    if mostly_utf8(bytes) {
        let text = String::from_utf8_lossy(bytes);
        let bad_lines = bad_lines_of(&text);
        return Decoded {
            text,
            encoding: "UTF-8".into(),
            bad_lines,
        };
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    let enc = detector.guess(None, chardetng::Utf8Detection::Deny);
    let (text, _, had_errors) = enc.decode(bytes);
    decoded(text, enc.name().to_string(), had_errors)
}

/// A decoded text, with the lines holding replaced bytes when the decoder met any.
fn decoded(text: Cow<'_, str>, encoding: String, had_errors: bool) -> Decoded<'_> {
    let bad_lines = if had_errors {
        bad_lines_of(&text)
    } else {
        Vec::new()
    };
    Decoded {
        text,
        encoding,
        bad_lines,
    }
}

/// An encoding by its label (`windows-1251`, `latin1`, `utf-8`…), for the config.
pub fn encoding_for(label: &str) -> Option<&'static Encoding> {
    Encoding::for_label(label.trim().as_bytes())
}

/// Whether bytes that are not valid UTF-8 are still UTF-8 text with a few damaged bytes: they
/// hold at least as many well-formed multi-byte characters as broken sequences. A legacy
/// code page almost never forms valid UTF-8 sequences by chance.
fn mostly_utf8(bytes: &[u8]) -> bool {
    let (mut good, mut bad) = (0usize, 0usize);
    let mut rest = bytes;
    loop {
        match std::str::from_utf8(rest) {
            Ok(s) => {
                good += s.chars().filter(|c| !c.is_ascii()).count();
                break;
            }
            Err(e) => {
                let valid = &rest[..e.valid_up_to()];
                // Safe: `valid_up_to` marks a prefix that is valid UTF-8.
                good += std::str::from_utf8(valid)
                    .map_or(0, |s| s.chars().filter(|c| !c.is_ascii()).count());
                bad += 1;
                let skip = e.error_len().unwrap_or(rest.len() - e.valid_up_to());
                rest = &rest[e.valid_up_to() + skip.max(1)..];
                if rest.is_empty() {
                    break;
                }
            }
        }
    }
    good > 0 && good >= bad
}

/// Lines (1-based) holding U+FFFD after decoding.
fn bad_lines_of(text: &str) -> Vec<u64> {
    let mut out = Vec::new();
    let mut line = 1u64;
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\n' => line += 1,
            b'\r' if bytes.get(i + 1) != Some(&b'\n') => line += 1,
            0xEF if bytes.get(i + 1..i + 3) == Some(&[0xBF, 0xBD]) => {
                if out.last() != Some(&line) {
                    out.push(line);
                }
                i += 2;
            }
            _ => {}
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn auto(bytes: &[u8]) -> (String, String, Vec<u64>) {
        let d = decode(bytes, None);
        (d.text.into_owned(), d.encoding, d.bad_lines)
    }

    #[test]
    fn windows_1252_is_detected_and_keeps_accents() {
        let (text, enc, _) = auto(b"name\nJos\xe9 Mart\xednez, caf\xe9 \x80 5\n");
        assert_eq!(text, "name\nJosé Martínez, café € 5\n");
        assert_eq!(enc, "windows-1252");
    }

    #[test]
    fn windows_1251_cyrillic_is_detected() {
        let (text, _, enc) = {
            let (t, e, _) = auto(
                &encoding_rs::WINDOWS_1251
                    .encode("имя\nКоманда Альфа, Иван Петров, задача выполнена\n")
                    .0,
            );
            (t, (), e)
        };
        assert_eq!(text, "имя\nКоманда Альфа, Иван Петров, задача выполнена\n");
        assert_eq!(enc, "windows-1251");
    }

    #[test]
    fn a_utf8_file_with_one_bad_byte_stays_utf8_and_names_the_line() {
        let mut bytes = "a,b\nJosé,Müller\nZoë,x".as_bytes().to_vec();
        bytes.extend_from_slice(b"\n\xff,y\n");
        let (text, enc, bad) = auto(&bytes);
        assert_eq!(enc, "UTF-8");
        assert!(text.contains("José") && text.contains("Zoë"), "{text}");
        assert_eq!(bad, [4]);
    }

    #[test]
    fn a_utf8_bom_is_stripped() {
        let (text, enc, _) = auto("\u{feff}task_id".as_bytes());
        assert_eq!((text.as_str(), enc.as_str()), ("task_id", "UTF-8 (BOM)"));
    }

    #[test]
    fn utf16_with_bom_is_decoded() {
        let bytes: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("a,b".encode_utf16().flat_map(|u| u.to_le_bytes()))
            .collect();
        assert_eq!(auto(&bytes).0, "a,b");
    }

    #[test]
    fn a_configured_encoding_wins() {
        let d = decode(b"caf\xe9", encoding_for("latin1"));
        assert_eq!(d.text, "café");
        assert!(d.encoding.contains("configured"), "{}", d.encoding);
    }
}
