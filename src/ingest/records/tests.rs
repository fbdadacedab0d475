//! Tests of [`super::Records`].

use super::*;

fn all(text: &str, width: usize) -> Vec<(u64, Result<Vec<String>, String>)> {
    read(text, width, false)
}

/// The records of `text` with the header's `width`, which every row must have if `exact`.
fn read(text: &str, width: usize, exact: bool) -> Vec<(u64, Result<Vec<String>, String>)> {
    let mut r = Records::new(text, b',');
    match exact {
        true => r.require_width(width),
        false => r.set_width(width),
    }
    let mut fields = Vec::new();
    let mut out = Vec::new();
    while let Some(item) = r.next(&mut fields) {
        match item {
            Item::Record { line } => {
                out.push((line, Ok(fields.iter().map(|f| f.to_string()).collect())))
            }
            Item::Damaged { line, reason } => out.push((line, Err(reason))),
        }
    }
    out
}

fn lines(text: &str) -> Vec<u64> {
    all(text, 2).into_iter().map(|(l, _)| l).collect()
}

#[test]
fn line_numbers_are_exact_for_lf_crlf_and_cr() {
    assert_eq!(lines("a,b\n1,2\n3,4\n"), [1, 2, 3]);
    assert_eq!(lines("a,b\r\n1,2\r\n3,4\r\n"), [1, 2, 3]);
    assert_eq!(lines("a,b\r1,2\r3,4\r"), [1, 2, 3]);
    assert_eq!(lines("a,b\r\n\r\n1,2\r\n3,4"), [1, 3, 4]);
}

#[test]
fn a_quoted_line_break_keeps_the_cell_and_later_line_numbers() {
    let got = all("a,b\r\n1,\"two\r\nlines\"\r\n3,4\r\n", 2);
    assert_eq!(got[1], (2, Ok(vec!["1".into(), "two\r\nlines".into()])));
    assert_eq!(got[2], (4, Ok(vec!["3".into(), "4".into()])));
}

#[test]
fn doubled_quotes_and_text_after_a_closing_quote_are_kept() {
    let got = all("a,b\n\"say \"\"hi\"\"\",\"x\"y\n", 2);
    assert_eq!(got[1].1, Ok(vec!["say \"hi\"".into(), "xy".into()]));
}

#[test]
fn a_quote_never_closed_costs_only_its_own_line() {
    let got = all("a,b,c\n1,\"oops,3\n4,5,6\n7,8,9\n", 3);
    assert_eq!(got.len(), 4);
    assert!(
        matches!(&got[1], (2, Err(r)) if r.contains("unterminated")),
        "{got:?}"
    );
    assert_eq!(got[2], (3, Ok(vec!["4".into(), "5".into(), "6".into()])));
    assert_eq!(got[3].0, 4);
}

#[test]
fn the_last_line_of_a_cell_closes_it_even_with_commas_like_a_record() {
    let text = "a,b,c,d\n1,\"long text\nwith, two, commas\",x,y\n2,p,q,r\n";
    let got = all(text, 4);
    assert_eq!(got.len(), 3, "{got:?}");
    assert_eq!(
        got[1],
        (
            2,
            Ok(vec![
                "1".into(),
                "long text\nwith, two, commas".into(),
                "x".into(),
                "y".into()
            ])
        )
    );
    assert_eq!(got[2].0, 4);
}

#[test]
fn a_stray_quote_that_swallows_into_a_record_wider_than_the_header_costs_its_own_line() {
    // Any format: line 2's quote closes at line 3's, giving 5 fields where the header has 4.
    let got = all("a,b,c,d\n1,2,3,\"x\n5,6,7,\"m,n\no\"\n", 4);
    assert!(
        matches!(&got[1], (2, Err(r)) if r.contains("(5 where the header has 4)")),
        "{got:?}"
    );
    let three = ["5", "6", "7", "m,n\no"].map(String::from).to_vec();
    assert_eq!(got[2..], [(3, Ok(three))]);
}

#[test]
fn a_stray_quote_that_swallows_the_start_of_a_multi_line_record_costs_its_own_line() {
    // Line 2's quote closes at line 3's, giving 3 fields where the header has 4: line 2
    // alone is given up, and line 3's two-line record is read whole.
    let got = read("a,b,c,d\n1,\"x,y\n2,p,q,\"r,t\ns\"\n3,4,5,6\n", 4, true);
    assert!(
        matches!(&got[1], (2, Err(r)) if r.contains("(3 where the header has 4)")),
        "{got:?}"
    );
    let two = Ok(["2", "p", "q", "r,t\ns"].map(String::from).to_vec());
    assert_eq!(
        got[2..],
        [
            (3, two),
            (5, Ok(["3", "4", "5", "6"].map(String::from).to_vec()))
        ]
    );
}

#[test]
fn a_lone_cr_inside_quotes_of_an_lf_file_is_text() {
    let got = all("a,b\n\"\r=1+1\",x\n3,4\n", 2);
    assert_eq!(got[1], (2, Ok(vec!["\r=1+1".into(), "x".into()])));
    assert_eq!(got[2].0, 3);
}

#[test]
fn two_broken_quotes_on_consecutive_lines_cost_those_two_lines() {
    // Each line opens a quote it never closes; read as CSV the two quotes would pair up
    // into one record of the right width and the second line would vanish.
    let text = "a,b,c\n1,\"x,y\n2,\"z,w\n3,p,q\n";
    let got = all(text, 3);
    assert!(got[1].1.is_err() && got[2].1.is_err(), "{got:?}");
    assert_eq!((got[1].0, got[2].0), (2, 3));
    assert_eq!(got[3], (4, Ok(vec!["3".into(), "p".into(), "q".into()])));
}

#[test]
fn a_quote_closed_far_below_does_not_swallow_the_records_between() {
    let text = "a,b,c\n1,\"oops,3\n4,5,6\n7,\"x, y\",9\n";
    let got = all(text, 3);
    assert!(got[1].1.is_err());
    assert_eq!(got[2], (3, Ok(vec!["4".into(), "5".into(), "6".into()])));
    assert_eq!(got[3], (4, Ok(vec!["7".into(), "x, y".into(), "9".into()])));
}
