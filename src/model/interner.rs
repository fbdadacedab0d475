//! String interning: events carry small ids instead of owned strings, and timelines share one
//! reference-counted copy of each name, which keeps a million events in a few hundred megabytes.

use std::sync::Arc;

use rustc_hash::FxHashMap;

/// An interned string id: never zero, so an `Option<Sym>` is four bytes, as small as the id.
pub type Sym = std::num::NonZeroU32;

/// A shared, immutable name (person, team, status): cloning it copies a pointer.
pub type Name = Arc<str>;

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
        let name: Name = Arc::from(s);
        self.strings.push(name.clone());
        self.ids.insert(name, id);
        id
    }

    /// The id of `s` if it was interned.
    pub fn get(&self, s: &str) -> Option<Sym> {
        self.ids.get(s).copied()
    }

    /// The string behind an id.
    pub fn resolve(&self, id: Sym) -> &str {
        &self.strings[id.get() as usize - 1]
    }

    /// A shared copy of the string behind an id.
    pub fn name(&self, id: Sym) -> Name {
        self.strings[id.get() as usize - 1].clone()
    }

    /// Replaces the text behind an id (scrubbing names out of it); the old text no longer
    /// resolves to the id.
    pub fn replace(&mut self, id: Sym, s: &str) {
        let old = self.strings[id.get() as usize - 1].clone();
        if *old == *s {
            return;
        }
        if self.ids.get(&old) == Some(&id) {
            self.ids.remove(&old);
        }
        let name: Name = Arc::from(super::text::clean(s).as_ref());
        self.ids.entry(name.clone()).or_insert(id);
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
