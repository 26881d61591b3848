//! `report.html`: `report.md` as one self-contained page — its pictures inlined as SVG, a style
//! sheet and a few lines of script that sort any table by a clicked column. Nothing is fetched
//! from the network.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd, html};
use std::collections::BTreeMap;

/// The page for `markdown`; `pictures` maps a picture's file name (as the Markdown links it) to
/// its SVG text. A picture not in the map stays a link.
pub fn trade_off_html(title: &str, markdown: &str, pictures: &BTreeMap<String, String>) -> String {
    let mut events: Vec<Event<'_>> = Vec::new();
    let mut skipping_alt = false;
    for event in Parser::new_ext(markdown, Options::ENABLE_TABLES) {
        match event {
            Event::Start(Tag::Image { dest_url, .. }) => match pictures.get(dest_url.as_ref()) {
                Some(svg) => {
                    events.push(Event::Html(
                        format!("<figure class=\"graph\">{}</figure>", strip_prolog(svg)).into(),
                    ));
                    skipping_alt = true;
                }
                None => events.push(Event::Start(Tag::Link {
                    link_type: pulldown_cmark::LinkType::Inline,
                    dest_url,
                    title: "".into(),
                    id: "".into(),
                })),
            },
            Event::End(TagEnd::Image) if skipping_alt => skipping_alt = false,
            Event::End(TagEnd::Image) => events.push(Event::End(TagEnd::Link)),
            _ if skipping_alt => {}
            other => events.push(other),
        }
    }
    let mut body = String::new();
    html::push_html(&mut body, events.into_iter());
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n{body}</main>\n<script>{SCRIPT}</script>\n</body>\n</html>\n",
        escape(title)
    )
}

/// An SVG from Graphviz starts with an XML declaration and a doctype, which HTML does not want.
fn strip_prolog(svg: &str) -> &str {
    svg.find("<svg").map_or(svg, |i| svg[i..].trim_end())
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

const STYLE: &str = r#"
body { margin: 0; background: #f8fafc; color: #0f172a;
  font: 15px/1.5 -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; }
main { max-width: 1180px; margin: 0 auto; padding: 24px 32px 64px; background: #fff;
  box-shadow: 0 0 0 1px #e2e8f0; }
h1 { font-size: 26px; margin-top: 8px; }
h2 { font-size: 20px; margin-top: 36px; border-bottom: 1px solid #e2e8f0; padding-bottom: 4px; }
h3 { font-size: 17px; margin-top: 28px; }
code { font: 13px/1.4 ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace;
  background: #f1f5f9; padding: 1px 4px; border-radius: 3px; }
pre { background: #f1f5f9; padding: 8px 12px; overflow-x: auto; }
pre code { padding: 0; }
blockquote { margin: 16px 0; padding: 8px 16px; background: #fef2f2; border-left: 4px solid #dc2626; }
table { border-collapse: collapse; margin: 12px 0; font-size: 14px; display: block; overflow-x: auto; }
th, td { border: 1px solid #e2e8f0; padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: #f1f5f9; cursor: pointer; user-select: none; white-space: nowrap; }
th.sorted-asc::after { content: " \25B2"; font-size: 10px; }
th.sorted-desc::after { content: " \25BC"; font-size: 10px; }
tr:nth-child(even) td { background: #fafafa; }
figure.graph { margin: 12px 0; overflow-x: auto; border: 1px solid #e2e8f0; border-radius: 6px;
  padding: 8px; background: #fff; }
figure.graph svg { max-width: 100%; height: auto; display: block; margin: 0 auto; cursor: zoom-in; }
figure.graph.full svg { max-width: none; cursor: zoom-out; }
a { color: #1d4ed8; }
"#;

/// Click a picture to see it at full size (a wide graph is shrunk to the page); click a header
/// to sort its table by that column; numbers sort as numbers ("0.39 s (12.5%)"
/// sorts by 0.39), everything else as text. A second click reverses.
const SCRIPT: &str = r#"
(function () {
  document.querySelectorAll("figure.graph").forEach(function (figure) {
    figure.title = "click to see the picture at full size";
    figure.addEventListener("click", function () { figure.classList.toggle("full"); });
  });
  function key(cell) {
    var text = cell.textContent.trim();
    var m = text.match(/^[-+]?\d+(\.\d+)?/);
    return m ? [0, parseFloat(m[0]), text] : [1, 0, text.toLowerCase()];
  }
  function compare(a, b) {
    if (a[0] !== b[0]) return a[0] - b[0];
    if (a[0] === 0 && a[1] !== b[1]) return a[1] - b[1];
    return a[2] < b[2] ? -1 : a[2] > b[2] ? 1 : 0;
  }
  document.querySelectorAll("table").forEach(function (table) {
    var headers = table.querySelectorAll("thead th");
    headers.forEach(function (th, column) {
      th.title = "sort by this column";
      th.addEventListener("click", function () {
        var body = table.tBodies[0];
        if (!body) return;
        var ascending = !th.classList.contains("sorted-asc");
        headers.forEach(function (h) { h.classList.remove("sorted-asc", "sorted-desc"); });
        th.classList.add(ascending ? "sorted-asc" : "sorted-desc");
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var c = compare(key(a.cells[column]), key(b.cells[column]));
          return ascending ? c : -c;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
  });
})();
"#;
