//! Font embedding: each document gets one subset per face it uses, made by the
//! `subsetter` crate (which also drops unused CFF subroutines: a Noto CJK face keeps
//! tens of thousands of them), written as a CID font with widths and a ToUnicode map
//! so text extracts back. printpdf writes the pages and their operations; the fonts
//! are attached to its document afterwards, because its own font path decodes every
//! glyph outline of every subset and re-parses the whole font per document.

use std::collections::HashMap;
use std::sync::Arc;

use lopdf::{Dictionary, Object, Stream};
use rustc_hash::FxHashMap;

use super::cff;
use super::font_maps::{DEFAULT_WIDTH, to_unicode, widths_array};
use super::fonts::{FaceId, Fonts};
use super::image::Picture;
use super::layout::Item;

/// Subsets of the faces holding every glyph a whole build uses. Subsetting each
/// card's few hundred glyphs out of these is much cheaper than out of a full CJK face
/// (65,000 glyphs): one card's PDF then costs about a millisecond instead of several.
pub(crate) struct Prepared {
    faces: Vec<Option<BuildSubset>>,
}

/// A face's subset for the build, original glyph id → glyph id in it, and its CFF
/// read for copying glyphs out (`None`: TrueType outlines, or a CFF that is not cut
/// that way; `subsetter` cuts those). The map hashed by FxHash: each card asks it
/// for every glyph twice, and SipHash of a `u16` took 120 instructions.
type BuildSubset = (Vec<u8>, FxHashMap<u16, u16>, Option<cff::Source>);

impl Prepared {
    pub(crate) fn new(fonts: &Fonts, all: &DocFonts) -> Prepared {
        let faces = all
            .faces
            .iter()
            .enumerate()
            .map(|(i, set)| {
                if set.order.is_empty() {
                    return None;
                }
                let face = &fonts.faces[i];
                let mut remapper = subsetter::GlyphRemapper::new();
                let map: FxHashMap<u16, u16> = set
                    .order
                    .iter()
                    .map(|&(g, _)| (g, remapper.remap(g)))
                    .collect();
                let bytes = subsetter::subset(face.bytes, face.index, &remapper).ok()?;
                let source = ttf_parser::RawFace::parse(&bytes, 0)
                    .ok()
                    .and_then(|raw| raw.table(ttf_parser::Tag::from_bytes(b"CFF ")))
                    .and_then(cff::Source::parse);
                Some((bytes, map, source))
            })
            .collect();
        Prepared { faces }
    }
}

/// A document's subset of a face: a CFF table, or a whole TrueType font.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Subset {
    Cff(Vec<u8>),
    TrueType(Vec<u8>),
}

/// Subsets cut from whole faces, by [`SubsetMemo::key`]: those an earlier build made
/// (`print::subsets` keeps them between builds) and those this one used. Cutting a
/// subset parses the whole face (a Noto CJK face's CFF and its tens of thousands of
/// subroutines): after one edit at 1,000 entries, 6 ms at the end of the handbook and
/// 5 ms at the end of the imposed sheets, for the same glyphs as the last build's.
#[derive(Default)]
pub(crate) struct SubsetMemo {
    old: HashMap<u128, Subset>,
    used: std::sync::Mutex<Vec<(u128, Subset)>>,
}

impl SubsetMemo {
    /// A memo holding `old` (what an earlier build made).
    pub(crate) fn with(old: HashMap<u128, Subset>) -> SubsetMemo {
        SubsetMemo {
            old,
            used: Default::default(),
        }
    }

    /// What a subset of face `face` of `fonts` to `gids` (in new-id order) is known
    /// by. The faces themselves are not hashed here: a memo is kept only under the
    /// print setup's key, which covers them.
    fn key<'a>(fonts: &Fonts, face: usize, gids: impl Iterator<Item = &'a u16>) -> u128 {
        let f = &fonts.faces[face];
        let mut h = xxhash_rust::xxh3::Xxh3::new();
        h.update(&(face as u64).to_le_bytes());
        h.update(&f.index.to_le_bytes());
        h.update(&(f.name.len() as u64).to_le_bytes());
        h.update(f.name.as_bytes());
        for g in gids {
            h.update(&g.to_le_bytes());
        }
        h.digest128()
    }

    /// The subset an earlier build made under `key`, kept as used.
    pub(crate) fn get(&self, key: u128) -> Option<Subset> {
        let s = self.old.get(&key)?;
        self.keep(key, s);
        Some(s.clone())
    }

    /// Keeps as used the subsets of a document copied whole from the last build,
    /// whose glyph `table` they were cut to: none is cut in this build, and the next
    /// one, after an edit, asks for them again.
    pub(crate) fn keep_table(&self, fonts: &Fonts, table: &GlyphTable) {
        for (face, glyphs) in table.iter().enumerate().take(fonts.faces.len()) {
            if glyphs.is_empty() {
                continue;
            }
            let key = SubsetMemo::key(fonts, face, glyphs.iter().map(|(g, _)| g));
            self.get(key);
        }
    }

    /// Keeps `subset` as used under `key`.
    fn keep(&self, key: u128, subset: &Subset) {
        if let Ok(mut u) = self.used.lock()
            && !u.iter().any(|(k, _)| *k == key)
        {
            u.push((key, subset.clone()));
        }
    }

    /// The subset known by `key`, or the one `make` cuts; either is kept as used.
    fn get_or_make(
        &self,
        key: u128,
        make: impl FnOnce() -> Result<Subset, String>,
    ) -> Result<Subset, String> {
        if let Some(s) = self.get(key) {
            return Ok(s);
        }
        let s = make()?;
        self.keep(key, &s);
        Ok(s)
    }

    /// The subsets this build used, by key (in key order: the handbook and the sheets
    /// use theirs side by side, in either order).
    pub(crate) fn used(&self) -> Vec<(u128, Subset)> {
        let mut used = self.used.lock().map(|u| u.clone()).unwrap_or_default();
        used.sort_unstable_by_key(|&(k, _)| k);
        used
    }
}

/// Per face, the glyphs a document gave ids to (original glyph id and its text), in
/// id order.
pub(crate) type GlyphTable = Vec<Vec<(u16, char)>>;

/// The glyphs one document uses, per face, and their new ids in the subsets; and the
/// pictures it shows (each file once, however often it is drawn).
pub(crate) struct DocFonts {
    faces: Vec<FaceGlyphs>,
    pictures: Vec<Arc<Picture>>,
}

/// One face's glyphs in a document: (original glyph id, the text it stands for) in
/// the order of their new ids (1, 2, …; 0 is .notdef), and original → new id.
#[derive(Default, Clone)]
struct FaceGlyphs {
    order: Vec<(u16, char)>,
    // Looked up for every glyph of every page: a fast hash (the keys are glyph ids)
    // while the face has few glyphs (a card's), then a table by glyph id (0: none).
    ids: rustc_hash::FxHashMap<u16, u16>,
    dense: Vec<u16>,
}

/// Glyphs a face holds before its ids go into a table by glyph id (128 KB): a
/// document of that many (the handbook, the imposed sheets) adds and looks up every
/// glyph it draws, on the thread that writes its pages; a card's hundred or two stay
/// in the hash.
const DENSE_FROM: usize = 1024;

impl FaceGlyphs {
    fn add(&mut self, gid: u16, ch: char) {
        if !self.dense.is_empty() {
            let slot = &mut self.dense[usize::from(gid)];
            if *slot == 0 {
                self.order.push((gid, ch));
                *slot = self.order.len() as u16;
            }
            return;
        }
        if let std::collections::hash_map::Entry::Vacant(v) = self.ids.entry(gid) {
            self.order.push((gid, ch));
            v.insert(self.order.len() as u16);
            if self.order.len() >= DENSE_FROM {
                self.dense = vec![0; 1 << 16];
                for (&g, &id) in &self.ids {
                    self.dense[usize::from(g)] = id;
                }
                self.ids = Default::default();
            }
        }
    }

    /// The new id of `gid` (0 when it has none).
    fn id(&self, gid: u16) -> u16 {
        match self.dense.get(usize::from(gid)) {
            Some(&id) => id,
            None => self.ids.get(&gid).copied().unwrap_or(0),
        }
    }
}

impl DocFonts {
    /// Collects the glyphs of every text run in `pages`; new ids follow the original
    /// order, so subsets of the same glyphs are equal.
    pub(crate) fn collect<'a>(fonts: &Fonts, pages: impl Iterator<Item = &'a [Item]>) -> DocFonts {
        // Every glyph drawn, per face, then sorted by glyph id (stably: a glyph keeps
        // the text it first stood for) and made unique: a sorted map took an insertion
        // per glyph drawn, thousands a card.
        let mut used: Vec<Vec<(u16, char)>> = vec![Vec::new(); fonts.faces.len()];
        let mut doc = DocFonts::empty(fonts);
        for items in pages {
            for it in items {
                match it {
                    Item::Text(run) => used[run.face as usize]
                        .extend(run.glyphs.iter().map(|&(gid, ch, ..)| (gid, ch))),
                    _ => doc.add_picture(it),
                }
            }
        }
        for (face, mut set) in doc.faces.iter_mut().zip(used) {
            set.sort_by_key(|&(gid, _)| gid);
            set.dedup_by_key(|&mut (gid, _)| gid);
            face.order.reserve(set.len());
            face.ids.reserve(set.len());
            for (gid, ch) in set {
                face.add(gid, ch);
            }
        }
        doc
    }

    /// No glyphs yet: a document written page by page gives each glyph its id when it
    /// first appears ([`DocFonts::add`]), so pages can be written before the last is
    /// laid out.
    pub(crate) fn empty(fonts: &Fonts) -> DocFonts {
        DocFonts {
            faces: vec![FaceGlyphs::default(); fonts.faces.len()],
            pictures: Vec::new(),
        }
    }

    /// A document whose glyphs have the ids `table` gave them (per face, the original
    /// glyph id and its text in id order: [`DocFonts::table`] of an earlier document),
    /// so content streams written for that document can be used in this one.
    pub(crate) fn seeded(fonts: &Fonts, table: &GlyphTable) -> Option<DocFonts> {
        if table.len() != fonts.faces.len() {
            return None;
        }
        let mut doc = DocFonts::empty(fonts);
        for ((face, glyphs), font) in doc.faces.iter_mut().zip(table).zip(&fonts.faces) {
            for &(gid, ch) in glyphs {
                // Only glyphs these fonts give their text: a table from other fonts, or
                // a damaged one, is not used.
                if font.glyph(ch).map(|g| g.0) != Some(gid) {
                    return None;
                }
                face.add(gid, ch);
            }
            // A repeated glyph would shift every later id.
            if face.order.len() != glyphs.len() {
                return None;
            }
        }
        Some(doc)
    }

    /// Per face, every glyph given an id so far (original glyph id and its text), in
    /// id order.
    pub(crate) fn table(&self) -> GlyphTable {
        self.faces.iter().map(|f| f.order.clone()).collect()
    }

    /// Gives ids to the glyphs and pictures of `items` not seen before.
    pub(crate) fn add(&mut self, items: &[Item]) {
        for it in items {
            match it {
                Item::Text(run) => {
                    let face = &mut self.faces[run.face as usize];
                    for &(gid, ch, ..) in &run.glyphs {
                        face.add(gid, ch);
                    }
                }
                _ => self.add_picture(it),
            }
        }
    }

    /// The glyphs of `items` that have no id yet, in the order they are drawn (a
    /// glyph drawn twice is listed twice): read-only, so the pages of a batch are
    /// looked through in parallel and only these go through [`DocFonts::add_unseen`].
    pub(crate) fn unseen(&self, items: &[Item]) -> Vec<(FaceId, u16, char)> {
        let mut out = Vec::new();
        for it in items {
            if let Item::Text(run) = it {
                let face = &self.faces[run.face as usize];
                out.extend(
                    run.glyphs
                        .iter()
                        .filter(|g| face.id(g.0) == 0)
                        .map(|&(gid, ch, ..)| (run.face, gid, ch)),
                );
            }
        }
        out
    }

    /// What [`DocFonts::add`] does for `items`, given their [`DocFonts::unseen`]
    /// glyphs (found before any of the batch was added): the same ids in the same
    /// order, since a glyph that had an id then would not have been given one.
    pub(crate) fn add_unseen(&mut self, unseen: &[(FaceId, u16, char)], items: &[Item]) {
        for &(face, gid, ch) in unseen {
            self.faces[face as usize].add(gid, ch);
        }
        for it in items.iter().filter(|it| !matches!(it, Item::Text(_))) {
            self.add_picture(it);
        }
    }

    fn add_picture(&mut self, it: &Item) {
        if let Item::Image { picture, .. } = it
            && !self.pictures.iter().any(|p| p.key == picture.key)
        {
            self.pictures.push(picture.clone());
        }
    }

    /// The resource name of `picture` in content streams (`/Im0 Do`).
    pub(crate) fn image_name(&self, picture: &Picture) -> String {
        let i = self
            .pictures
            .iter()
            .position(|p| p.key == picture.key)
            .unwrap_or(0);
        format!("Im{i}")
    }

    /// The glyph id to write for `gid` of `face`.
    pub(crate) fn gid(&self, face: FaceId, gid: u16) -> u16 {
        self.faces[face as usize].id(gid)
    }

    /// Adds a subset of every used face to `doc` under the resource names `names`
    /// (the names the pages' `Tf` operators use) and gives every page of `doc` the
    /// fonts and pictures.
    pub(crate) fn attach(
        &self,
        fonts: &Fonts,
        prepared: Option<&Prepared>,
        names: &[String],
        doc: &mut lopdf::Document,
    ) -> Result<(), String> {
        let font_dict = self.embed_fonts(fonts, prepared, None, names, doc)?;
        // printpdf gives every page the same /Font dictionary object; fill it in.
        let pages: Vec<lopdf::ObjectId> = doc.get_pages().values().copied().collect();
        self.attach_pictures(doc, &pages);
        let mut shared: Option<lopdf::ObjectId> = None;
        for page in pages {
            let res_ref = doc
                .get_dictionary(page)
                .ok()
                .and_then(|p| p.get(b"Resources").ok())
                .and_then(|r| r.as_reference().ok());
            let Some(res_ref) = res_ref else { continue };
            let font_ref = doc
                .get_dictionary(res_ref)
                .ok()
                .and_then(|r| r.get(b"Font").ok())
                .and_then(|f| f.as_reference().ok());
            match font_ref {
                Some(f) if shared.is_none() || shared == Some(f) => {
                    if shared.is_none() {
                        doc.objects.insert(f, Object::Dictionary(font_dict.clone()));
                        shared = Some(f);
                    }
                }
                _ => {
                    if let Ok(Object::Dictionary(r)) = doc.get_object_mut(res_ref) {
                        r.set("Font", Object::Dictionary(font_dict.clone()));
                    }
                }
            }
        }
        Ok(())
    }

    /// The page resources of a document written page by page: a subset of every used
    /// face (cut from the build's `prepared` subsets when given) and every picture
    /// added to `doc` (whose new objects the caller writes), named as the pages'
    /// content streams name them.
    /// Subsets cut from whole faces are taken from and kept in `memo` when given.
    pub(crate) fn resources(
        &self,
        fonts: &Fonts,
        prepared: Option<&Prepared>,
        memo: Option<&SubsetMemo>,
        names: &[String],
        doc: &mut lopdf::Document,
    ) -> Result<Dictionary, String> {
        let mut res = Dictionary::new();
        res.set(
            "Font",
            Object::Dictionary(self.embed_fonts(fonts, prepared, memo, names, doc)?),
        );
        if !self.pictures.is_empty() {
            res.set("XObject", Object::Dictionary(self.embed_pictures(doc)));
        }
        Ok(res)
    }

    /// Adds a subset of every used face to `doc`; returns the /Font dictionary.
    fn embed_fonts(
        &self,
        fonts: &Fonts,
        prepared: Option<&Prepared>,
        memo: Option<&SubsetMemo>,
        names: &[String],
        doc: &mut lopdf::Document,
    ) -> Result<Dictionary, String> {
        let mut font_dict = Dictionary::new();
        for (face_id, set) in self.faces.iter().enumerate() {
            if set.order.is_empty() {
                continue;
            }
            let gids = || set.order.iter().map(|(g, _)| g);
            let face = &fonts.faces[face_id];
            let source = prepared
                .and_then(|p| p.faces.get(face_id))
                .and_then(Option::as_ref)
                .filter(|(_, map, _)| gids().all(|g| map.contains_key(g)));
            // The glyph programs copied from the build's CFF when it has one, else a
            // subset from `subsetter` (the build's subset, or the whole face).
            let copied =
                source.and_then(|(_, map, cff)| cff.as_ref()?.subset(gids().map(|g| map[g])));
            let cut = || {
                let mut remapper = subsetter::GlyphRemapper::new();
                let (bytes, index) = match source {
                    Some((bytes, map, _)) => {
                        for g in gids() {
                            remapper.remap(map[g]);
                        }
                        (&bytes[..], 0)
                    }
                    None => {
                        for &gid in gids() {
                            remapper.remap(gid);
                        }
                        (face.bytes, face.index)
                    }
                };
                let sub = subsetter::subset(bytes, index, &remapper)
                    .map_err(|e| tr!("font-subset", font = face.name, error = format!("{e:?}")))?;
                let raw = ttf_parser::RawFace::parse(&sub, 0)
                    .map_err(|e| tr!("font-subset", font = face.name, error = e))?;
                Ok(match raw.table(ttf_parser::Tag::from_bytes(b"CFF ")) {
                    Some(cff) => Subset::Cff(cff.to_vec()),
                    None => Subset::TrueType(sub),
                })
            };
            let sub = match (copied, source, memo) {
                (Some(cff), ..) => Subset::Cff(cff),
                // Cut from the whole face: the same glyphs give the same subset.
                (None, None, Some(memo)) => {
                    memo.get_or_make(SubsetMemo::key(fonts, face_id, gids()), cut)?
                }
                (None, ..) => cut()?,
            };
            let metrics = face.metrics();
            let tag = subset_tag(&face.name, gids());
            let base = format!("{tag}+{}", metrics.postscript_name);

            let (file_key, file, cid_subtype) = match sub {
                Subset::Cff(cff) => {
                    let mut d = Dictionary::new();
                    d.set("Subtype", Object::Name(b"CIDFontType0C".to_vec()));
                    ("FontFile3", Stream::new(d, cff), "CIDFontType0")
                }
                Subset::TrueType(sub) => {
                    let mut d = Dictionary::new();
                    d.set("Length1", Object::Integer(sub.len() as i64));
                    ("FontFile2", Stream::new(d, sub), "CIDFontType2")
                }
            };
            let file_id = doc.add_object(file);
            let mut desc = Dictionary::new();
            desc.set("Type", Object::Name(b"FontDescriptor".to_vec()));
            desc.set("FontName", Object::Name(base.clone().into_bytes()));
            desc.set("Flags", Object::Integer(4));
            desc.set(
                "FontBBox",
                Object::Array(
                    metrics
                        .bbox
                        .iter()
                        .map(|&v| Object::Integer(v as i64))
                        .collect(),
                ),
            );
            desc.set("ItalicAngle", Object::Integer(0));
            desc.set("Ascent", Object::Integer(metrics.ascent as i64));
            desc.set("Descent", Object::Integer(metrics.descent as i64));
            desc.set("CapHeight", Object::Integer(metrics.cap_height as i64));
            desc.set("StemV", Object::Integer(80));
            desc.set(file_key, Object::Reference(file_id));
            let desc_id = doc.add_object(desc);

            // Widths in glyph order (CID 1 on; .notdef, CID 0, takes the default).
            let widths = widths_array(
                gids().map(|&gid| super::content::round(f64::from(face.advance_of(gid) * 1000.0))),
            );
            let mut cid = Dictionary::new();
            cid.set("Type", Object::Name(b"Font".to_vec()));
            cid.set("Subtype", Object::Name(cid_subtype.as_bytes().to_vec()));
            cid.set("BaseFont", Object::Name(base.clone().into_bytes()));
            let mut info = Dictionary::new();
            info.set("Registry", Object::string_literal("Adobe"));
            info.set("Ordering", Object::string_literal("Identity"));
            info.set("Supplement", Object::Integer(0));
            cid.set("CIDSystemInfo", Object::Dictionary(info));
            cid.set("FontDescriptor", Object::Reference(desc_id));
            cid.set("DW", Object::Integer(DEFAULT_WIDTH));
            cid.set("W", Object::Array(widths));
            if cid_subtype == "CIDFontType2" {
                cid.set("CIDToGIDMap", Object::Name(b"Identity".to_vec()));
            }
            let cid_id = doc.add_object(cid);

            let cmap = to_unicode(set.order.iter().map(|&(_, c)| c));
            let cmap_id = doc.add_object(Stream::new(Dictionary::new(), cmap));
            let mut t0 = Dictionary::new();
            t0.set("Type", Object::Name(b"Font".to_vec()));
            t0.set("Subtype", Object::Name(b"Type0".to_vec()));
            t0.set("BaseFont", Object::Name(base.into_bytes()));
            t0.set("Encoding", Object::Name(b"Identity-H".to_vec()));
            t0.set(
                "DescendantFonts",
                Object::Array(vec![Object::Reference(cid_id)]),
            );
            t0.set("ToUnicode", Object::Reference(cmap_id));
            let t0_id = doc.add_object(t0);
            font_dict.set(names[face_id].as_bytes().to_vec(), Object::Reference(t0_id));
        }
        Ok(font_dict)
    }
}

impl DocFonts {
    /// Embeds every picture once and names them in every page's resources.
    fn attach_pictures(&self, doc: &mut lopdf::Document, pages: &[lopdf::ObjectId]) {
        if self.pictures.is_empty() {
            return;
        }
        let xobjects = self.embed_pictures(doc);
        for &page in pages {
            let res_ref = doc
                .get_dictionary(page)
                .ok()
                .and_then(|p| p.get(b"Resources").ok())
                .and_then(|r| r.as_reference().ok());
            if let Some(r) = res_ref
                && let Ok(Object::Dictionary(res)) = doc.get_object_mut(r)
            {
                res.set("XObject", Object::Dictionary(xobjects.clone()));
            }
        }
    }

    /// Adds every picture to `doc` once; returns the /XObject dictionary.
    fn embed_pictures(&self, doc: &mut lopdf::Document) -> Dictionary {
        let mut xobjects = Dictionary::new();
        for p in &self.pictures {
            let id = p.embed(doc);
            xobjects.set(self.image_name(p).into_bytes(), Object::Reference(id));
        }
        xobjects
    }
}

/// A subset tag (six capital letters) from the font and the glyphs in the subset.
fn subset_tag<'a>(name: &str, gids: impl Iterator<Item = &'a u16>) -> String {
    let mut h: u32 = 0x811c9dc5;
    for b in name.bytes().chain(gids.flat_map(|g| g.to_be_bytes())) {
        h ^= b as u32;
        h = h.wrapping_mul(0x01000193);
    }
    (0..6)
        .map(|k| (b'A' + ((h >> (k * 5)) % 26) as u8) as char)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glyphs_found_unseen_in_parallel_get_the_ids_adding_them_in_order_gives() {
        use crate::typeset::layout::TextRun;
        let fonts = crate::typeset::fonts::tests::default_fonts();
        let run = |face: FaceId, text: &str| {
            Item::Text(TextRun {
                x: 0.0,
                y: 0.0,
                face,
                size: 10.0,
                color: [0.0; 3],
                glyphs: text
                    .chars()
                    .map(|c| (c as u16 % 500 + 1, c, 0.0, 0.0))
                    .collect(),
            })
        };
        let last = (fonts.faces.len() - 1) as FaceId;
        let pages = [
            vec![run(0, "政策解读政策"), run(last, "补助标准")],
            vec![run(0, "补助政策"), run(0, "解读"), run(last, "标准一览")],
            vec![run(last, "补助"), run(0, "新的字")],
        ];
        let mut one = DocFonts::empty(fonts);
        for p in &pages {
            one.add(p);
        }
        // In two batches, each looked through before any of it is added.
        let mut batched = DocFonts::empty(fonts);
        for (k, batch) in [&pages[..2], &pages[2..]].into_iter().enumerate() {
            let unseen: Vec<_> = batch.iter().map(|p| batched.unseen(p)).collect();
            // Every glyph of the first page, 政策 twice; of the third, 新的字 only.
            assert_eq!(unseen[0].len(), [10, 3][k]);
            for (p, u) in batch.iter().zip(&unseen) {
                batched.add_unseen(u, p);
            }
        }
        assert_eq!(one.table(), batched.table());
        assert!(batched.unseen(&pages[1]).is_empty());
    }
}
