//! What a chapter's key is made of: its blocks as the template made them, hashed field
//! by field. Every struct is taken apart without `..`, so a field added to a block
//! cannot be left out of the key (the compiler stops it).
//!
//! Was the blocks' `Debug` text: floats printed in shortest form cost 0.35 s of a
//! 10,000-entry rebuild; this walks the same values in a few milliseconds.

use crate::print::cache::KeyHasher;
use crate::typeset::image::Figure;
use crate::typeset::layout::{Block, Marker, Runs, TableRow};
use crate::typeset::linebreak::RunStyle;
use crate::typeset::style::{Color, Resolved};

pub(super) fn blocks(h: &mut KeyHasher, blocks: &[Block]) {
    h.add(&(blocks.len() as u64).to_le_bytes());
    for b in blocks {
        block(h, b);
    }
}

fn block(h: &mut KeyHasher, b: &Block) {
    match b {
        Block::Para { runs: r, style } => {
            tag(h, 1);
            runs(h, r);
            resolved(h, style);
        }
        Block::List {
            ordered,
            start,
            items,
            style,
        } => {
            tag(h, 2);
            h.add(&[u8::from(*ordered)]).add(&start.to_le_bytes());
            list(h, items);
            resolved(h, style);
        }
        Block::Table { rows, style, head } => {
            tag(h, 3);
            h.add(&(rows.len() as u64).to_le_bytes());
            for TableRow { header, cells } in rows {
                h.add(&[u8::from(*header)]);
                list(h, cells);
            }
            resolved(h, style);
            resolved(h, head);
        }
        Block::Fields { rows, style } => {
            tag(h, 4);
            h.add(&(rows.len() as u64).to_le_bytes());
            for (label, value) in rows {
                runs(h, label);
                blocks(h, value);
            }
            resolved(h, style);
        }
        Block::Boxed { children, style } => {
            tag(h, 5);
            blocks(h, children);
            resolved(h, style);
        }
        Block::Columns { cols, style } => {
            tag(h, 6);
            h.add(&(cols.len() as u64).to_le_bytes());
            for (width, col) in cols {
                floats(h, &[*width]);
                blocks(h, col);
            }
            resolved(h, style);
        }
        Block::Qr { data, size, style } => {
            tag(h, 7);
            h.add(data.as_bytes());
            floats(h, &[*size]);
            resolved(h, style);
        }
        Block::Signature { labels, style } => {
            tag(h, 8);
            h.add(&(labels.len() as u64).to_le_bytes());
            for l in labels {
                h.add(l.as_bytes());
            }
            resolved(h, style);
        }
        Block::Rule { style } => {
            tag(h, 9);
            resolved(h, style);
        }
        Block::Space(s) => {
            tag(h, 10);
            floats(h, &[*s]);
        }
        Block::PageBreak => tag(h, 11),
        Block::Anchor(Marker { level, title, key }) => {
            tag(h, 12);
            h.add(&[*level]).add(title.as_bytes()).add(key.as_bytes());
        }
        Block::Footer(children) => {
            tag(h, 13);
            blocks(h, children);
        }
        Block::Back(children) => {
            tag(h, 14);
            blocks(h, children);
        }
        Block::Leader {
            runs: r,
            right,
            style,
        } => {
            tag(h, 15);
            runs(h, r);
            h.add(right.as_bytes());
            resolved(h, style);
        }
        Block::Image(Figure {
            src,
            at,
            picture,
            caption,
            style,
            width,
        }) => {
            tag(h, 16);
            h.add(src.as_bytes()).add(&(*at as u64).to_le_bytes());
            match picture {
                Some(p) => h.add(&p.key.to_le_bytes()),
                None => h.add(&[]),
            };
            runs(h, caption);
            resolved(h, style);
            floats(h, &[*width]);
        }
    }
}

fn tag(h: &mut KeyHasher, t: u8) {
    h.add(&[t]);
}

fn list(h: &mut KeyHasher, items: &[Vec<Block>]) {
    h.add(&(items.len() as u64).to_le_bytes());
    for item in items {
        blocks(h, item);
    }
}

fn runs(h: &mut KeyHasher, runs: &Runs) {
    h.add(&(runs.len() as u64).to_le_bytes());
    for (
        text,
        RunStyle {
            size,
            weight,
            color,
        },
    ) in runs
    {
        h.add(text.as_bytes()).add(&[*weight as u8]);
        floats(h, &[*size]);
        colors(h, &[*color]);
    }
}

fn floats(h: &mut KeyHasher, fs: &[f32]) {
    for f in fs {
        h.add(&f.to_bits().to_le_bytes());
    }
}

fn colors(h: &mut KeyHasher, cs: &[Color]) {
    for c in cs {
        floats(h, c);
    }
}

fn resolved(h: &mut KeyHasher, r: &Resolved) {
    let Resolved {
        size,
        weight,
        color,
        line_height,
        align,
        indent,
        space_before,
        space_after,
        background,
        border,
        border_width,
        padding,
        label_width,
        label_color,
        width,
        keep_with_next,
        page_break_before,
        typography,
    } = r;
    floats(
        h,
        &[
            *size,
            *line_height,
            *indent,
            *space_before,
            *space_after,
            *border_width,
            *padding,
            *label_width,
            *width,
            typography.han_latin_space,
        ],
    );
    colors(h, &[*color, *label_color]);
    for c in [background, border] {
        match c {
            Some(c) => colors(h, &[*c]),
            None => {
                h.add(&[]);
            }
        }
    }
    h.add(&[
        *weight as u8,
        *align as u8,
        u8::from(*keep_with_next),
        u8::from(*page_break_before),
        typography.punctuation as u8,
    ]);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::typeset::style::StyleSheet;

    fn key(b: &[Block]) -> u128 {
        let mut h = KeyHasher::new("t");
        blocks(&mut h, b);
        h.finish()
    }

    #[test]
    fn any_change_in_text_or_style_changes_the_key() {
        let sheet = StyleSheet::builtin();
        let st = sheet.resolve("p", &[]);
        let run = RunStyle {
            size: st.size,
            weight: st.weight,
            color: st.color,
        };
        let para = |t: &str, st: Resolved| Block::Para {
            runs: vec![(t.to_string(), run)],
            style: st,
        };
        let base = key(&[para("低保", st)]);
        assert_eq!(base, key(&[para("低保", st)]));
        assert_ne!(base, key(&[para("低保户", st)]));
        let bigger = Resolved {
            size: st.size + 0.5,
            ..st
        };
        assert_ne!(base, key(&[para("低保", bigger)]));
        let shaded = Resolved {
            background: Some([0.9, 0.9, 0.9]),
            ..st
        };
        assert_ne!(base, key(&[para("低保", shaded)]));
        // Text moved from one block to the next is another chapter.
        assert_ne!(
            key(&[para("低保", st), para("户", st)]),
            key(&[para("低", st), para("保户", st)])
        );
        assert_ne!(base, key(&[para("低保", st), Block::PageBreak]));
    }
}
