//! sitemap.xml and the Atom feed, written directly (they have no look to theme).

use crate::config::SiteConfig;
use crate::site::Site;

/// How many of the most recently reviewed or effective entries the feed carries.
const FEED_ENTRIES: usize = 50;

pub(crate) fn escape_xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            _ => out.push(c),
        }
    }
    out
}

pub(super) fn sitemap(config: &SiteConfig, urls: &[(String, Option<String>)]) -> String {
    let mut out = String::with_capacity(urls.len() * 100 + 200);
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str("<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for (url, lastmod) in urls {
        out.push_str("  <url><loc>");
        out.push_str(&escape_xml(&config.permalink(url)));
        out.push_str("</loc>");
        if let Some(d) = lastmod {
            out.push_str("<lastmod>");
            out.push_str(d);
            out.push_str("</lastmod>");
        }
        out.push_str("</url>\n");
    }
    out.push_str("</urlset>\n");
    out
}

/// Entries newest first by `reviewed`, else `effective`; entries with neither are
/// not news and stay out of the feed.
pub(super) fn atom(site: &Site) -> String {
    let c = &site.config;
    let mut dated: Vec<(jiff::civil::Date, usize)> = site
        .entries
        .iter()
        .enumerate()
        .filter_map(|(i, n)| {
            let p = n.entry.policy()?;
            p.reviewed.or(p.effective).map(|d| (d, i))
        })
        .collect();
    dated.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    dated.truncate(FEED_ENTRIES);
    let updated = dated.first().map_or(site.today, |d| d.0);
    let stamp = |d: jiff::civil::Date| format!("{d}T00:00:00+08:00");
    let mut out = String::new();
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str("<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"zh-CN\">\n");
    out.push_str(&format!("  <title>{}</title>\n", escape_xml(&c.title)));
    if let Some(d) = &c.description {
        out.push_str(&format!("  <subtitle>{}</subtitle>\n", escape_xml(d)));
    }
    out.push_str(&format!(
        "  <link href=\"{}\" rel=\"self\" type=\"application/atom+xml\"/>\n",
        escape_xml(&c.permalink("/atom.xml"))
    ));
    out.push_str(&format!(
        "  <link href=\"{}\"/>\n",
        escape_xml(&c.permalink("/"))
    ));
    out.push_str(&format!("  <id>{}</id>\n", escape_xml(&c.permalink("/"))));
    out.push_str(&format!("  <updated>{}</updated>\n", stamp(updated)));
    out.push_str(&format!(
        "  <author><name>{}</name></author>\n",
        escape_xml(c.publisher.as_deref().unwrap_or(&c.region))
    ));
    out.push_str(&format!(
        "  <generator>mingbai {}</generator>\n",
        env!("CARGO_PKG_VERSION")
    ));
    for (date, i) in dated {
        let n = &site.entries[i];
        let link = c.permalink(&n.url);
        out.push_str("  <entry>\n");
        out.push_str(&format!(
            "    <title>{}</title>\n",
            escape_xml(&n.entry.title)
        ));
        out.push_str(&format!("    <link href=\"{}\"/>\n", escape_xml(&link)));
        out.push_str(&format!("    <id>{}</id>\n", escape_xml(&link)));
        out.push_str(&format!("    <updated>{}</updated>\n", stamp(date)));
        out.push_str(&format!(
            "    <summary>{}</summary>\n",
            escape_xml(n.entry.summary())
        ));
        out.push_str("  </entry>\n");
    }
    out.push_str("</feed>\n");
    out
}
