//! Where print output goes inside the output folder, named once: the build writes
//! there, pages and the revision list link there, `serve` reprints there.

/// The imposed card sheets.
pub(crate) const CARDS: &str = "print/cards.pdf";
/// The whole handbook.
pub(crate) const HANDBOOK: &str = "print/handbook.pdf";
/// 修订说明, the changes since the previous edition.
pub(crate) const REVISION: &str = "print/xiuding.pdf";
/// The list of cards to reprint for a new edition.
pub(crate) const REPRINT: &str = "print/reprint.json";

/// One entry's 明白卡.
pub(crate) fn card(id: &str) -> String {
    format!("print/cards/{id}.pdf")
}

/// The site-absolute URL of an output file (before the base path is applied).
pub(crate) fn url(file: &str) -> String {
    format!("/{file}")
}
