//! String interning: events carry small ids instead of owned strings, which keeps a million
//! events in a few dozen megabytes.

use std::collections::HashMap;

/// An interned string id.
pub type Sym = u32;

/// Stores each distinct string once.
#[derive(Debug, Default, Clone)]
pub struct Interner {
    ids: HashMap<String, Sym>,
    strings: Vec<String>,
}

impl Interner {
    /// The id of `s`, adding it on first sight.
    pub fn intern(&mut self, s: &str) -> Sym {
        if let Some(&id) = self.ids.get(s) {
            return id;
        }
        let id = self.strings.len() as Sym;
        self.strings.push(s.to_string());
        self.ids.insert(s.to_string(), id);
        id
    }

    /// The id of `s` if it was interned.
    pub fn get(&self, s: &str) -> Option<Sym> {
        self.ids.get(s).copied()
    }

    /// The string behind an id.
    pub fn resolve(&self, id: Sym) -> &str {
        &self.strings[id as usize]
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
