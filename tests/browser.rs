//! The demo site in a real browser: headless Chromium (Debian's `chromium`, installed by
//! `.ci/run` together with `playwright-core` from `tests/browser/package.json`) opens every page
//! from file:// and fails on console errors, failed or off-site requests, broken links, charts
//! without an accessible name and horizontal overflow at 390 px. Screenshots land in
//! `tests/browser/shots/` (the README's come from there).

use std::path::Path;
use std::process::Command;

use crate::util::*;

#[test]
fn every_page_passes_the_browser_check() {
    let dir = root().join("tests/browser");
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    let node_ok = Command::new("node")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    let ready = node_ok
        && Path::new(&chromium).exists()
        && dir.join("node_modules/playwright-core").exists();
    if !ready {
        let how = "install Debian's chromium and run `npm ci` in tests/browser (.ci/run does both)";
        assert!(
            std::env::var_os("CI").is_none(),
            "browser test cannot run in CI: {how}"
        );
        eprintln!("SKIPPED: the browser test needs node, {chromium} and playwright-core: {how}");
        return;
    }
    let s = Scratch::new("browser");
    let site = s.path("site");
    build_ok(&[&root().join("sample-data")], &site, &[]);
    let out = Command::new("node")
        .arg(dir.join("check.mjs"))
        .arg(&site)
        .arg(dir.join("shots"))
        .env("CHROMIUM", &chromium)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}\n{}", stdout(&out), stderr(&out));
    assert!(stdout(&out).contains("no problems"), "{}", stdout(&out));
}
