//! Thinner SVG: plotters writes every style attribute on every element. This pass drops what
//! draws nothing (`opacity="1"`, a stroke width without a stroke), rounds font sizes to two
//! decimals, puts the style shared by consecutive elements on one `<g>` around them, and
//! writes runs of opaque unfilled polylines as one path, so a scatter of 600 dots or a
//! histogram of 300 bars costs about half the bytes and draws the same (but for the font
//! sizes' third decimal). Text and attribute values pass through as written.

/// Attributes that inherit from a `<g>` to its children (and mean the same there).
const STYLE: &[&str] = &[
    "fill",
    "fill-opacity",
    "stroke",
    "stroke-opacity",
    "stroke-width",
    "font-family",
    "font-size",
    "font-weight",
    "font-style",
    "text-anchor",
];

/// One element: its tag, geometry attributes, style attributes and text (for `<text>`).
struct Element {
    tag: String,
    own: Vec<(String, String)>,
    style: Vec<(String, String)>,
    text: Option<String>,
}

/// An element, or a line kept as it is.
enum Item {
    Element(Element),
    Raw(String),
}

/// The thinned body of a plotters SVG (everything after its opening `<svg …>` tag). Lines it
/// does not recognise are kept as they are.
pub fn thin(body: &str) -> String {
    let mut items = read(body);
    untangle(&mut items);
    let mut out = String::with_capacity(body.len() / 2);
    let mut run: Vec<&Element> = Vec::new();
    for item in &items {
        match item {
            Item::Element(e) => {
                if run.first().is_some_and(|f| f.style != e.style) {
                    flush(&mut run, &mut out);
                }
                run.push(e);
            }
            Item::Raw(line) => {
                flush(&mut run, &mut out);
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    flush(&mut run, &mut out);
    out
}

fn read(body: &str) -> Vec<Item> {
    let mut items = Vec::new();
    let mut lines = body.lines();
    while let Some(line) = lines.next() {
        if line.is_empty() {
            continue;
        }
        if let Some(open) = line.strip_prefix('<').and_then(|l| l.strip_suffix("/>")) {
            if let Some(e) = parse(open, None) {
                items.push(Item::Element(e));
                continue;
            }
        } else if line.starts_with("<text ") && line.ends_with('>') {
            let mut text: Vec<&str> = Vec::new();
            let mut closed = false;
            for l in lines.by_ref() {
                if l == "</text>" {
                    closed = true;
                    break;
                }
                text.push(l);
            }
            let parsed = closed
                .then(|| parse(&line[1..line.len() - 1], Some(text.join("\n"))))
                .flatten();
            match parsed {
                Some(e) => items.push(Item::Element(e)),
                // Not the shape plotters writes: kept as it is.
                None => items.extend(
                    std::iter::once(line)
                        .chain(text)
                        .chain(closed.then_some("</text>"))
                        .map(|l| Item::Raw(l.to_string())),
                ),
            }
            continue;
        }
        items.push(Item::Raw(line.to_string()));
    }
    items
}

/// An element's style, and whether it is text.
type Key = (Vec<(String, String)>, bool);

/// Axis ticks come as tick mark, label, tick mark, label…: two styles taking turns, which no
/// group can share. Such a stretch (four or more elements, one of the two styles text) is put
/// in order as all the marks, then all the labels: text ends up drawn over marks it might
/// overlap, which in these charts (ticks, legends, cell numbers) is where it belongs.
fn untangle(items: &mut [Item]) {
    let style = |i: &Item| match i {
        Item::Element(e) => Some((e.style.clone(), e.text.is_some())),
        Item::Raw(_) => None,
    };
    let keys: Vec<Option<Key>> = items.iter().map(style).collect();
    let mut start = 0;
    while start + 3 < keys.len() {
        let (Some(a), Some(b)) = (&keys[start], &keys[start + 1]) else {
            start += 1;
            continue;
        };
        if a.0 == b.0 || a.1 == b.1 {
            start += 1;
            continue;
        }
        let mut end = start + 2;
        while end < keys.len() && keys[end].as_ref() == keys[end - 2].as_ref() {
            end += 1;
        }
        if end - start >= 4 {
            // Stable: marks first, then texts, each in their own order.
            items[start..end].sort_by_key(|i| matches!(i, Item::Element(e) if e.text.is_some()));
        }
        start = end.max(start + 1);
    }
}

/// `tag a="1" b="2"` (with its text, for `<text>`), or `None` when it is not that shape.
fn parse(open: &str, text: Option<String>) -> Option<Element> {
    let (tag, mut rest) = open.split_once(' ')?;
    if !tag.chars().all(|c| c.is_ascii_alphabetic()) {
        return None;
    }
    let mut attrs: Vec<(String, String)> = Vec::new();
    loop {
        rest = rest.trim_start();
        if rest.is_empty() {
            break;
        }
        let (key, after) = rest.split_once("=\"")?;
        let (value, after) = after.split_once('"')?;
        attrs.push((key.to_string(), value.to_string()));
        rest = after;
    }
    let get = |k: &str| attrs.iter().find(|(a, _)| a == k).map(|(_, v)| v.as_str());
    let no_stroke = get("stroke").is_none_or(|s| s == "none");
    // SVG fills by default (black): only lines never have a fill.
    let no_fill = get("fill") == Some("none")
        || (matches!(tag, "line" | "polyline") && get("fill").is_none());
    // `opacity` on a `<g>` would fade the group as one layer; on the children it is the fill's
    // (or the stroke's) opacity when the element has only one of them and no opacity of its
    // own for it.
    let opacity = match get("opacity") {
        None | Some("1") => None,
        Some(o) if no_stroke && get("fill-opacity").is_none() => {
            Some(("fill-opacity", o.to_string()))
        }
        Some(o) if no_fill && get("stroke-opacity").is_none() => {
            Some(("stroke-opacity", o.to_string()))
        }
        Some(o) => Some(("opacity", o.to_string())),
    };
    let mut own = Vec::new();
    let mut style = Vec::new();
    for (key, value) in &attrs {
        match key.as_str() {
            "opacity" => {}
            "stroke-width" if no_stroke => {}
            "font-size" => style.push((key.clone(), round(value))),
            "points" => own.push((key.clone(), value.trim_end().to_string())),
            k if STYLE.contains(&k) => style.push((key.clone(), value.clone())),
            _ => own.push((key.clone(), value.clone())),
        }
    }
    match opacity {
        Some(("opacity", o)) => own.push(("opacity".into(), o)),
        Some((k, o)) => style.push((k.into(), o)),
        None => {}
    }
    style.sort();
    Some(Element {
        tag: tag.to_string(),
        own,
        style,
        text,
    })
}

/// A number with at most two decimals, without trailing zeros.
fn round(value: &str) -> String {
    match value.parse::<f64>() {
        Ok(v) => {
            let s = format!("{v:.2}");
            s.trim_end_matches('0').trim_end_matches('.').to_string()
        }
        Err(_) => value.to_string(),
    }
}

fn attrs(out: &mut String, attrs: &[(String, String)]) {
    for (k, v) in attrs {
        out.push(' ');
        out.push_str(k);
        out.push_str("=\"");
        out.push_str(v);
        out.push('"');
    }
}

fn element(out: &mut String, e: &Element, with_style: bool) {
    out.push('<');
    out.push_str(&e.tag);
    attrs(out, &e.own);
    if with_style {
        attrs(out, &e.style);
    }
    match &e.text {
        Some(t) => {
            out.push('>');
            out.push_str(t);
            out.push_str("</");
            out.push_str(&e.tag);
            out.push_str(">\n");
        }
        None => out.push_str("/>\n"),
    }
}

/// A polyline drawing only an opaque stroke, with no attribute but its points: several are one
/// path of many parts (translucent ones are not, as their overlaps would no longer darken).
fn open_line(e: &Element) -> bool {
    e.tag == "polyline"
        && e.own.len() == 1
        && e.own[0].0 == "points"
        && e.style.iter().any(|(k, v)| k == "fill" && v == "none")
        && !e.style.iter().any(|(k, _)| k == "stroke-opacity")
}

/// Writes a run of elements of one style: on a `<g>` when there are several.
fn flush(run: &mut Vec<&Element>, out: &mut String) {
    match run.len() {
        0 => {}
        1 => element(out, run[0], true),
        _ if run.iter().all(|e| open_line(e)) => {
            // Unfilled polylines of one style (tick marks, dashes): one path of many parts.
            let mut d = String::new();
            for e in run.iter() {
                for (i, point) in e.own[0].1.split_whitespace().enumerate() {
                    d.push(if i == 0 { 'M' } else { 'L' });
                    d.push_str(&point.replace(',', " "));
                }
            }
            out.push_str("<path d=\"");
            out.push_str(&d);
            out.push('"');
            attrs(out, &run[0].style);
            out.push_str("/>\n");
        }
        _ => {
            out.push_str("<g");
            attrs(out, &run[0].style);
            out.push_str(">\n");
            for e in run.iter() {
                element(out, e, false);
            }
            out.push_str("</g>\n");
        }
    }
    run.clear();
}

#[cfg(test)]
mod tests {
    use super::thin;

    #[test]
    fn shared_style_moves_to_a_group_and_nothing_drawn_changes() {
        let body = "<rect x=\"0\" y=\"0\" width=\"9\" height=\"9\" opacity=\"1\" fill=\"#FFFFFF\" stroke=\"none\"/>\n\
<circle cx=\"1\" cy=\"2\" r=\"4\" opacity=\"0.55\" fill=\"#1F5FA8\" stroke=\"none\" stroke-width=\"1\"/>\n\
<circle cx=\"3\" cy=\"4\" r=\"5\" opacity=\"0.55\" fill=\"#1F5FA8\" stroke=\"none\" stroke-width=\"1\"/>\n\
<polyline fill=\"none\" opacity=\"0.5\" stroke=\"#000000\" stroke-width=\"2\" points=\"1,2 3,4 \"/>\n\
<text x=\"12\" y=\"16\" dy=\"0.76em\" text-anchor=\"middle\" font-family=\"sans-serif\" font-size=\"10.483870967741936\" opacity=\"1\" fill=\"#333333\">\n\
a &amp; b\n\
</text>\n";
        assert_eq!(
            thin(body),
            "<rect x=\"0\" y=\"0\" width=\"9\" height=\"9\" fill=\"#FFFFFF\" stroke=\"none\"/>\n\
<g fill=\"#1F5FA8\" fill-opacity=\"0.55\" stroke=\"none\">\n\
<circle cx=\"1\" cy=\"2\" r=\"4\"/>\n\
<circle cx=\"3\" cy=\"4\" r=\"5\"/>\n\
</g>\n\
<polyline points=\"1,2 3,4\" fill=\"none\" stroke=\"#000000\" stroke-opacity=\"0.5\" stroke-width=\"2\"/>\n\
<text x=\"12\" y=\"16\" dy=\"0.76em\" fill=\"#333333\" font-family=\"sans-serif\" font-size=\"10.48\" text-anchor=\"middle\">a &amp; b</text>\n"
        );
    }

    #[test]
    fn tick_marks_and_their_labels_are_grouped_apart() {
        let mark = |y: u32| {
            format!("<polyline fill=\"none\" opacity=\"1\" stroke=\"#000000\" stroke-width=\"1\" points=\"50,{y} 55,{y} \"/>\n")
        };
        let label = |y: u32| {
            format!("<text x=\"46\" y=\"{y}\" opacity=\"1\" fill=\"#333333\">\n{y}\n</text>\n")
        };
        let body: String = [10, 20].iter().map(|&y| mark(y) + &label(y)).collect();
        assert_eq!(
            thin(&body),
            "<path d=\"M50 10L55 10M50 20L55 20\" fill=\"none\" stroke=\"#000000\" stroke-width=\"1\"/>\n\
<g fill=\"#333333\">\n<text x=\"46\" y=\"10\">10</text>\n<text x=\"46\" y=\"20\">20</text>\n</g>\n"
        );
    }

    #[test]
    fn lines_it_does_not_know_are_kept() {
        assert_eq!(thin("<foo\nbar\n"), "<foo\nbar\n");
        assert_eq!(
            thin("<text x=\"1\" bogus>\nhi\n</text>\n"),
            "<text x=\"1\" bogus>\nhi\n</text>\n"
        );
        assert_eq!(thin("<text x=\"1\">\nno end\n"), "<text x=\"1\">\nno end\n");
    }
}
