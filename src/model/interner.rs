//! String interning: events carry small ids instead of owned strings, and timelines share one
//! copy of each name, kept for the whole run, which keeps a million events in a few hundred
//! megabytes.

use rustc_hash::FxHashMap;

/// An interned string id: never zero, so an `Option<Sym>` is four bytes, as small as the id.
pub type Sym = std::num::NonZeroU32;

/// A shared, immutable name (person, team, status), kept for the rest of the run: copying it
/// copies a pointer and a length. Names are made once per distinct text (by an [`Interner`],
/// or from parts of an interned text; a displayed name, a scrubbed label or a config name once
/// per batch of an evaluation), so what is kept is bounded by the distinct texts of the inputs
/// and the config, never by the events; the run ends soon after its names are last read. A
/// reference-counted name cost an atomic write on every copy and drop, and two evaluations on
/// two cores wrote the same counts.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Name(&'static str);

impl Name {
    /// `text` kept for the rest of the run. For a text seen once per distinct value (an
    /// interner, a display name per person), never once per event.
    pub fn keep(text: &str) -> Name {
        Name(Box::leak(text.into()))
    }

    /// The text, for as long as the run.
    pub fn text(self) -> &'static str {
        self.0
    }
}

/// A part of a kept text (a [`Name::text`]) is a name without a copy.
impl From<&'static str> for Name {
    fn from(text: &'static str) -> Name {
        Name(text)
    }
}

impl std::ops::Deref for Name {
    type Target = str;
    fn deref(&self) -> &str {
        self.0
    }
}

impl AsRef<str> for Name {
    fn as_ref(&self) -> &str {
        self.0
    }
}

impl std::borrow::Borrow<str> for Name {
    fn borrow(&self) -> &str {
        self.0
    }
}

impl std::fmt::Debug for Name {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.0, f)
    }
}

impl std::fmt::Display for Name {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0)
    }
}

impl serde::Serialize for Name {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.0)
    }
}

/// Stores each distinct string once.
#[derive(Debug, Default, Clone)]
pub struct Interner {
    ids: FxHashMap<Name, Sym>,
    strings: Vec<Name>,
}

impl Interner {
    /// The id of `s`, adding it on first sight. Control characters are replaced on the way in
    /// (see [`super::text::clean`]): nothing interned can reach a terminal or a page raw.
    pub fn intern(&mut self, s: &str) -> Sym {
        if let Some(&id) = self.ids.get(s) {
            return id;
        }
        if let std::borrow::Cow::Owned(clean) = super::text::clean(s) {
            return self.intern(&clean);
        }
        // Ids start at 1 (index + 1): zero is the niche that keeps `Option<Sym>` small.
        let id = Sym::new(self.strings.len() as u32 + 1).expect("fewer than 4 billion strings");
        let name = Name::keep(s);
        self.strings.push(name);
        self.ids.insert(name, id);
        id
    }

    /// The id of `s` if it was interned.
    pub fn get(&self, s: &str) -> Option<Sym> {
        self.ids.get(s).copied()
    }

    /// The string behind an id.
    pub fn resolve(&self, id: Sym) -> &'static str {
        self.strings[id.get() as usize - 1].text()
    }

    /// A shared copy of the string behind an id.
    pub fn name(&self, id: Sym) -> Name {
        self.strings[id.get() as usize - 1]
    }

    /// A new id for the text behind `id`, to be replaced on its own (the text still resolves
    /// to `id`).
    pub fn copy(&mut self, id: Sym) -> Sym {
        let copy = Sym::new(self.strings.len() as u32 + 1).expect("fewer than 4 billion strings");
        self.strings.push(self.strings[id.get() as usize - 1]);
        copy
    }

    /// Replaces the text behind an id (scrubbing names out of it); the old text no longer
    /// resolves to the id.
    pub fn replace(&mut self, id: Sym, s: &str) {
        let old = self.strings[id.get() as usize - 1];
        if *old == *s {
            return;
        }
        if self.ids.get(&old) == Some(&id) {
            self.ids.remove(&old);
        }
        let name = Name::keep(&super::text::clean(s));
        self.ids.entry(name).or_insert(id);
        self.strings[id.get() as usize - 1] = name;
    }

    /// How many distinct strings are stored.
    pub fn len(&self) -> usize {
        self.strings.len()
    }

    /// Whether nothing is stored.
    pub fn is_empty(&self) -> bool {
        self.strings.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_reads_sorts_and_serialises_as_its_text() {
        let mut strings = Interner::default();
        let (b, a) = (strings.intern("Bea"), strings.intern("Ana"));
        let (b, a) = (strings.name(b), strings.name(a));
        assert!(a < b);
        assert_eq!(&*b, "Bea");
        assert_eq!(format!("{b} {b:?}"), "Bea \"Bea\"");
        assert_eq!(serde_json::to_string(&[a, b]).unwrap(), r#"["Ana","Bea"]"#);
        // Interned once: the same text is the same name, from the same memory.
        let id = strings.intern("Bea");
        let again = strings.name(id);
        assert_eq!(again, b);
        assert!(std::ptr::eq(again.text(), b.text()));
        // A part of an interned text is a name too, with no copy.
        let part = Name::from(&b.text()[1..]);
        assert_eq!(&*part, "ea");
        assert!(std::ptr::eq(part.text().as_ptr(), b.text()[1..].as_ptr()));
    }
}
