//! Text decoding: UTF-8 with or without BOM, UTF-16 with BOM, else Windows-1252.

use std::borrow::Cow;

/// Decodes a file's bytes, returning the text and the name of the encoding used. UTF-8 is
/// taken when the bytes are valid UTF-8; Windows-1252 is the fallback, because it is what
/// Excel and older trackers write on Windows and every byte sequence is valid in it.
pub fn decode(bytes: &[u8]) -> (Cow<'_, str>, &'static str) {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        if let Ok(s) = std::str::from_utf8(rest) {
            return (Cow::Borrowed(s), "UTF-8 (BOM)");
        }
    }
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        let (enc, bom_len) =
            encoding_rs::Encoding::for_bom(bytes).unwrap_or((encoding_rs::UTF_16LE, 2));
        let (text, _) = enc.decode_without_bom_handling(&bytes[bom_len..]);
        return (text, enc.name());
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => (Cow::Borrowed(s), "UTF-8"),
        Err(_) => {
            let (text, _, _) = encoding_rs::WINDOWS_1252.decode(bytes);
            (text, "windows-1252")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_1252_is_the_fallback_and_keeps_accents() {
        let (text, enc) = decode(b"caf\xe9 \x80 5");
        assert_eq!((text.as_ref(), enc), ("café € 5", "windows-1252"));
    }

    #[test]
    fn a_utf8_bom_is_stripped() {
        let (text, enc) = decode("\u{feff}task_id".as_bytes());
        assert_eq!((text.as_ref(), enc), ("task_id", "UTF-8 (BOM)"));
    }

    #[test]
    fn utf16_with_bom_is_decoded() {
        let bytes: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("a,b".encode_utf16().flat_map(|u| u.to_le_bytes()))
            .collect();
        assert_eq!(decode(&bytes).0, "a,b");
    }
}
