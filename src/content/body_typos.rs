//! Markdown marks typed with the Chinese input method still on, or pasted from Word: a
//! heading `＃＃ 办理时限`, a table `｜项目｜时限｜`, list lines `－ 一般情况…`, `• …`,
//! `１．先申请` or `1、先申请` one under the other. Markdown reads none of them: the page
//! and the handbook show the marks as text and run the lines together into one
//! paragraph (一般情况5个工作日内办结－ 紧急情况当天办结), and nothing told the editor.
//! Each is a warning at its mark, with the line as it should be written.

use std::ops::Range;

use crate::diagnostics::{Diagnostic, SourceFile};

/// At most this many warnings a file: a whole file typed full-width is one mistake.
const MAX: usize = 5;

/// The warnings for the Markdown body starting at byte `body_start` of `src`.
pub(crate) fn check(src: &SourceFile, body_start: usize) -> Vec<Diagnostic> {
    let Some(body) = src.text.get(body_start..) else {
        return Vec::new();
    };
    // No quick look for the marks first: 、 is in nearly every body, and a search for
    // them would read every character as the walk over the lines does.
    let mut out = Vec::new();
    let mut fence: Option<char> = None;
    // The paragraph's list-like line not yet reported: (its span, the mark, the fix),
    // reported once the paragraph has a second line.
    let mut pending: Option<(Range<usize>, String, String)> = None;
    let mut lines_in_paragraph = 0;
    // A paragraph gets one warning about its lines (a table of ten rows is one mistake).
    let mut reported = false;
    let mut at = body_start;
    for raw in body.split_inclusive('\n') {
        let start = at;
        at += raw.len();
        let line = raw.trim_end_matches(['\n', '\r']);
        let indent = line.len() - line.trim_start_matches(' ').len();
        let text = &line[indent..];
        if let Some(f) = fence {
            if text.starts_with(f) && text.chars().take_while(|&c| c == f).count() >= 3 {
                fence = None;
            }
            continue;
        }
        if indent < 4 && (text.starts_with("```") || text.starts_with("~~~")) {
            fence = text.chars().next();
            (lines_in_paragraph, pending, reported) = (0, None, false);
            continue;
        }
        if text.trim().is_empty() {
            (lines_in_paragraph, pending, reported) = (0, None, false);
            continue;
        }
        lines_in_paragraph += 1;
        if indent >= 4 && lines_in_paragraph == 1 {
            continue;
        }
        let here = start + indent;
        if let Some(d) = heading(src, here, text) {
            out.push(d);
        } else if !reported {
            if let Some(d) = table(src, here, text) {
                out.push(d);
                reported = true;
            } else if let Some((len, mark, fix)) = list_mark(text) {
                pending.get_or_insert((here..here + len, mark, fix));
            }
        }
        out.extend(spaced_targets(src, here, text));
        if lines_in_paragraph >= 2
            && let Some((span, mark, fix)) = pending.take()
        {
            out.push(
                Diagnostic::warning(tr!("body-run-together", mark = mark))
                    .at(src, span)
                    .with_hint(tr!("body-run-together-hint", line = fix)),
            );
            reported = true;
        }
        if out.len() >= MAX {
            break;
        }
    }
    out
}

/// `＃＃ 办理时限`: never a heading.
fn heading(src: &SourceFile, at: usize, text: &str) -> Option<Diagnostic> {
    if !text.starts_with('＃') {
        return None;
    }
    let marks = text.chars().take_while(|&c| c == '＃' || c == '#').count();
    let rest_at: usize = text.chars().take(marks).map(char::len_utf8).sum();
    let rest = text[rest_at..].trim_start_matches([' ', '\u{3000}']);
    if rest.is_empty() || marks > 6 {
        return None;
    }
    let fix = format!("{} {rest}", "#".repeat(marks));
    Some(
        Diagnostic::warning(tr!("body-fw-heading"))
            .at(src, at..at + rest_at)
            .with_hint(tr!("typo-fix-line", line = fix)),
    )
}

/// `![流程图](低保 流程.png)`: a file name with a space (as Windows names them) ends
/// the link, so Markdown shows the whole as text. Written `(<低保 流程.png>)` it works.
fn spaced_targets(src: &SourceFile, at: usize, text: &str) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (open, _) in text.match_indices("](") {
        let rest = &text[open + 2..];
        let Some(close) = rest.find(')') else {
            continue;
        };
        let target = &rest[..close];
        let Some(space) = target.find(' ') else {
            continue;
        };
        // `(<a b.png>)` is right; `(a.png "说明")` has a title after the space.
        let after = target[space..].trim_start();
        if target.starts_with('<')
            || target.trim().is_empty()
            || after.starts_with(['"', '\'', '('])
        {
            continue;
        }
        let Some(label) = text[..open].rfind('[') else {
            continue;
        };
        let image = text[..label].ends_with('!');
        let from = if image { label - 1 } else { label };
        let written = &text[from..open + 2 + close + 1];
        let fixed = format!("{}(<{}>)", &text[from..open + 1], target.trim());
        let what = if image {
            tr!("body-what-image")
        } else {
            tr!("body-what-link")
        };
        let span = at + open + 2..at + open + 2 + target.len();
        out.push(
            Diagnostic::warning(tr!("body-spaced-target", target = target, what = what))
                .at(src, span)
                .with_hint(tr!(
                    "body-spaced-target-hint",
                    written = written,
                    fixed = fixed
                )),
        );
    }
    out
}

/// `｜项目｜时限｜`: never a table.
fn table(src: &SourceFile, at: usize, text: &str) -> Option<Diagnostic> {
    if !text.starts_with('｜') || text.matches('｜').count() < 2 {
        return None;
    }
    let fix = text
        .replace('｜', "|")
        .replace('－', "-")
        .replace('：', ":");
    Some(
        Diagnostic::warning(tr!("body-fw-table"))
            .at(src, at..at + '｜'.len_utf8())
            .with_hint(tr!("typo-fix-line", line = fix)),
    )
}

/// A list line Markdown does not read as one: its mark's length in bytes, the mark and
/// the line as Markdown reads it (`- 一般情况…`, `1. 先申请`).
fn list_mark(text: &str) -> Option<(usize, String, String)> {
    let first = text.chars().next()?;
    if matches!(first, '－' | '＊' | '＋' | '•' | '●') {
        let rest = &text[first.len_utf8()..];
        let rest_t = rest.trim_start_matches([' ', '\u{3000}']);
        // `－5元` may be a minus; a bullet is followed by a space or is Word's.
        if rest_t.is_empty() || (rest_t.len() == rest.len() && !matches!(first, '•' | '●')) {
            return None;
        }
        return Some((first.len_utf8(), first.to_string(), format!("- {rest_t}")));
    }
    // 1、 1． １． (1) and the like: digits, then a mark that is not `.` or `)` with a space.
    let digits: String = text.chars().map_while(ascii_digit).collect();
    if digits.is_empty() || digits.len() > 2 {
        return None;
    }
    let digits_len: usize = text.chars().take(digits.len()).map(char::len_utf8).sum();
    let after = text[digits_len..].chars().next()?;
    if !matches!(after, '、' | '．' | '.' | '）' | ')') {
        return None;
    }
    let rest = &text[digits_len + after.len_utf8()..];
    let markdown =
        digits_len == digits.len() && matches!(after, '.' | ')') && rest.starts_with(' ');
    // 3.5万元 is a number, not a list.
    if markdown || rest.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let mark = text[..digits_len + after.len_utf8()].to_string();
    Some((
        mark.len(),
        mark,
        format!("{digits}. {}", rest.trim_start_matches([' ', '\u{3000}'])),
    ))
}

/// The ASCII digit `c` is, written half- or full-width.
fn ascii_digit(c: char) -> Option<char> {
    match c {
        '0'..='9' => Some(c),
        '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn warnings(body: &str) -> Vec<String> {
        let src = SourceFile::new("a.md", format!("+++\ntitle = \"x\"\n+++\n{body}"));
        check(&src, 20).iter().map(|d| d.to_string()).collect()
    }

    #[test]
    fn full_width_marks_are_located_with_the_line_that_works() {
        let w = warnings(
            "＃＃ 办理时限\n\n－ 一般情况5个工作日内办结\n－ 紧急情况当天办结\n\n\
             申请步骤：\n1、先申请\n2、再审核\n\n｜项目｜时限｜\n｜－－－｜－－－｜\n",
        );
        assert_eq!(w.len(), 4, "{w:#?}");
        assert!(
            w[0].contains("a.md:4:1") && w[0].contains("改成：## 办理时限"),
            "{}",
            w[0]
        );
        assert!(
            w[1].contains("a.md:6:1")
                && w[1].contains("「－」")
                && w[1].contains("- 一般情况5个工作日内办结"),
            "{}",
            w[1]
        );
        assert!(
            w[2].contains("a.md:10:1") && w[2].contains("「1、」") && w[2].contains("1. 先申请"),
            "{}",
            w[2]
        );
        assert!(
            w[3].contains("a.md:13:1") && w[3].contains("|项目|时限|"),
            "{}",
            w[3]
        );
        let w = warnings("１．先申请\n２．再审核\n");
        assert!(w.len() == 1 && w[0].contains("改成：1. 先申请"), "{w:?}");
    }

    #[test]
    fn what_markdown_reads_or_stands_alone_is_left_alone() {
        for body in [
            // Markdown's own lists, headings and tables.
            "## 办理时限\n\n- 一般\n- 紧急\n\n1. 先申请\n2. 再审核\n\n| a | b |\n|---|---|\n",
            // A numbered line alone in its paragraph shows as written.
            "1、先申请\n\n2、再审核\n",
            // Numbers and minus signs are no list marks.
            "3.5万元以下\n的贷款\n",
            "－5元\n的差额\n",
            // Inside a code fence anything goes.
            "```\n＃＃ 标题\n｜a｜b｜\n```\n",
        ] {
            assert!(warnings(body).is_empty(), "{body:?}: {:?}", warnings(body));
        }
    }

    #[test]
    fn a_file_name_with_a_space_is_written_in_angle_brackets() {
        let w = warnings("见下图：![办理流程图](低保 流程.png)，或[申请表](附件 1.docx)。\n");
        assert_eq!(w.len(), 2, "{w:#?}");
        assert!(
            w[0].contains("a.md:4:14") && w[0].contains("改成：![办理流程图](<低保 流程.png>)"),
            "{}",
            w[0]
        );
        assert!(w[1].contains("[申请表](<附件 1.docx>)"), "{}", w[1]);
        for fine in [
            "![图](<低保 流程.png>)",
            "![图](a.png \"说明\")",
            "[见](@/a/b.md)",
            "（见[1](x)）",
        ] {
            assert!(warnings(fine).is_empty(), "{fine}: {:?}", warnings(fine));
        }
    }

    #[test]
    fn a_file_typed_all_full_width_gets_a_few_warnings() {
        let body = "＃ 标题\n\n".repeat(50);
        assert_eq!(warnings(&body).len(), MAX);
    }
}
