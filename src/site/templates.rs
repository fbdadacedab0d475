//! Built-in templates, embedded in the binary and overridable by file name from a folder.

use std::path::Path;

use anyhow::{Context, Result};

use crate::model::error::Failure;
use tera::Tera;

/// Prefix of the built-in templates; a user's template of the same name wins.
const BUILTIN: &str = "builtin/";

/// The built-in templates by name.
const TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../../templates/base.html")),
    ("index.html", include_str!("../../templates/index.html")),
    ("team.html", include_str!("../../templates/team.html")),
    ("kpis.html", include_str!("../../templates/kpis.html")),
    (
        "data-quality.html",
        include_str!("../../templates/data-quality.html"),
    ),
    ("tile.html", include_str!("../../templates/tile.html")),
    ("chart.html", include_str!("../../templates/chart.html")),
    ("sparks.html", include_str!("../../templates/sparks.html")),
];

/// Loads the built-ins, then any `*.html` in `dir` as overrides.
pub fn load(dir: Option<&Path>) -> Result<Tera> {
    let mut tera = Tera::new();
    tera.set_fallback_prefixes([BUILTIN])?;
    let mut all: Vec<(String, String)> = TEMPLATES
        .iter()
        .map(|(name, text)| (format!("{BUILTIN}{name}"), text.to_string()))
        .collect();
    if let Some(dir) = dir {
        for (name, _) in TEMPLATES {
            let path = dir.join(name);
            if path.exists() {
                let text = std::fs::read_to_string(&path)
                    .with_context(|| format!("cannot read template {}", path.display()))?;
                all.push((name.to_string(), text));
            }
        }
    }
    tera.register_filter("breakable", |x: &str, _: tera::Kwargs, _: &tera::State| {
        tera::Value::safe_string(&breakable(x))
    });
    tera.add_raw_templates(all).map_err(|e| {
        let mut why = format!("template error: {e}");
        let mut source = std::error::Error::source(&e);
        while let Some(s) = source {
            why.push_str(&format!(": {s}"));
            source = s.source();
        }
        Failure::Usage(why)
    })?;
    Ok(tera)
}

/// `{{ path | breakable }}`: the text escaped for HTML, with a line-break opportunity (`<wbr>`)
/// after each `/`, `-`, `_` and `@`, so a long path, id or e-mail address wraps there on a
/// phone, never inside a word.
pub fn breakable(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for piece in text.split_inclusive(['/', '-', '_', '@']) {
        out.push_str(&crate::chart::escape(piece));
        if piece.ends_with(['/', '-', '_', '@']) {
            out.push_str("<wbr>");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn paths_break_after_slashes_dashes_and_underscores_and_stay_escaped() {
        assert_eq!(
            super::breakable("a/b-c_d <e>"),
            "a/<wbr>b-<wbr>c_<wbr>d &lt;e&gt;"
        );
    }
}
