// Opens every page of a built teampulse site from file:// in headless Chromium, at 1280 px and
// at 390 px, and fails on console errors, failed or off-site requests, broken links, charts
// without an accessible name, and, on a phone (every <details> open), horizontal overflow and
// any word broken inside itself across lines. Saves screenshots.
//
// Usage: node check.mjs SITE_DIR SHOTS_DIR
import { chromium } from "playwright-core";
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL, fileURLToPath } from "node:url";

const [siteDir, shotsDir] = process.argv.slice(2).map((p) => path.resolve(p));
const executablePath = process.env.CHROMIUM || "/usr/bin/chromium";

function pages(dir) {
  const out = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...pages(p));
    else if (entry.name.endsWith(".html")) out.push(p);
  }
  return out.sort();
}

const failures = [];
const fail = (page, what) => failures.push(`${path.relative(siteDir, page)}: ${what}`);

const browser = await chromium.launch({
  executablePath,
  args: [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
  ],
});
fs.mkdirSync(shotsDir, { recursive: true });
const all = pages(siteDir);
for (const file of all) {
  for (const width of [1280, 390]) {
    const context = await browser.newContext({ viewport: { width, height: 900 } });
    const page = await context.newPage();
    page.on("console", (msg) => { if (msg.type() === "error") fail(file, `console error at ${width}px: ${msg.text()}`); });
    page.on("pageerror", (err) => fail(file, `script error at ${width}px: ${err.message}`));
    page.on("request", (req) => { if (!req.url().startsWith("file://")) fail(file, `off-site request: ${req.url()}`); });
    page.on("requestfailed", (req) => fail(file, `failed request: ${req.url()} (${req.failure()?.errorText})`));
    await page.goto(pathToFileURL(file).href, { waitUntil: "load" });

    if (width === 390) {
      // Every <details> open, as a reader would open them.
      await page.evaluate(() => document.querySelectorAll("details").forEach((d) => { d.open = true; }));
      // No word broken inside itself: each run of letters between spaces and the characters a
      // long path may break at (/ - _ @ and dashes) sits on one line.
      const broken = await page.evaluate(() => {
        const out = [];
        const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          if (node.parentElement.closest("svg, script, style")) continue;
          const re = /[^\s\/\-_@\u2013\u2014]{2,}/g;
          for (let m = re.exec(node.data); m; m = re.exec(node.data)) {
            const range = document.createRange();
            range.setStart(node, m.index);
            range.setEnd(node, m.index + m[0].length);
            const lines = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.bottom)));
            if (lines.size > 1) out.push(m[0]);
          }
        }
        return out;
      });
      if (broken.length) fail(file, `${broken.length} word(s) broken across lines at 390px: ${broken.slice(0, 8).join(", ")}`);
      const overflow = await page.evaluate(() => {
        const limit = document.documentElement.clientWidth + 1;
        if (document.documentElement.scrollWidth <= limit) return null;
        const wide = [...document.querySelectorAll("body *")]
          .filter((e) => e.getBoundingClientRect().right > limit && !e.closest(".table-scroll"))
          .map((e) => `${e.tagName.toLowerCase()}${e.className ? "." + String(e.className).split(" ")[0] : ""}`);
        return `${document.documentElement.scrollWidth}px wide (${[...new Set(wide)].slice(0, 5).join(", ")})`;
      });
      if (overflow) fail(file, `horizontal overflow at 390px: ${overflow}`);
    } else {
      const problems = await page.evaluate(() => {
        const out = [];
        for (const svg of document.querySelectorAll("svg")) {
          if (svg.getAttribute("aria-hidden") === "true") continue;
          const ids = (svg.getAttribute("aria-labelledby") || "").split(/\s+/).filter(Boolean);
          const name = ids.map((id) => document.getElementById(id)?.textContent?.trim() || "").join(" ").trim()
            || svg.getAttribute("aria-label") || "";
          if (svg.getAttribute("role") !== "img" || !name) out.push(`chart without an accessible name: ${svg.id || "(no id)"}`);
        }
        for (const svg of document.querySelectorAll("svg[role=img]")) {
          const ids = (svg.getAttribute("aria-labelledby") || "").split(/\s+/).filter(Boolean);
          if (ids.length < 2 || !document.getElementById(ids[1])?.textContent?.trim()) out.push(`chart without a description: ${svg.id}`);
        }
        for (const el of document.querySelectorAll("[tabindex]")) {
          if (Number(el.getAttribute("tabindex")) > 0) out.push(`positive tabindex on ${el.tagName}`);
        }
        const seen = new Set();
        for (const el of document.querySelectorAll("[id]")) {
          if (seen.has(el.id)) out.push(`duplicate id ${el.id}`);
          seen.add(el.id);
        }
        const links = [...document.querySelectorAll("a[href]")].map((a) => a.getAttribute("href"));
        return { out, links };
      });
      problems.out.forEach((p) => fail(file, p));
      // Keyboard: the first Tab lands on the skip link, which leads to the content.
      await page.keyboard.press("Tab");
      const first = await page.evaluate(() => document.activeElement?.getAttribute("href"));
      if (first !== "#main") fail(file, `first Tab goes to ${first}, not the skip link`);
      // Dark mode and print follow the page's CSS.
      await page.emulateMedia({ colorScheme: "dark" });
      const dark = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      if (dark === "rgb(255, 255, 255)") fail(file, "no dark mode: the background stays white");
      await page.screenshot({ path: path.join(shotsDir, `${path.relative(siteDir, file).replace(/[\\/]/g, "_").replace(/\.html$/, "")}-dark.png`) });
      await page.emulateMedia({ media: "print", colorScheme: "light" });
      const navShown = await page.evaluate(() => getComputedStyle(document.querySelector("header.top")).display !== "none");
      if (navShown) fail(file, "the site navigation is printed");
      // Printed, every <details> shows its content and no chart is split across pages.
      const print = await page.evaluate(() => {
        const hidden = [...document.querySelectorAll("details")].filter((d) => {
          const body = [...d.children].find((e) => e.tagName !== "SUMMARY");
          return body && !body.checkVisibility();
        }).length;
        const split = [...document.querySelectorAll(".chart-box")]
          .filter((b) => getComputedStyle(b).breakInside !== "avoid").length;
        return { hidden, split };
      });
      if (print.hidden) fail(file, `${print.hidden} <details> stay closed when printed`);
      if (print.split) fail(file, `${print.split} chart(s) may be split across printed pages`);
      await page.emulateMedia({ media: "screen" });
      for (const href of problems.links) {
        const url = new URL(href, pathToFileURL(file));
        if (url.protocol !== "file:") { fail(file, `off-site link ${href}`); continue; }
        const target = fileURLToPath(url);
        if (!fs.existsSync(target)) { fail(file, `broken link ${href}`); continue; }
        if (url.hash && target.endsWith(".html")) {
          const html = fs.readFileSync(target, "utf8");
          if (!html.includes(`id="${decodeURIComponent(url.hash.slice(1))}"`)) fail(file, `broken anchor ${href}`);
        }
      }
    }
    const rel = path.relative(siteDir, file).replace(/[\\/]/g, "_").replace(/\.html$/, "");
    await page.screenshot({ path: path.join(shotsDir, `${rel}-${width}.png`), fullPage: width === 390 ? false : true });
    await context.close();
  }
}
await browser.close();
if (failures.length) {
  console.error(failures.join("\n"));
  console.error(`${failures.length} problem(s) in ${all.length} pages`);
  process.exit(1);
}
console.log(`browser check: ${all.length} pages at 1280 and 390 px, no problems`);
