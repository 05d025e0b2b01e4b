//! Fonts for print: a chain of faces per weight (the site's own fonts, the theme's,
//! then system fonts as a fallback), glyph lookup with real advances, Chinese
//! punctuation in its full-width Chinese forms, and a coverage check that names every
//! character no face can draw (never a tofu box on a printed card).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use crate::diagnostics::Diagnostic;
use crate::theme::Theme;

/// One font face, loaded for the life of the process.
pub(crate) struct Face {
    /// File name, for messages and the PDF.
    pub name: String,
    pub bytes: &'static [u8],
    pub index: u32,
    /// From the default theme compiled into mingbai (its bytes are known by the hash
    /// the build made of them, `MINGBAI_THEME_FONTS_SUM`).
    pub embedded: bool,
    face: ttf_parser::Face<'static>,
    upem: f32,
    /// Chinese forms of punctuation the cmap maps to other glyphs: “” ‘’ full-width
    /// (the `fwid` feature), — and friends in their zh-Hans forms (`locl`).
    punct: HashMap<char, (u16, f32)>,
    /// Ink extents (em) of the marks the line breaker compresses, measured once: a CFF
    /// glyph's box means interpreting its outline, too slow to do per card. Hashed by
    /// FxHash: asked for each mark set (350,000 times at 1,000 entries), SipHash made a
    /// look-up cost as much as the rest of setting the mark.
    inks: rustc_hash::FxHashMap<u16, (f32, f32)>,
    /// [`Face::glyph`] of every character of the Basic Multilingual Plane, made on
    /// first use: a handbook looks up millions of characters, and the cmap and hmtx
    /// lookups behind each were a tenth of its layout time.
    bmp: std::sync::OnceLock<Box<[(u16, f32)]>>,
}

/// What a PDF font descriptor needs, in 1/1000 em.
pub(crate) struct Metrics {
    pub postscript_name: String,
    pub bbox: [f32; 4],
    pub ascent: f32,
    pub descent: f32,
    pub cap_height: f32,
}

/// Characters whose glyph depends on Chinese typesetting conventions.
const QUOTES: &[char] = &['“', '”', '‘', '’'];
const LOCALIZED: &[char] = &['—', '…', '·', '～', '–', '‥', '・', '⸺'];

impl Face {
    pub(crate) fn load(name: String, bytes: &'static [u8], index: u32) -> Option<Face> {
        let face = ttf_parser::Face::parse(bytes, index).ok()?;
        let upem = face.units_per_em() as f32;
        let mut punct = HashMap::new();
        if let Some(shaper) = rustybuzz::Face::from_slice(bytes, index) {
            let quotes = ["fwid".parse::<rustybuzz::Feature>().ok()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>();
            for (chars, features) in [(QUOTES, quotes.as_slice()), (LOCALIZED, &[][..])] {
                for &c in chars {
                    if face.glyph_index(c).is_none() {
                        continue;
                    }
                    let mut buf = rustybuzz::UnicodeBuffer::new();
                    buf.push_str(c.encode_utf8(&mut [0; 4]));
                    buf.set_script(rustybuzz::script::HAN);
                    if let Ok(lang) = "zh-Hans".parse() {
                        buf.set_language(lang);
                    }
                    buf.set_direction(rustybuzz::Direction::LeftToRight);
                    let out = rustybuzz::shape(&shaper, features, buf);
                    if let (Some(info), Some(pos)) =
                        (out.glyph_infos().first(), out.glyph_positions().first())
                    {
                        punct.insert(c, (info.glyph_id as u16, pos.x_advance as f32 / upem));
                    }
                }
            }
        }
        let mut inks = rustc_hash::FxHashMap::default();
        for c in crate::typeset::linebreak::inked_chars() {
            let gids = [punct.get(&c).map(|g| g.0), face.glyph_index(c).map(|g| g.0)];
            for gid in gids.into_iter().flatten() {
                if let Some(b) = face.glyph_bounding_box(ttf_parser::GlyphId(gid)) {
                    inks.insert(gid, (b.x_min as f32 / upem, b.x_max as f32 / upem));
                }
            }
        }
        Some(Face {
            inks,
            bmp: std::sync::OnceLock::new(),
            name,
            bytes,
            index,
            embedded: false,
            face,
            upem,
            punct,
        })
    }

    /// Glyph id and advance (in em) of `c`, or `None` when the face cannot draw it.
    pub(crate) fn glyph(&self, c: char) -> Option<(u16, f32)> {
        let Ok(bmp) = u16::try_from(u32::from(c)) else {
            return self.lookup(c);
        };
        let (gid, adv) = self.bmp()[usize::from(bmp)];
        (gid != 0).then_some((gid, adv))
    }

    /// Glyph id and advance of every character of the Basic Multilingual Plane, as
    /// [`Face::lookup`] gives them ((0, 0) for none), made on first use.
    fn bmp(&self) -> &[(u16, f32)] {
        self.bmp.get_or_init(|| {
            // Walked from the character map's own entries rather than asked for each
            // of the 65,536 characters: a tenth of a one-edit build at 1,000 entries.
            // A character takes its glyph from the first Unicode subtable that has
            // it, as `ttf_parser::Face::glyph_index` does.
            let mut table = vec![(0u16, 0.0f32); 1 << 16];
            let mut decided = vec![false; 1 << 16];
            let subtables = self
                .face
                .tables()
                .cmap
                .into_iter()
                .flat_map(|c| c.subtables);
            for sub in subtables.filter(|s| s.is_unicode()) {
                sub.codepoints(|cp| {
                    let Ok(u) = u16::try_from(cp) else { return };
                    let u = usize::from(u);
                    if decided[u] || char::from_u32(cp).is_none() {
                        return;
                    }
                    let Some(g) = sub.glyph_index(cp) else { return };
                    decided[u] = true;
                    if g.0 != 0 {
                        let adv = self.face.glyph_hor_advance(g).unwrap_or(0) as f32;
                        table[u] = (g.0, adv / self.upem);
                    }
                });
            }
            for (&c, &g) in &self.punct {
                if let Ok(u) = u16::try_from(u32::from(c)) {
                    table[usize::from(u)] = g;
                }
            }
            table.into_boxed_slice()
        })
    }

    /// Makes the table [`Face::glyph`] reads, ahead of the first character set.
    pub(crate) fn warm(&self) {
        self.bmp();
    }

    /// The glyph of `c` and its advance (em), from the font's tables.
    fn lookup(&self, c: char) -> Option<(u16, f32)> {
        if let Some(&g) = self.punct.get(&c) {
            return Some(g);
        }
        let g = self.face.glyph_index(c)?;
        if g.0 == 0 {
            return None;
        }
        let adv = self.face.glyph_hor_advance(g).unwrap_or(0) as f32 / self.upem;
        Some((g.0, adv))
    }

    pub(crate) fn has(&self, c: char) -> bool {
        self.face.glyph_index(c).is_some_and(|g| g.0 != 0)
    }

    /// Left and right edges of glyph `gid`'s ink in em (`None` for a blank glyph): the
    /// line breaker compresses only the blank half of a punctuation mark.
    pub(crate) fn ink(&self, gid: u16) -> Option<(f32, f32)> {
        if let Some(&ink) = self.inks.get(&gid) {
            return Some(ink);
        }
        let b = self.face.glyph_bounding_box(ttf_parser::GlyphId(gid))?;
        Some((b.x_min as f32 / self.upem, b.x_max as f32 / self.upem))
    }

    /// Advance of glyph `gid` in em.
    pub(crate) fn advance_of(&self, gid: u16) -> f32 {
        self.face
            .glyph_hor_advance(ttf_parser::GlyphId(gid))
            .unwrap_or(0) as f32
            / self.upem
    }

    pub(crate) fn metrics(&self) -> Metrics {
        let k = 1000.0 / self.upem;
        let b = self.face.global_bounding_box();
        let ps = self
            .face
            .names()
            .into_iter()
            .find(|n| n.name_id == ttf_parser::name_id::POST_SCRIPT_NAME)
            .and_then(|n| n.to_string())
            .unwrap_or_else(|| "Font".into());
        Metrics {
            postscript_name: ps
                .chars()
                .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
                .collect(),
            bbox: [
                b.x_min as f32 * k,
                b.y_min as f32 * k,
                b.x_max as f32 * k,
                b.y_max as f32 * k,
            ],
            ascent: self.face.ascender() as f32 * k,
            descent: self.face.descender() as f32 * k,
            cap_height: self.face.capital_height().unwrap_or(self.face.ascender()) as f32 * k,
        }
    }
}

/// Where a glyph comes from: which face of the chain, which glyph, how wide.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Glyph {
    pub face: FaceId,
    pub gid: u16,
    /// Advance in em.
    pub advance: f32,
}

/// Index into [`Fonts::faces`].
pub(crate) type FaceId = u16;

/// The font chains for regular and bold text.
pub(crate) struct Fonts {
    pub faces: Vec<Arc<Face>>,
    regular: Vec<FaceId>,
    bold: Vec<FaceId>,
    /// System fonts, scanned only when a character is missing from every other face.
    system: Mutex<Option<Vec<Arc<Face>>>>,
    allow_system: bool,
    /// For each weight, the glyph of every character of the Basic Multilingual Plane
    /// from the first face of its chain that has it (gid 0: none), made on first use:
    /// one look-up a character instead of one a face of the chain (a fifth of shaping
    /// text for print). Made again when a system face joins the chain.
    chained: [OnceLock<Box<[Glyph]>>; 2],
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Weight {
    Regular,
    Bold,
}

impl Fonts {
    pub(crate) fn face(&self, id: FaceId) -> &Face {
        &self.faces[id as usize]
    }

    /// The theme's `fonts/` faces, after the site's own `[print] fonts` files. Font
    /// files are named `…-Regular.*` / `…-Bold.*`; other names count as regular.
    pub(crate) fn load(
        theme: &Theme,
        root: &Path,
        site_fonts: &[PathBuf],
        allow_system: bool,
    ) -> Result<Fonts, Vec<Diagnostic>> {
        let mut diags = Vec::new();
        // Name, bytes, and whether they are the compiled-in theme's.
        let mut loaded: Vec<(String, &'static [u8], bool)> = Vec::new();
        for p in site_fonts {
            let path = root.join(p);
            match std::fs::read(&path) {
                Ok(b) => loaded.push((p.to_string_lossy().to_string(), leak(b), false)),
                Err(e) => diags.push(crate::config::locate_setting(
                    &root.join("site.toml"),
                    Some("print"),
                    "fonts",
                    Diagnostic::error(tr!("font-unreadable", file = p.display(), error = e))
                        .with_hint(tr!("font-unreadable-hint")),
                )),
            }
        }
        let theme_fonts = theme
            .files("fonts", false)
            .map_err(|e| vec![Diagnostic::error(tr!("font-theme-unreadable", error = e))])?;
        for f in theme_fonts {
            if is_font_file(&f.rel) {
                let (bytes, embedded): (&'static [u8], bool) = match f.bytes {
                    std::borrow::Cow::Borrowed(b) => (b, true),
                    std::borrow::Cow::Owned(b) => (leak(b), false),
                };
                loaded.push((f.rel.clone(), bytes, embedded));
            }
        }
        let mut fonts = Fonts {
            faces: Vec::new(),
            regular: Vec::new(),
            bold: Vec::new(),
            system: Mutex::new(None),
            allow_system,
            chained: Default::default(),
        };
        for (name, bytes, embedded) in loaded {
            let Some(mut face) = Face::load(name.clone(), bytes, 0) else {
                diags.push(Diagnostic::error(tr!("font-not-font", name = name)));
                continue;
            };
            face.embedded = embedded;
            let bold = name.to_ascii_lowercase().contains("bold");
            let id = fonts.faces.len() as FaceId;
            fonts.faces.push(Arc::new(face));
            if bold {
                fonts.bold.push(id);
            } else {
                fonts.regular.push(id);
            }
        }
        if fonts.regular.is_empty() && diags.is_empty() {
            diags.push(Diagnostic::error(tr!("font-none")).with_hint(tr!("font-none-hint")));
        }
        if diags.is_empty() {
            Ok(fonts)
        } else {
            Err(diags)
        }
    }

    fn chain(&self, w: Weight) -> impl Iterator<Item = FaceId> + '_ {
        let first = match w {
            Weight::Regular => &self.regular,
            Weight::Bold => &self.bold,
        };
        // Bold falls back to the regular faces rather than to a missing glyph.
        let rest = match w {
            Weight::Regular => &[][..],
            Weight::Bold => &self.regular[..],
        };
        first.iter().chain(rest).copied()
    }

    /// The glyph for `c` from the first face of the chain that has it.
    pub(crate) fn glyph(&self, c: char, w: Weight) -> Option<Glyph> {
        let Ok(bmp) = u16::try_from(u32::from(c)) else {
            return self.walk_chain(c, w);
        };
        let g = self.chained(w)[usize::from(bmp)];
        (g.gid != 0).then_some(g)
    }

    /// [`Fonts::chained`]'s table of weight `w`.
    fn chained(&self, w: Weight) -> &[Glyph] {
        self.chained[w as usize].get_or_init(|| {
            let none = Glyph {
                face: 0,
                gid: 0,
                advance: 0.0,
            };
            let mut table = vec![none; 1 << 16];
            // The chain's faces last to first: each overwrites what a later one drew.
            let chain: Vec<FaceId> = self.chain(w).collect();
            for &id in chain.iter().rev() {
                for (slot, &(gid, advance)) in table.iter_mut().zip(self.faces[id as usize].bmp()) {
                    if gid != 0 {
                        *slot = Glyph {
                            face: id,
                            gid,
                            advance,
                        };
                    }
                }
            }
            table.into_boxed_slice()
        })
    }

    /// The glyph for `c` asked of each face of the chain in turn.
    fn walk_chain(&self, c: char, w: Weight) -> Option<Glyph> {
        self.chain(w).find_map(|id| {
            self.faces[id as usize]
                .glyph(c)
                .map(|(gid, advance)| Glyph {
                    face: id,
                    gid,
                    advance,
                })
        })
    }

    /// The one character combining mark `c` makes with `before`, when there is one and
    /// the fonts have it (as [`super::linebreak::shape`] sets them).
    pub(crate) fn composed(&self, before: char, c: char) -> Option<char> {
        if !super::linebreak::is_combining(c) {
            return None;
        }
        let k = unicode_normalization::char::compose(before, c)?;
        self.glyph(k, Weight::Regular).map(|_| k)
    }

    /// Characters of `text` no face can draw (with system fonts tried and, when one
    /// has the character, added to the chain). Controls and spaces need no glyph.
    pub(crate) fn missing(&mut self, text: &str) -> Vec<char> {
        let mut out: Vec<char> = Vec::new();
        // The character before, as set: a combining mark made one character with it
        // needs only that one ([`super::linebreak::shape`] composes them alike).
        let mut before = '\n';
        for c in text.chars() {
            if let Some(k) = self.composed(before, c) {
                before = k;
                continue;
            }
            before = c;
            if c.is_control() || c.is_whitespace() || out.contains(&c) {
                continue;
            }
            if self.glyph(c, Weight::Regular).is_none() && !self.add_system_face_for(c) {
                out.push(c);
            }
        }
        out
    }

    fn add_system_face_for(&mut self, c: char) -> bool {
        if !self.allow_system {
            return false;
        }
        let mut guard = self.system.lock().unwrap_or_else(|e| e.into_inner());
        let system = guard.get_or_insert_with(scan_system_fonts);
        let Some(face) = system.iter().find(|f| f.has(c)).cloned() else {
            return false;
        };
        drop(guard);
        self.chained = Default::default();
        if let Some(existing) = self.faces.iter().position(|f| Arc::ptr_eq(f, &face)) {
            let id = existing as FaceId;
            if !self.regular.contains(&id) {
                self.regular.push(id);
            }
            return true;
        }
        let id = self.faces.len() as FaceId;
        self.faces.push(face);
        self.regular.push(id);
        true
    }
}

fn leak(b: Vec<u8>) -> &'static [u8] {
    // Fonts live as long as the process; borrowing from them keeps glyph lookups free.
    Box::leak(b.into_boxed_slice())
}

fn is_font_file(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    [".otf", ".ttf", ".ttc", ".otc"]
        .iter()
        .any(|e| n.ends_with(e))
}

/// CJK-capable fonts installed on the machine (Linux font folders, Windows' Fonts).
fn scan_system_fonts() -> Vec<Arc<Face>> {
    let mut dirs: Vec<PathBuf> = vec![
        "/usr/share/fonts".into(),
        "/usr/local/share/fonts".into(),
        "C:\\Windows\\Fonts".into(),
    ];
    if let Some(home) = std::env::var_os("HOME") {
        dirs.push(Path::new(&home).join(".fonts"));
        dirs.push(Path::new(&home).join(".local/share/fonts"));
    }
    let mut out = Vec::new();
    for d in dirs {
        for item in walkdir::WalkDir::new(d).into_iter().flatten() {
            let name = item.file_name().to_string_lossy().to_string();
            if !item.file_type().is_file() || !is_font_file(&name) {
                continue;
            }
            let Ok(bytes) = std::fs::read(item.path()) else {
                continue;
            };
            let bytes = leak(bytes);
            let count = ttf_parser::fonts_in_collection(bytes).unwrap_or(1);
            for i in 0..count {
                if let Some(face) = Face::load(item.path().display().to_string(), bytes, i)
                    && face.has('中')
                {
                    out.push(Arc::new(face));
                }
            }
        }
    }
    out
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    #[test]
    fn the_table_of_characters_is_what_each_lookup_gives() {
        for face in &default_fonts().faces {
            let table = face.bmp();
            for u in 0..=u16::MAX {
                let want = char::from_u32(u32::from(u))
                    .and_then(|c| face.lookup(c))
                    .unwrap_or((0, 0.0));
                assert_eq!(table[usize::from(u)], want, "U+{u:04X} in {}", face.name);
            }
        }
    }

    /// The default theme's fonts, loaded once for all tests.
    pub(crate) fn default_fonts() -> &'static Fonts {
        static FONTS: std::sync::OnceLock<Fonts> = std::sync::OnceLock::new();
        FONTS.get_or_init(|| {
            let theme = Theme::resolve(Path::new("/nonexistent"), "default").unwrap();
            Fonts::load(&theme, Path::new("."), &[], false).unwrap()
        })
    }

    #[test]
    fn chinese_quotes_and_dashes_are_full_width() {
        let f = default_fonts();
        for c in ['“', '”', '‘', '’', '—', '…', '，', '中'] {
            let g = f.glyph(c, Weight::Regular).unwrap();
            assert!((g.advance - 1.0).abs() < 0.01, "{c}: {}", g.advance);
        }
        let a = f.glyph('A', Weight::Regular).unwrap();
        assert!(a.advance < 0.8);
    }

    #[test]
    fn rare_name_characters_are_covered() {
        let mut f = Fonts {
            faces: default_fonts().faces.clone(),
            regular: default_fonts().regular.clone(),
            bold: default_fonts().bold.clone(),
            system: Mutex::new(None),
            allow_system: false,
            chained: Default::default(),
        };
        assert!(f.missing("堃 喆 䶮 𠮷 𰻞").is_empty());
        assert_eq!(f.missing("王\u{F8FF}明"), vec!['\u{F8FF}']);
    }

    #[test]
    fn bold_has_its_own_face() {
        let f = default_fonts();
        let r = f.glyph('明', Weight::Regular).unwrap();
        let b = f.glyph('明', Weight::Bold).unwrap();
        assert_ne!(r.face, b.face);
    }
}
