//! Where a key sits in the config text, so that errors found after parsing still name the line.

/// The line (1-based) where `key` is set in `[table]` (`table` empty = top level; `key` empty
/// = the table's header line).
pub fn key_line(text: &str, table: &str, key: &str) -> Option<usize> {
    let norm = |s: &str| s.replace(['"', '\'', ' '], "");
    let wanted = norm(table);
    let mut current = String::new();
    for (i, line) in text.lines().enumerate() {
        let l = line.trim();
        if let Some(h) = l.strip_prefix('[') {
            current = norm(h.trim_start_matches('[').trim_end_matches(']'));
            if key.is_empty() && current == wanted {
                return Some(i + 1);
            }
            continue;
        }
        if key.is_empty() || current != wanted {
            continue;
        }
        let name = l.split('=').next().unwrap_or("").trim().trim_matches('"');
        if name == key && l.contains('=') {
            return Some(i + 1);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_found_in_their_tables() {
        let text =
            "timezone = \"UTC\"\n\n[people.ana]\ncapacity = 2\n[inputs.\"a.csv\"]\nteam = \"x\"\n";
        assert_eq!(key_line(text, "", "timezone"), Some(1));
        assert_eq!(key_line(text, "people.ana", "capacity"), Some(4));
        assert_eq!(key_line(text, "inputs.a.csv", ""), Some(5));
        assert_eq!(key_line(text, "people.ben", "capacity"), None);
    }
}
